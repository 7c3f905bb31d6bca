import type { CallStatus } from '../metrics/metrics.model';

/** What a call holds the same once checked (ValidCall) and once stored (LlmCallRecord). */
export interface CallFields {
  eventId: string | null;
  modelId: string;
  provider: string;
  tier: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  status: CallStatus;
  errorType: string | null;
  isByok: boolean;
  agentId: string | null;
  executionId: string | null;
  workflow: string | null;
  userId: string | null;
  sessionId: string | null;
  /** Trimmed, each once, in the order first given. */
  tags: string[];
  requestType: string;
  /** Requests the row stands for: 1 for a call, more for an imported day of a model. */
  requestCount: number;
}

/** A stored call as services and PubSub carry it: plain, serialisable values. */
export interface LlmCallRecord extends CallFields {
  id: string;
  workspaceId: string;
  occurredAt: string;
  inputCost: number;
  outputCost: number;
  totalCost: number;
  priced: boolean;
  latencyMs: number;
  /** The call's metadata object as stored, or null. */
  metadata: Record<string, unknown> | null;
}

/** The columns a record is read from. */
export const LLM_CALL_COLUMNS = `id, event_id, workspace_id, occurred_at, model_id, provider, tier, input_tokens, output_tokens,
  cache_read_tokens, cache_write_tokens, reasoning_tokens, input_cost, output_cost, total_cost, priced, latency_ms, status,
  error_type, is_byok, agent_id, execution_id, workflow, user_id, session_id, tags, metadata, request_type, request_count`;

export function toLlmCallRecord(row: Record<string, unknown>): LlmCallRecord {
  return {
    id: String(row.id),
    eventId: (row.event_id as string | null) ?? null,
    workspaceId: String(row.workspace_id),
    occurredAt: new Date(row.occurred_at as string | Date).toISOString(),
    modelId: String(row.model_id),
    provider: String(row.provider),
    tier: (row.tier as string | null) ?? null,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cacheReadTokens: Number(row.cache_read_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    inputCost: Number(row.input_cost),
    outputCost: Number(row.output_cost),
    totalCost: Number(row.total_cost),
    priced: Boolean(row.priced),
    latencyMs: row.latency_ms === null ? 0 : Number(row.latency_ms),
    status: row.status as CallStatus,
    errorType: (row.error_type as string | null) ?? null,
    isByok: Boolean(row.is_byok),
    agentId: (row.agent_id as string | null) ?? null,
    executionId: (row.execution_id as string | null) ?? null,
    workflow: (row.workflow as string | null) ?? null,
    userId: (row.user_id as string | null) ?? null,
    sessionId: (row.session_id as string | null) ?? null,
    tags: (row.tags as string[] | null) ?? [],
    metadata: (row.metadata as Record<string, unknown> | null) ?? null,
    requestType: String(row.request_type),
    requestCount: Number(row.request_count),
  };
}
