// The parts of the gateway's public contract (shared/contract/api.graphql) the tracker sends and
// reads. test/contract.test.ts checks these against schema.graphql, field by field.

/** `enum CallStatus`. */
export type CallStatus = 'SUCCESS' | 'ERROR';

/** `input LlmCallInput`: one LLM call as the application reports it. */
export interface LlmCallInput {
  /** Idempotency key: a second call with the same key in the same workspace is stored once. The tracker fills it in (UUIDv7). */
  eventId?: string | null;
  /** When the call happened (ISO 8601, or a Date). The tracker fills in the time of `track()`. */
  occurredAt?: string | Date | null;
  modelId: string;
  provider: string;
  tier?: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number | null;
  cacheWriteTokens?: number | null;
  /** Part of outputTokens spent on reasoning, where the provider reports it. */
  reasoningTokens?: number | null;
  latencyMs: number;
  status: CallStatus;
  errorType?: string | null;
  isByok?: boolean | null;
  agentId?: string | null;
  /** The calls that share it make one run. */
  executionId?: string | null;
  /** The workflow or recipe this call's execution belongs to (its name or id). */
  workflow?: string | null;
  /** The end user or customer the call was made for (at most 200 characters). */
  userId?: string | null;
  /** The end user's session or conversation (at most 200 characters). */
  sessionId?: string | null;
  /** At most 50 tags, each 1 to 200 characters. */
  tags?: string[] | null;
  requestType: string;
  /** Cost as billed upstream; when absent the gateway prices the call from its model registry. */
  reportedCost?: number | null;
  /** A JSON object up to 16 KB; its top-level string, number and boolean values can be filtered on. */
  metadata?: Record<string, unknown> | null;
}

/** `type RejectedCall`: a call the gateway refused, by its index in the batch. */
export interface RejectedCall {
  index: number;
  message: string;
}

/** `type TrackResult`: what `trackLlmCalls` answers. */
export interface TrackResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedCall[];
}

/** Every `LlmCallInput` field with its GraphQL type, as the contract declares it. */
export const LLM_CALL_INPUT_FIELDS = {
  eventId: 'String',
  occurredAt: 'DateTime',
  modelId: 'String!',
  provider: 'String!',
  tier: 'String',
  inputTokens: 'SafeInt!',
  outputTokens: 'SafeInt!',
  cacheReadTokens: 'SafeInt',
  cacheWriteTokens: 'SafeInt',
  reasoningTokens: 'SafeInt',
  latencyMs: 'Int!',
  status: 'CallStatus!',
  errorType: 'String',
  isByok: 'Boolean',
  agentId: 'ID',
  executionId: 'String',
  workflow: 'String',
  userId: 'String',
  sessionId: 'String',
  tags: '[String!]',
  requestType: 'String!',
  reportedCost: 'Float',
  metadata: 'JSON',
} as const satisfies Record<keyof LlmCallInput, string>;

/** The mutation the tracker sends. */
export const TRACK_LLM_CALLS = `mutation TrackLlmCalls($inputs: [LlmCallInput!]!) {
  trackLlmCalls(inputs: $inputs) { accepted duplicates rejected { index message } }
}`;
