import { unstorableText, unstorableValue } from '../graphql/stored-text';
import { CALL_BOUNDS, MAX_FUTURE_MS } from './call-bounds';
import type { CallFields } from './llm-call.record';
import type { LlmCallInput } from './llm-call.types';

/**
 * One call as it arrives, before it is checked: the GraphQL input, so the contract declares its
 * fields once.
 */
export interface LlmCallInputValues extends LlmCallInput {
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
export interface ValidCall extends CallFields {
  occurredAt: Date;
  /** Null only for imported rows. */
  latencyMs: number | null;
  reportedCost: number | null;
  metadata: unknown;
  /** `metadata` as the JSON text stored, or null. */
  metadataJson: string | null;
}

const describe = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function wholeCount(name: string, value: number | null | undefined, max: number, problems: string[]): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    problems.push(`${name} must be a whole number from 0 to ${max.toLocaleString('en-US')}, but got ${describe(value)}`);
  }
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
  const problem = unstorableText(trimmed, max);
  if (problem) problems.push(`${name} ${problem}`);
  return trimmed;
}

/** A call's tags trimmed, each once; a problem for an empty or overlong tag, or too many. */
function tagsOf(values: string[] | null | undefined, problems: string[]): string[] {
  if (!values) return [];
  const tags = new Set<string>();
  values.forEach((value, i) => {
    const tag = typeof value === 'string' ? value.trim() : '';
    if (tag === '') problems.push(`tags[${i}] must be 1 to ${CALL_BOUNDS.maxTagLength} characters, but got ${describe(value)}`);
    else {
      const problem = unstorableText(tag, CALL_BOUNDS.maxTagLength);
      if (problem) problems.push(`tags[${i}] ${problem}`);
      else tags.add(tag);
    }
  });
  if (tags.size > CALL_BOUNDS.maxTags) problems.push(`tags takes at most ${CALL_BOUNDS.maxTags} different tags, but got ${tags.size}`);
  return [...tags];
}

/** Metadata and its JSON text, or nulls. */
function metadataOf(value: unknown, problems: string[]): { metadata: unknown; metadataJson: string | null } {
  if (value === null || value === undefined) return { metadata: null, metadataJson: null };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`metadata must be a JSON object, but got ${Array.isArray(value) ? 'an array' : `a ${typeof value}`}`);
    return { metadata: null, metadataJson: null };
  }
  const problem = unstorableValue(value, 'metadata');
  if (problem) {
    problems.push(problem);
    return { metadata: null, metadataJson: null };
  }
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json);
  if (bytes > CALL_BOUNDS.maxMetadataBytes) problems.push(`metadata must be at most ${CALL_BOUNDS.maxMetadataBytes} bytes of JSON, but got ${bytes}`);
  return { metadata: value, metadataJson: json };
}

/**
 * Checks one call on its own. Returns the call with defaults, or every problem found, each
 * saying what was expected and what arrived.
 */
export function validateCall(input: CallValues, now: Date): { call: ValidCall } | { problems: string[] } {
  const problems: string[] = [];
  const { maxTextLength, maxAgentIdLength } = CALL_BOUNDS;
  const modelId = text('modelId', input.modelId, true, maxTextLength, problems);
  const provider = text('provider', input.provider, true, maxTextLength, problems);
  const requestType = text('requestType', input.requestType, true, maxTextLength, problems);
  const eventId = text('eventId', input.eventId, false, maxTextLength, problems);
  const agentId = text('agentId', input.agentId, false, maxAgentIdLength, problems);
  const tier = text('tier', input.tier, false, maxTextLength, problems);
  const executionId = text('executionId', input.executionId, false, maxTextLength, problems);
  const errorType = text('errorType', input.errorType, false, maxTextLength, problems);
  const workflow = text('workflow', input.workflow, false, maxTextLength, problems);
  const userId = text('userId', input.userId, false, CALL_BOUNDS.maxAttributionIdLength, problems);
  const sessionId = text('sessionId', input.sessionId, false, CALL_BOUNDS.maxAttributionIdLength, problems);
  const tags = tagsOf(input.tags, problems);
  const requestCount = input.requestCount ?? 1;
  const countOk = Number.isInteger(requestCount) && requestCount >= 1 && requestCount <= CALL_BOUNDS.maxRequestCount;
  if (!countOk) {
    problems.push(`requestCount must be a whole number from 1 to ${CALL_BOUNDS.maxRequestCount}, but got ${describe(requestCount)}`);
  }
  const maxTokens = CALL_BOUNDS.maxTokensPerRequest * (countOk ? requestCount : 1);
  const inputTokens = wholeCount('inputTokens', input.inputTokens, maxTokens, problems);
  const outputTokens = wholeCount('outputTokens', input.outputTokens, maxTokens, problems);
  const cacheReadTokens = wholeCount('cacheReadTokens', input.cacheReadTokens, maxTokens, problems);
  const cacheWriteTokens = wholeCount('cacheWriteTokens', input.cacheWriteTokens, maxTokens, problems);
  const reasoningTokens = wholeCount('reasoningTokens', input.reasoningTokens, maxTokens, problems);
  if (cacheReadTokens + cacheWriteTokens > inputTokens && inputTokens >= 0) {
    problems.push(
      `cacheReadTokens + cacheWriteTokens must be at most inputTokens (${inputTokens}), but got ${cacheReadTokens} + ${cacheWriteTokens}`,
    );
  }
  if (reasoningTokens > outputTokens && outputTokens >= 0) {
    problems.push(`reasoningTokens must be at most outputTokens (${outputTokens}), but got ${reasoningTokens}`);
  }
  if (input.latencyMs !== null && (!Number.isInteger(input.latencyMs) || input.latencyMs < 0 || input.latencyMs > CALL_BOUNDS.maxLatencyMs)) {
    problems.push(`latencyMs must be a whole number from 0 to ${CALL_BOUNDS.maxLatencyMs} (24 hours), but got ${describe(input.latencyMs)}`);
  }
  const occurredAt = input.occurredAt ?? now;
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) problems.push('occurredAt must be an ISO-8601 time, but got an invalid date');
  else if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    problems.push(`occurredAt must be at most 5 minutes in the future, but got ${occurredAt.toISOString()} (now is ${now.toISOString()})`);
  } else if (occurredAt < CALL_BOUNDS.earliestOccurredAt) {
    problems.push(`occurredAt must be ${CALL_BOUNDS.earliestOccurredAt.toISOString()} or later, but got ${occurredAt.toISOString()}`);
  }
  const reportedCost = input.reportedCost ?? null;
  const maxCost = CALL_BOUNDS.maxReportedCostPerRequest * (countOk ? requestCount : 1);
  if (reportedCost !== null && (!Number.isFinite(reportedCost) || reportedCost < 0 || reportedCost > maxCost)) {
    problems.push(`reportedCost must be from 0 to ${maxCost} dollars, but got ${describe(reportedCost)}`);
  }
  if (input.status !== 'SUCCESS' && input.status !== 'ERROR') problems.push(`status must be SUCCESS or ERROR, but got ${describe(input.status)}`);
  const { metadata, metadataJson } = metadataOf(input.metadata, problems);
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
      workflow,
      userId,
      sessionId,
      tags,
      requestType: requestType!,
      reportedCost,
      metadata,
      metadataJson,
      requestCount,
    },
  };
}
