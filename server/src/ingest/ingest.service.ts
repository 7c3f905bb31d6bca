import type { DataSource } from 'typeorm';
import { queryPrepared, type PgStatementClient } from '../db/db';
import { agentStatsChanges, agentStatsUpsert, CALL_STATS } from '../agents/agent-stats';
import { LockSteps } from '../db/lock-order';
import { scopeStatements, workspaceScope } from '../db/scoped-db';
import { writeTransaction } from '../db/write-transaction';
import { loadOverrides, priceCall } from '../pricing/pricing.service';
import { LLM_CALL_COLUMNS, toLlmCallRecord, type LlmCallRecord } from './llm-call.record';
import { allRollupUpserts, ROLLUP_TABLES } from './rollup';
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

const INSERT_COLUMNS = [
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
] as const;

/** The tables the ingest statement locks rows of, in LOCK_ORDER. */
const LOCKS = new LockSteps(['llm_usage', ...ROLLUP_TABLES, 'agents']);
const RAW = LOCKS.name('llm_usage');

/**
 * The batch in one statement: raw rows, the rollups and the agents' totals (an agent the
 * workspace has not seen is created, named after its id). The rows arrive as one JSON
 * document (see inputRows). Row locks follow LOCK_ORDER: the
 * raw rows, each rollup's rows in key order, then the batch's agents in id order, so batches
 * and other writers sharing rollup rows and agents queue but never deadlock.
 */
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($2::json) AS u(${INSERT_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})
),
${RAW} AS (
  INSERT INTO llm_usage (workspace_id, ${INSERT_COLUMNS.map(([name]) => name).join(', ')})
  SELECT $1::uuid, ${INSERT_COLUMNS.map(([name]) => name).join(', ')} FROM input
  ON CONFLICT (workspace_id, event_id) DO NOTHING
  RETURNING *
),
${allRollupUpserts(RAW, LOCKS)},
agent_changes AS (${agentStatsChanges(RAW, CALL_STATS)}),
${LOCKS.name('agents')} AS (${agentStatsUpsert('$1::uuid', 'agent_changes', LOCKS.after('agents'))})
SELECT ${LLM_CALL_COLUMNS} FROM ${RAW}`;

/** The name INSERT_SQL is prepared under on each connection (it shows in every execution's wire messages). */
export const INGEST_STATEMENT = 'tally_ingest_calls';

/**
 * The valid calls priced, as the JSON array of objects INSERT_SQL reads, one key per
 * INSERT_COLUMNS name. One JSON.stringify makes the whole batch: no array literal per column
 * to build and escape value by value, and metadata goes in as the JSON it is.
 */
function inputRows(calls: ValidCall[], overrides: Awaited<ReturnType<typeof loadOverrides>>): string {
  const rows = calls.map((call) => {
    const cost = priceCall(call, overrides);
    return {
      event_id: call.eventId,
      occurred_at: call.occurredAt.toISOString(),
      model_id: call.modelId,
      provider: call.provider,
      tier: call.tier,
      input_tokens: call.inputTokens,
      output_tokens: call.outputTokens,
      cache_read_tokens: call.cacheReadTokens,
      cache_write_tokens: call.cacheWriteTokens,
      reasoning_tokens: call.reasoningTokens,
      input_cost: cost.inputCost,
      output_cost: cost.outputCost,
      total_cost: cost.totalCost,
      priced: cost.priced,
      price_source: cost.source,
      latency_ms: call.latencyMs,
      status: call.status,
      error_type: call.errorType,
      is_byok: call.isByok,
      agent_id: call.agentId,
      execution_id: call.executionId,
      request_type: call.requestType,
      request_count: call.requestCount,
      metadata: call.metadata,
    } satisfies Record<(typeof INSERT_COLUMNS)[number][0], unknown>;
  });
  return JSON.stringify(rows);
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

  const rows = await writeTransaction(dataSource, scopeStatements(workspaceScope(workspaceId)), async (manager) => {
    const overrides = await loadOverrides(manager, workspaceId);
    return queryPrepared(manager, INGEST_STATEMENT, INSERT_SQL, [workspaceId, inputRows(valid, overrides)]);
  });
  const stored = rows.map(toLlmCallRecord).sort((a, b) => Number(a.id) - Number(b.id));
  return { accepted: stored.length, duplicates: valid.length - stored.length, rejected, stored };
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
    await client.query({ name: INGEST_STATEMENT, text: INSERT_SQL, values: [NO_WORKSPACE, '[]'] });
  } finally {
    await client.query('ROLLBACK');
  }
}
