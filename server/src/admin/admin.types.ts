import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { DateScalar } from '../graphql/scalars';
import { CostBreakdown } from '../usage/costs.types';
import { graphqlEnum } from '../graphql/enum';
import type { WorkspaceCostOrder } from './admin.service';

@ObjectType()
export class WorkspaceCostRow {
  @Field(() => ID)
  workspaceId: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  plan: string;

  @Field(() => Float)
  cost: number;

  @Field(() => GraphQLSafeInt)
  tokens: number;

  @Field(() => GraphQLSafeInt)
  requests: number;

  @Field(() => Boolean, { description: 'cost > 2x the average workspace cost of the period' })
  isAnomaly: boolean;
}

@ObjectType()
export class ProviderDailyCost {
  @Field(() => DateScalar)
  date: string;

  @Field(() => String)
  provider: string;

  @Field(() => Float)
  cost: number;
}

@ObjectType()
export class PlanCount {
  @Field(() => String)
  plan: string;

  @Field(() => Int)
  count: number;
}

@ObjectType()
export class ByokSplit {
  @Field(() => Float)
  byokCost: number;

  @Field(() => Float)
  platformCost: number;

  @Field(() => GraphQLSafeInt)
  byokRequests: number;

  @Field(() => GraphQLSafeInt)
  platformRequests: number;
}

@ObjectType()
export class AdminDashboard {
  @Field(() => Float)
  totalCost: number;

  @Field(() => Float, { description: "The period's daily average cost of paying workspaces, x 30." })
  mrrProjection: number;

  @Field(() => Int)
  workspaceCount: number;

  @Field(() => Int)
  activeWorkspaces: number;

  @Field(() => GraphQLSafeInt)
  apiRequests: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  byokSavings: number;

  @Field(() => [ProviderDailyCost])
  dailyCostByProvider: ProviderDailyCost[];

  @Field(() => ByokSplit)
  byokSplit: ByokSplit;

  @Field(() => [WorkspaceCostRow])
  workspaces: WorkspaceCostRow[];

  @Field(() => [PlanCount])
  planDistribution: PlanCount[];

  @Field(() => [WorkspaceCostRow])
  anomalies: WorkspaceCostRow[];
}

@ObjectType()
export class AdminCostAnalytics {
  @Field(() => Float)
  totalCost: number;

  @Field(() => [CostBreakdown])
  byProvider: CostBreakdown[];

  @Field(() => [CostBreakdown])
  byModel: CostBreakdown[];

  @Field(() => [WorkspaceCostRow])
  byWorkspace: WorkspaceCostRow[];

  @Field(() => [CostBreakdown])
  daily: CostBreakdown[];
}

export const WorkspaceCostOrderEnum = graphqlEnum<WorkspaceCostOrder>('WorkspaceCostOrder', ['COST', 'TOKENS', 'REQUESTS', 'NAME', 'PLAN']);

@ObjectType({ description: "A page of the Admin page's workspace table." })
export class WorkspaceCostPage {
  @Field(() => Int, { description: 'Workspaces matching the search, on every page.' })
  total: number;

  @Field(() => [WorkspaceCostRow])
  rows: WorkspaceCostRow[];
}
