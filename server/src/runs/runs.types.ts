import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../graphql/enum';
import { DateScalar } from '../graphql/scalars';
import type { CallStatus } from '../metrics/metrics.model';
import { UsageGroup } from '../usage/usage.types';
import { RUN_ORDERS, type RunOrder } from './runs.service';

export const RunStatusEnum = graphqlEnum<CallStatus>('RunStatus', ['SUCCESS', 'ERROR']);
export const RunOrderEnum = graphqlEnum<RunOrder>('RunOrder', RUN_ORDERS);

@InputType()
export class RunFilter {
  @Field(() => String, { nullable: true })
  workflow?: string | null;

  @Field(() => ID, { nullable: true, description: 'Runs this agent took part in.' })
  agentId?: string | null;

  @Field(() => RunStatusEnum, { nullable: true })
  status?: CallStatus | null;

  @Field(() => String, { nullable: true, description: 'Runs with a call made for this end user.' })
  userId?: string | null;
}

@ObjectType({ description: 'The calls that share one executionId.' })
export class Run {
  @Field(() => ID, { description: 'The executionId its calls share.' })
  id: string;

  @Field(() => String, { nullable: true })
  workflow: string | null;

  @Field(() => Date, { description: "The earliest of its calls' starts (occurredAt − latencyMs)." })
  startedAt: Date;

  @Field(() => Date, { description: "The latest of its calls' ends (occurredAt)." })
  endedAt: Date;

  @Field(() => Float, { description: "From the first call's start to the last call's end." })
  durationMs: number;

  @Field(() => Int)
  callCount: number;

  @Field(() => GraphQLSafeInt)
  inputTokens: number;

  @Field(() => GraphQLSafeInt)
  outputTokens: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Int)
  errorCount: number;

  @Field(() => RunStatusEnum, { description: 'ERROR when any of its calls failed.' })
  status: CallStatus;

  @Field(() => [String])
  models: string[];

  /** Read by the field resolvers (agents, calls) through the per-request loaders. */
  workspaceId: string;
  agentIds: string[];
  /** Exact ends, for finding its calls. */
  startedAtText: string;
  endedAtText: string;
}

@ObjectType()
export class RunPage {
  @Field(() => [Run])
  runs: Run[];

  @Field(() => String, { nullable: true, description: 'Give it as `after` for the next page, with the same order; null on the last page.' })
  nextCursor: string | null;
}

@ObjectType()
export class WorkflowStats {
  @Field(() => String)
  workflow: string;

  @Field(() => Int)
  runs: number;

  @Field(() => Float, { description: 'The share of its runs in which no call failed, 0 to 1.' })
  successRate: number;

  @Field(() => Float)
  avgDurationMs: number;

  @Field(() => Float)
  p95DurationMs: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Float)
  costPerRun: number;
}

@ObjectType()
export class DailyCost {
  @Field(() => DateScalar, { description: 'A UTC day.' })
  date: string;

  @Field(() => Float)
  cost: number;
}

@ObjectType()
export class AgentAnalytics {
  @Field(() => GraphQLSafeInt)
  requests: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  errorRate: number;

  @Field(() => Float)
  p95LatencyMs: number;

  @Field(() => Int, { description: 'Runs that started in the period and that it took part in.' })
  runs: number;

  @Field(() => Date, { nullable: true, description: 'Its latest call ever.' })
  lastCallAt: Date | null;

  @Field(() => [UsageGroup], { description: 'Its use per model, costliest first.' })
  models: UsageGroup[];

  @Field(() => [DailyCost], { description: 'Every UTC day of the period, zero on a day without calls.' })
  dailyCost: DailyCost[];

  /** Read by the field resolvers (agent, tools, memory) through the per-request loaders. */
  workspaceId: string;
  agentId: string;
  toolDays: number;
}
