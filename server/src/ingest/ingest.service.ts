import type { DataSource } from 'typeorm';
import { queryPrepared, type PgStatementClient } from '../db/db';
import { enterScope, scopeStatements } from '../db/scoped-db';
import { loadOverrides, priceCall } from '../pricing/pricing.service';
import { LLM_CALL_COLUMNS, toLlmCallRecord, type LlmCallRecord } from './llm-call.record';
import { allRollupUpserts } from './rollup';
import { validateCall, type CallValues, type ValidCall } from './validate-call';

export const MAX_BATCH = 1000;

export interface RejectedCall {
  index: number;
  message: string;
}

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: RejectedCall[];
  /** The rows stored by this batch, in input order (duplicates left out). */
  stored: LlmCallRecord[];
}

const INSERT_COLUMNS: [string, string][] = [
  ['event_id', 'text'],
  ['occurred_at', 'timestamptz'],
  ['model_id', 'text'],
  ['provider', 'text'],
  ['tier', 'text'],
  ['input_tokens', 'bigint'],
  ['output_tokens', 'bigint'],
  ['cache_read_tokens', 'bigint'],
  ['cache_write_tokens', 'bigint'],
  ['reasoning_tokens', 'bigint'],
  ['input_cost', 'numeric'],
  ['output_cost', 'numeric'],
  ['total_cost', 'numeric'],
  ['priced', 'boolean'],
  ['price_source', 'text'],
  ['latency_ms', 'integer'],
  ['status', 'text'],
  ['error_type', 'text'],
  ['is_byok', 'boolean'],
  ['agent_id', 'text'],
  ['execution_id', 'text'],
  ['request_type', 'text'],
  ['request_count', 'integer'],
  ['metadata', 'jsonb'],
];

const AGENT_IDS = `$${INSERT_COLUMNS.findIndex(([name]) => name === 'agent_id') + 2}::text[]`;

/**
 * The batch in one statement: raw rows, the four rollups and the agents' stats. Row locks are
 * taken in one global order, so concurrent batches sharing agents and rollup rows queue but
 * never deadlock: first the batch's agents, sorted by id (`locked_agents`, run before any row
 * is read from `input`), then each rollup table's rows, sorted by key.
 */
const INSERT_SQL = `
WITH locked_agents AS (
  SELECT id FROM agents WHERE workspace_id = $1::uuid AND id = ANY(${AGENT_IDS}) ORDER BY id FOR UPDATE
),
input AS (
  SELECT * FROM unnest(${INSERT_COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
    AS u(${INSERT_COLUMNS.map(([name]) => name).join(', ')})
  WHERE (SELECT count(*) FROM locked_agents) >= 0
),
ins AS (
  INSERT INTO llm_usage (workspace_id, ${INSERT_COLUMNS.map(([name]) => name).join(', ')})
  SELECT $1::uuid, ${INSERT_COLUMNS.map(([name]) => name).join(', ')} FROM input
  ON CONFLICT (workspace_id, event_id) DO NOTHING
  RETURNING *
),
${allRollupUpserts('ins')},
agent_delta AS (
  SELECT agent_id, model_id, sum(request_count) AS requests, sum(input_tokens + output_tokens) AS tokens,
    sum(total_cost) AS cost, coalesce(sum(latency_ms), 0) AS latency_sum, count(latency_ms) AS latency_count,
    max(occurred_at) AS last_used
  FROM ins WHERE agent_id IS NOT NULL GROUP BY 1, 2
),
agent_stats AS (
  UPDATE agents a SET model_usage_stats = a.model_usage_stats || (
    SELECT jsonb_object_agg(d.model_id, jsonb_build_object(
      'requests', coalesce((a.model_usage_stats -> d.model_id ->> 'requests')::bigint, 0) + d.requests,
      'totalTokens', coalesce((a.model_usage_stats -> d.model_id ->> 'totalTokens')::bigint, 0) + d.tokens,
      'totalCost', (coalesce((a.model_usage_stats -> d.model_id ->> 'totalCost')::numeric, 0) + d.cost)::text,
      'latencySum', coalesce((a.model_usage_stats -> d.model_id ->> 'latencySum')::bigint, 0) + d.latency_sum,
      'latencyCount', coalesce((a.model_usage_stats -> d.model_id ->> 'latencyCount')::bigint, 0) + d.latency_count,
      'lastUsedAt', greatest((a.model_usage_stats -> d.model_id ->> 'lastUsedAt')::timestamptz, d.last_used)))
    FROM agent_delta d WHERE d.agent_id = a.id)
  WHERE a.workspace_id = $1::uuid AND a.id IN (SELECT agent_id FROM agent_delta)
)
SELECT ${LLM_CALL_COLUMNS} FROM ins`;

/** Creates the batch's unknown agents, in id order (so batches creating the same agents queue, never deadlock). */
const CREATE_AGENTS_SQL = `
INSERT INTO agents (workspace_id, id, name)
SELECT $1::uuid, id, id FROM unnest($2::text[]) AS id ORDER BY id
ON CONFLICT (workspace_id, id) DO NOTHING`;

/** The name INSERT_SQL is prepared under on each connection (it shows in every execution's wire messages). */
export const INGEST_STATEMENT = 'tally_ingest_calls';

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** Prices the valid calls and returns the column arrays for the unnest insert. */
function columnArrays(calls: ValidCall[], overrides: Awaited<ReturnType<typeof loadOverrides>>): unknown[][] {
  const columns: unknown[][] = INSERT_COLUMNS.map(() => []);
  for (const call of calls) {
    const cost = priceCall(call, overrides);
    const values = [
      call.eventId,
      call.occurredAt.toISOString(),
      call.modelId,
      call.provider,
      call.tier,
      call.inputTokens,
      call.outputTokens,
      call.cacheReadTokens,
      call.cacheWriteTokens,
      call.reasoningTokens,
      cost.inputCost,
      cost.outputCost,
      cost.totalCost,
      cost.priced,
      cost.source,
      call.latencyMs,
      call.status,
      call.errorType,
      call.isByok,
      call.agentId,
      call.executionId,
      call.requestType,
      call.requestCount,
      call.metadata === null ? null : JSON.stringify(call.metadata),
    ];
    values.forEach((v, i) => columns[i].push(v));
  }
  return columns;
}

/**
 * Stores a batch of calls for one workspace. Each call is checked on its own: a bad call is
 * rejected with its index and reason, and the others go on. The accepted calls, their
 * rollups and their agents' stats are written in one transaction, so a resent call (same
 * eventId) is counted once everywhere.
 */
export async function ingestCalls(
  dataSource: DataSource,
  workspaceId: string,
  inputs: CallValues[],
  now: Date,
): Promise<IngestOutcome> {
  const rejected: RejectedCall[] = [];
  const valid: ValidCall[] = [];
  inputs.forEach((input, index) => {
    const result = validateCall(input, now);
    if ('problems' in result) rejected.push({ index, message: result.problems.join('; ') });
    else valid.push(result.call);
  });
  if (valid.length === 0) return { accepted: 0, duplicates: 0, rejected, stored: [] };

  const agentIds = [...new Set(valid.flatMap((c) => (c.agentId ? [c.agentId] : [])))].sort();
  for (let attempt = 1; ; attempt++) {
    try {
      const rows: Record<string, unknown>[] = await dataSource.transaction(async (manager) => {
        await enterScope(manager, { scope: { kind: 'workspace', workspaceId }, isAdmin: false });
        const overrides = await loadOverrides(manager, workspaceId);
        if (agentIds.length > 0) await manager.query(CREATE_AGENTS_SQL, [workspaceId, agentIds]);
        return queryPrepared(manager, INGEST_STATEMENT, INSERT_SQL, [workspaceId, ...columnArrays(valid, overrides)]);
      });
      const stored = rows.map(toLlmCallRecord).sort((a, b) => Number(a.id) - Number(b.id));
      return { accepted: stored.length, duplicates: valid.length - stored.length, rejected, stored };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt < 3 && code && RETRYABLE_SQLSTATES.has(code)) continue;
      throw error;
    }
  }
}

const NO_WORKSPACE = '00000000-0000-0000-0000-000000000000';

/**
 * Prepares the ingest statement on a new connection to the primary, running it on an empty batch that is
 * rolled back. A new connection's first statement loads the catalog entries of five wide
 * tables (~150 ms); done here, before any batch, no batch spends that time holding row locks
 * other batches wait for.
 */
export async function prepareIngest(client: PgStatementClient): Promise<void> {
  const { rows } = await client.query('SELECT pg_is_in_recovery() AS replica');
  if (rows[0].replica) return; // read replicas never ingest
  await client.query(`BEGIN; ${scopeStatements({ scope: { kind: 'workspace', workspaceId: NO_WORKSPACE }, isAdmin: false })}`);
  try {
    await client.query({ name: INGEST_STATEMENT, text: INSERT_SQL, values: [NO_WORKSPACE, ...INSERT_COLUMNS.map(() => [])] });
  } finally {
    await client.query('ROLLBACK');
  }
}
