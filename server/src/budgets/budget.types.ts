import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import { BUDGET_WINDOWS, MAX_BUDGET_AMOUNT, type BudgetWindow } from './budgets.service';

export const BudgetWindowEnum = graphqlEnum<BudgetWindow>('BudgetWindow', BUDGET_WINDOWS);

@ObjectType()
export class Budget {
  @Field(() => ID)
  id: string;

  @Field(() => Float, { description: 'Dollars per window for the whole workspace, or for one agent, model or end user.' })
  amount: number;

  @Field(() => BudgetWindowEnum, { description: "Calendar day, ISO week or month in the workspace's timezone." })
  window: BudgetWindow;

  @Field(() => ID, { nullable: true })
  agentId: string | null;

  @Field(() => String, { nullable: true })
  modelId: string | null;

  @Field(() => String, { nullable: true, description: "The end user whose spend it caps; null: the workspace's (or the agent's or model's)." })
  userId: string | null;

  @Field(() => [Float], { description: 'Fractions of amount that raise an alert once per window, e.g. [0.8, 0.9, 1.0].' })
  thresholds: number[];

  @Field(() => Float, { description: 'Dollars spent in the current window.' })
  spent: number;

  @Field(() => Float)
  spentFraction: number;

  @Field(() => Date, { description: 'When the current window began.' })
  windowStart: Date;
}

@InputType()
export class BudgetInput {
  @Field(() => Float, { description: `Dollars per window: more than 0 and at most ${MAX_BUDGET_AMOUNT.toLocaleString('en-US')}.` })
  amount: number;

  @Field(() => BudgetWindowEnum)
  window: BudgetWindow;

  @Field(() => ID, { nullable: true })
  agentId?: string | null;

  @Field(() => String, { nullable: true })
  modelId?: string | null;

  @Field(() => String, { nullable: true, description: 'Caps one end user\'s spend (the calls naming this userId).' })
  userId?: string | null;

  @Field(() => [Float], { nullable: true, description: 'Default [0.8, 0.9, 1.0].' })
  thresholds?: number[] | null;
}
