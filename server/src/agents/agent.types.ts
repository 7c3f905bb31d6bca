import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

@ObjectType()
export class ModelUsageStats {
  @Field(() => String)
  modelId: string;

  @Field(() => GraphQLSafeInt)
  requests: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Float)
  avgLatencyMs: number;

  @Field(() => Date)
  lastUsedAt: Date;
}

@ObjectType()
export class Agent {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => [ModelUsageStats], { description: 'Cached per-model totals kept current at ingest (all time).' })
  modelUsageStats: ModelUsageStats[];

  workspaceId: string;
}

@InputType()
export class AgentInput {
  @Field(() => ID, { nullable: true })
  id?: string | null;

  @Field(() => String)
  name: string;
}
