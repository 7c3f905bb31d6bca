import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON, GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../graphql/enum';
import { MAX_JSON_DEPTH } from '../graphql/stored-text';
import type { CallStatus } from '../metrics/metrics.model';
import { CALL_BOUNDS } from './call-bounds';

export const CallStatusEnum = graphqlEnum<CallStatus>('CallStatus', ['SUCCESS', 'ERROR']);

const B = CALL_BOUNDS;
const TEXT = `At most ${B.maxTextLength} characters; no NUL character or lone surrogate (refused, not replaced).`;
const TOKENS = `A whole number from 0 to ${B.maxTokensPerRequest.toLocaleString('en-US')}.`;

/**
 * One call as a client reports it. Each bound is CALL_BOUNDS (call-bounds.ts); a call outside
 * one is rejected alone, with its index and the reason, and the batch's other calls are stored.
 */
@InputType({ description: 'One LLM call. A call outside any bound written here is rejected alone, with its index and the reason.' })
export class LlmCallInput {
  @Field(() => String, {
    nullable: true,
    description: `Client-made idempotency key: a second call with the same key in the same workspace is a duplicate, stored once. ${TEXT}`,
  })
  eventId?: string | null;

  @Field(() => Date, {
    nullable: true,
    description: `When the call happened; defaults to now. From ${B.earliestOccurredAt.toISOString()} to ${B.maxFutureMs / 60_000} minutes ahead of the gateway's clock.`,
  })
  occurredAt?: Date | null;

  @Field(() => String, { description: TEXT })
  modelId: string;

  @Field(() => String, { description: TEXT })
  provider: string;

  @Field(() => String, { nullable: true, description: TEXT })
  tier?: string | null;

  @Field(() => GraphQLSafeInt, { description: `${TOKENS} Includes cacheReadTokens and cacheWriteTokens.` })
  inputTokens: number;

  @Field(() => GraphQLSafeInt, { description: `${TOKENS} Includes reasoningTokens.` })
  outputTokens: number;

  @Field(() => GraphQLSafeInt, { nullable: true, description: `${TOKENS} With cacheWriteTokens, at most inputTokens.` })
  cacheReadTokens?: number | null;

  @Field(() => GraphQLSafeInt, { nullable: true, description: `${TOKENS} With cacheReadTokens, at most inputTokens.` })
  cacheWriteTokens?: number | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: `Part of outputTokens spent on reasoning, where the provider reports it: at most outputTokens. ${TOKENS}`,
  })
  reasoningTokens?: number | null;

  @Field(() => Int, { description: `Milliseconds, from 0 to ${B.maxLatencyMs.toLocaleString('en-US')} (24 hours).` })
  latencyMs: number;

  @Field(() => CallStatusEnum)
  status: CallStatus;

  @Field(() => String, { nullable: true, description: TEXT })
  errorType?: string | null;

  @Field(() => Boolean, { nullable: true })
  isByok?: boolean | null;

  @Field(() => ID, {
    nullable: true,
    description: `At most ${B.maxAgentIdLength} characters; no NUL character or lone surrogate. An agent not seen before is created, named after it.`,
  })
  agentId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The calls of a workspace that share it make one run (one chat turn, one workflow or recipe run). ${TEXT}`,
  })
  executionId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The workflow or recipe this call's execution belongs to (its name or id); a run takes the first one its calls give. ${TEXT}`,
  })
  workflow?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The end user or customer the call was made for. At most ${B.maxAttributionIdLength} characters; no NUL character or lone surrogate.`,
  })
  userId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `The end user's session or conversation. At most ${B.maxAttributionIdLength} characters; no NUL character or lone surrogate.`,
  })
  sessionId?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `At most ${B.maxTags} tags, each 1 to ${B.maxTagLength} characters once trimmed; a tag given twice is kept once.`,
  })
  tags?: string[] | null;

  @Field(() => String, { description: TEXT })
  requestType: string;

  @Field(() => Float, {
    nullable: true,
    description: `Cost as billed upstream (e.g. OpenRouter reports it), from 0 to ${B.maxReportedCostPerRequest.toLocaleString('en-US')} dollars; when absent the gateway prices the call from its model registry.`,
  })
  reportedCost?: number | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: `A JSON object up to ${B.maxMetadataBytes.toLocaleString('en-US')} bytes, nested at most ${MAX_JSON_DEPTH} deep; no NUL character or lone surrogate in a key or a string.`,
  })
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

  @Field(() => String, { nullable: true })
  workflow: string | null;

  @Field(() => String, { nullable: true })
  userId: string | null;

  @Field(() => String, { nullable: true })
  sessionId: string | null;

  @Field(() => [String])
  tags: string[];

  @Field(() => GraphQLJSON, { nullable: true })
  metadata: unknown;

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
