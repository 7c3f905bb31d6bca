import { Field, Float, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

@ObjectType()
export class UsageGroup {
  @Field(() => String)
  key: string;

  @Field(() => String)
  label: string;

  @Field(() => GraphQLSafeInt)
  requests: number;

  @Field(() => GraphQLSafeInt)
  inputTokens: number;

  @Field(() => GraphQLSafeInt)
  outputTokens: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Float)
  avgLatencyMs: number;

  @Field(() => Float)
  p95LatencyMs: number;

  @Field(() => GraphQLSafeInt)
  errorCount: number;

  @Field(() => Float)
  errorRate: number;
}
