import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../graphql/enum';
import type { CallStatus } from '../metrics/metrics.model';

export const CallStatusEnum = graphqlEnum<CallStatus>('CallStatus', ['SUCCESS', 'ERROR']);

@InputType()
export class LlmCallInput {
  @Field(() => String, {
    nullable: true,
    description: 'Client-made idempotency key: a second call with the same key in the same workspace is a duplicate, stored once.',
  })
  eventId?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the call happened; defaults to now. More than 5 minutes in the future is BAD_USER_INPUT.' })
  occurredAt?: Date | null;

  @Field(() => String)
  modelId: string;

  @Field(() => String)
  provider: string;

  @Field(() => String, { nullable: true })
  tier?: string | null;

  @Field(() => GraphQLSafeInt)
  inputTokens: number;

  @Field(() => GraphQLSafeInt)
  outputTokens: number;

  @Field(() => GraphQLSafeInt, { nullable: true })
  cacheReadTokens?: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true })
  cacheWriteTokens?: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Part of outputTokens spent on reasoning, where the provider reports it.' })
  reasoningTokens?: number | null;

  @Field(() => Int)
  latencyMs: number;

  @Field(() => CallStatusEnum)
  status: CallStatus;

  @Field(() => String, { nullable: true })
  errorType?: string | null;

  @Field(() => Boolean, { nullable: true })
  isByok?: boolean | null;

  @Field(() => ID, { nullable: true })
  agentId?: string | null;

  @Field(() => String, { nullable: true })
  executionId?: string | null;

  @Field(() => String)
  requestType: string;

  @Field(() => Float, {
    nullable: true,
    description: 'Cost as billed upstream (e.g. OpenRouter reports it); when absent the gateway prices the call from its model registry.',
  })
  reportedCost?: number | null;

  @Field(() => GraphQLJSON, { nullable: true })
  metadata?: unknown;
}

@ObjectType()
export class LlmCall {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  eventId: string | null;

  @Field(() => ID)
  workspaceId: string;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => String)
  modelId: string;

  @Field(() => String)
  provider: string;

  @Field(() => String, { nullable: true })
  tier: string | null;

  @Field(() => GraphQLSafeInt)
  inputTokens: number;

  @Field(() => GraphQLSafeInt)
  outputTokens: number;

  @Field(() => GraphQLSafeInt)
  cacheReadTokens: number;

  @Field(() => GraphQLSafeInt)
  cacheWriteTokens: number;

  @Field(() => GraphQLSafeInt)
  reasoningTokens: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  inputCost: number;

  @Field(() => Float)
  outputCost: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Boolean, {
    description: 'False when neither the registry nor the caller knew a price: the cost fields are then 0 and the call is counted as unpriced.',
  })
  priced: boolean;

  @Field(() => Int)
  latencyMs: number;

  @Field(() => CallStatusEnum)
  status: CallStatus;

  @Field(() => String, { nullable: true })
  errorType: string | null;

  @Field(() => Boolean)
  isByok: boolean;

  /** Resolved through the agent loader; the id stays here for it. */
  agentId: string | null;

  @Field(() => String, { nullable: true })
  executionId: string | null;

  @Field(() => String)
  requestType: string;
}

@ObjectType()
export class RejectedCall {
  @Field(() => Int)
  index: number;

  @Field(() => String)
  message: string;
}

@ObjectType()
export class TrackResult {
  @Field(() => Int)
  accepted: number;

  @Field(() => Int)
  duplicates: number;

  @Field(() => [RejectedCall])
  rejected: RejectedCall[];
}
