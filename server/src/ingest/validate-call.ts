import type { CallStatus } from '../metrics/metrics.model';

/** One call as it arrives, before it is checked. */
export interface LlmCallInputValues {
  eventId?: string | null;
  occurredAt?: Date | null;
  modelId: string;
  provider: string;
  tier?: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number | null;
  cacheWriteTokens?: number | null;
  reasoningTokens?: number | null;
  latencyMs: number;
  status: CallStatus;
  errorType?: string | null;
  isByok?: boolean | null;
  agentId?: string | null;
  executionId?: string | null;
  requestType: string;
  reportedCost?: number | null;
  metadata?: unknown;
  /** Requests this row stands for; not on the GraphQL input (see ImportedCallValues). @default 1 */
  requestCount?: number | null;
}

/**
 * A row imported from a provider's own records (e.g. OpenRouter activity): it stands for
 * `requestCount` requests and has no latency, so latency metrics leave it out.
 */
export type ImportedCallValues = Omit<LlmCallInputValues, 'latencyMs'> & { latencyMs: null; requestCount: number };

/** What ingest takes: calls as the API receives them, or imported rows. */
export type CallValues = LlmCallInputValues | ImportedCallValues;

/** A call that passed the checks, with defaults filled in. */
export interface ValidCall {
  eventId: string | null;
  occurredAt: Date;
  modelId: string;
  provider: string;
  tier: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Null only for imported rows. */
  latencyMs: number | null;
  status: CallStatus;
  errorType: string | null;
  isByok: boolean;
  agentId: string | null;
  executionId: string | null;
  requestType: string;
  reportedCost: number | null;
  metadata: unknown;
  requestCount: number;
}

export const MAX_FUTURE_MS = 5 * 60_000;
const MAX_TEXT = 256;
const MAX_AGENT_ID = 128;
const MAX_METADATA_BYTES = 16_384;
const MAX_REQUEST_COUNT = 2_147_483_647;

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function wholeCount(name: string, value: number | null | undefined, problems: string[]): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) problems.push(`${name} must be a whole number of at least 0, but got ${describe(value)}`);
  return value;
}

function text(name: string, value: string | null | undefined, required: boolean, max: number, problems: string[]): string | null {
  if (value === null || value === undefined) {
    if (required) problems.push(`${name} is required, but got nothing`);
    return null;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    if (required) problems.push(`${name} must not be empty, but got ${describe(value)}`);
    else problems.push(`${name} must be left out or not empty, but got ${describe(value)}`);
    return null;
  }
  if (trimmed.length > max) problems.push(`${name} must be at most ${max} characters, but got ${trimmed.length}`);
  return trimmed;
}

/**
 * Checks one call on its own. Returns the call with defaults, or every problem found, each
 * saying what was expected and what arrived.
 */
export function validateCall(input: CallValues, now: Date): { call: ValidCall } | { problems: string[] } {
  const problems: string[] = [];
  const modelId = text('modelId', input.modelId, true, MAX_TEXT, problems);
  const provider = text('provider', input.provider, true, MAX_TEXT, problems);
  const requestType = text('requestType', input.requestType, true, MAX_TEXT, problems);
  const eventId = text('eventId', input.eventId, false, MAX_TEXT, problems);
  const agentId = text('agentId', input.agentId, false, MAX_AGENT_ID, problems);
  const tier = text('tier', input.tier, false, MAX_TEXT, problems);
  const executionId = text('executionId', input.executionId, false, MAX_TEXT, problems);
  const errorType = text('errorType', input.errorType, false, MAX_TEXT, problems);
  const inputTokens = wholeCount('inputTokens', input.inputTokens, problems);
  const outputTokens = wholeCount('outputTokens', input.outputTokens, problems);
  const cacheReadTokens = wholeCount('cacheReadTokens', input.cacheReadTokens, problems);
  const cacheWriteTokens = wholeCount('cacheWriteTokens', input.cacheWriteTokens, problems);
  const reasoningTokens = wholeCount('reasoningTokens', input.reasoningTokens, problems);
  if (cacheReadTokens + cacheWriteTokens > inputTokens && inputTokens >= 0) {
    problems.push(
      `cacheReadTokens + cacheWriteTokens must be at most inputTokens (${inputTokens}), but got ${cacheReadTokens} + ${cacheWriteTokens}`,
    );
  }
  if (reasoningTokens > outputTokens && outputTokens >= 0) {
    problems.push(`reasoningTokens must be at most outputTokens (${outputTokens}), but got ${reasoningTokens}`);
  }
  if (input.latencyMs !== null && (!Number.isInteger(input.latencyMs) || input.latencyMs < 0)) {
    problems.push(`latencyMs must be a whole number of at least 0, but got ${describe(input.latencyMs)}`);
  }
  const requestCount = input.requestCount ?? 1;
  if (!Number.isInteger(requestCount) || requestCount < 1 || requestCount > MAX_REQUEST_COUNT) {
    problems.push(`requestCount must be a whole number from 1 to ${MAX_REQUEST_COUNT}, but got ${describe(requestCount)}`);
  }
  const occurredAt = input.occurredAt ?? now;
  if (Number.isNaN(occurredAt.getTime())) problems.push('occurredAt must be an ISO-8601 time, but got an invalid date');
  else if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    problems.push(`occurredAt must be at most 5 minutes in the future, but got ${occurredAt.toISOString()} (now is ${now.toISOString()})`);
  }
  const reportedCost = input.reportedCost ?? null;
  if (reportedCost !== null && (!Number.isFinite(reportedCost) || reportedCost < 0)) {
    problems.push(`reportedCost must be a number of dollars of at least 0, but got ${describe(reportedCost)}`);
  }
  if (input.status !== 'SUCCESS' && input.status !== 'ERROR') problems.push(`status must be SUCCESS or ERROR, but got ${describe(input.status)}`);
  const metadata = input.metadata ?? null;
  if (metadata !== null && JSON.stringify(metadata).length > MAX_METADATA_BYTES) {
    problems.push(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON, but got ${JSON.stringify(metadata).length}`);
  }
  if (problems.length > 0) return { problems };
  return {
    call: {
      eventId,
      occurredAt,
      modelId: modelId!,
      provider: provider!.toLowerCase(),
      tier,
      inputTokens,
      outputTokens,
      cacheReadTokens,
      cacheWriteTokens,
      reasoningTokens,
      latencyMs: input.latencyMs,
      status: input.status,
      errorType,
      isByok: input.isByok ?? false,
      agentId,
      executionId,
      requestType: requestType!,
      reportedCost,
      metadata,
      requestCount,
    },
  };
}
