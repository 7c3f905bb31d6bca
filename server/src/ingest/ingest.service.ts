import type { DataSource } from 'typeorm';
import { queryPrepared, type PgStatementClient } from '../db/db';
import { agentStatsChanges, agentStatsUpsert, CALL_STATS } from '../agents/agent-stats';
import { LockSteps } from '../db/lock-order';
import { ensurePartitions, isMissingPartition } from '../db/partitions';
import { platformDb } from '../db/platform-db';
import { scopeStatements, workspaceScope } from '../db/scoped-db';
import { writeTransaction } from '../db/write-transaction';
import { loadOverrides, priceCall, type CallCost } from '../pricing/pricing.service';
import { agentRunDaysChanges, runsUpsert, workflowRunDaysChanges } from '../runs/run-upsert';
import { toRunRecord, type RunRecord } from '../runs/run.record';
import type { LlmCallRecord } from './llm-call.record';
import { allRollupUpserts, RAW_SUMMED_COLUMNS, ROLLUP_TABLES } from './rollup';
import { userTotalsUpsert } from '../metrics/user-totals';
import { validateCall, type CallValues, type ValidCall } from './validate-call';

export const MAX_BATCH = 1000;

export interface RejectedCall {
  index: number;
  message: string;
}

/** What a committed batch stored: its calls and the runs they added to. */
export type StoredBatch = Pick<IngestOutcome, 'stored' | 'runs'>;

export interface IngestOutcome {
  accepted: number;
  duplicates: number;
  rejected: RejectedCall[];
  /** The rows stored by this batch, in input order (duplicates left out). */
  stored: LlmCallRecord[];
  /** The runs the stored rows belong to, as they are after this batch. */
  runs: RunRecord[];
}

/** llm_usage's columns ingest writes: name, type, and the value a priced call gives it. */
const INSERT_COLUMNS: readonly (readonly [string, string, (call: ValidCall, cost: CallCost) => unknown])[] = [
  ['event_id', 'text', (call) => call.eventId],
  // ISO text: pg would format each Date in local time
  ['occurred_at', 'timestamptz', (call) => call.occurredAt.toISOString()],
  ['model_id', 'text', (call) => call.modelId],
  ['provider', 'text', (call) => call.provider],
  ['tier', 'text', (call) => call.tier],
  ['input_tokens', 'bigint', (call) => call.inputTokens],
  ['output_tokens', 'bigint', (call) => call.outputTokens],
  ['cache_read_tokens', 'bigint', (call) => call.cacheReadTokens],
  ['cache_write_tokens', 'bigint', (call) => call.cacheWriteTokens],
  ['reasoning_tokens', 'bigint', (call) => call.reasoningTokens],
  ['input_cost', 'numeric', (_, cost) => cost.inputCost],
  ['output_cost', 'numeric', (_, cost) => cost.outputCost],
  ['total_cost', 'numeric', (_, cost) => cost.totalCost],
  ['priced', 'boolean', (_, cost) => cost.priced],
  ['price_source', 'text', (_, cost) => cost.source],
  ['latency_ms', 'integer', (call) => call.latencyMs],
  ['status', 'text', (call) => call.status],
  ['error_type', 'text', (call) => call.errorType],
  ['is_byok', 'boolean', (call) => call.isByok],
  ['agent_id', 'text', (call) => call.agentId],
  ['execution_id', 'text', (call) => call.executionId],
  ['workflow', 'text', (call) => call.workflow],
  ['user_id', 'text', (call) => call.userId],
  ['session_id', 'text', (call) => call.sessionId],
  // Each row's tags as an array literal: a parameter array of arrays would have to be rectangular.
  ['tags', 'text', (call) => textArrayLiteral(call.tags)],
  ['request_type', 'text', (call) => call.requestType],
  ['request_count', 'integer', (call) => call.requestCount],
  ['metadata', 'jsonb', (call) => call.metadataJson],
];

/** Columns that arrive as text and are stored as another type. */
const STORED_AS: Record<string, string> = { tags: 'text[]' };

/** A PostgreSQL array literal of texts, every element quoted. */
export function textArrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** Column types whose values (numbers, booleans, decimal text) never need quoting in an array literal. */
const BARE_TYPES: ReadonlySet<string> = new Set(['bigint', 'integer', 'numeric', 'boolean']);

/**
 * One column's values as the parameter its `unnest` reads: the array itself, which pg writes as
 * a literal quoting and escaping each element, or for bare types the literal made here at once.
 */
function columnParameter(type: string, values: unknown[]): unknown {
  if (!BARE_TYPES.has(type)) return values;
  return `{${values.map((value) => (value === null || value === undefined ? 'NULL' : String(value))).join(',')}}`;
}

/** The tables the ingest statement locks rows of, in LOCK_ORDER. */
const LOCKS = new LockSteps(['llm_usage_event_ids', 'llm_usage', ...ROLLUP_TABLES, 'user_totals', 'agents', 'runs', 'workflow_run_days', 'agent_run_days']);
const EVENT_IDS = LOCKS.name('llm_usage_event_ids');
const RAW = LOCKS.name('llm_usage');

/** The columns of the raw rows the rollups and the agents' totals read, and the id and event id ingest answers with. */
const STORED_COLUMNS = [
  'workspace_id',
  'id',
  'event_id',
  'occurred_at',
  'model_id',
  'provider',
  'tier',
  'agent_id',
  'execution_id',
  'workflow',
  'user_id',
  'tags',
  'is_byok',
  'request_type',
  'status',
  ...RAW_SUMMED_COLUMNS,
  'priced',
  'latency_ms',
].join(', ');

/**
 * The batch in one statement: raw rows, the rollups and the agents' totals (an agent the
 * workspace has not seen is created, named after its id). The rows arrive as one array per
 * column (see inputColumns): PostgreSQL reads typed arrays far faster than it pulls rows out
 * of a JSON document (json_to_recordset builds a hash table per object). A call with an event
 * id is stored only if its id is new to llm_usage_event_ids (raw calls are partitioned by month,
 * so their own keys cannot tell a resend dated in another month). Row locks follow LOCK_ORDER:
 * the event ids in id order, the raw rows, each rollup's rows in key order, the batch's agents
 * in id order, then its runs in execution id order, so batches and other writers sharing event
 * ids, rollup rows, agents and runs queue but never deadlock. Only rows newly stored reach the
 * rollups, the agents and the runs, so a resent call changes none of them. It answers with each
 * stored row's id and event id only (the caller has the rest already), and with each run the
 * batch added to (`run`). The batch's event ids are distinct (see distinctEventIds).
 */
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest(${INSERT_COLUMNS.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
    WITH ORDINALITY AS input(${INSERT_COLUMNS.map(([name]) => name).join(', ')}, position)
),
${EVENT_IDS} AS (
  INSERT INTO llm_usage_event_ids (workspace_id, event_id, occurred_at)
  SELECT $1::uuid, event_id, occurred_at FROM input WHERE event_id IS NOT NULL ORDER BY event_id
  ON CONFLICT DO NOTHING
  RETURNING event_id
),
${RAW} AS (
  INSERT INTO llm_usage (workspace_id, ${INSERT_COLUMNS.map(([name]) => name).join(', ')})
  SELECT $1::uuid, ${INSERT_COLUMNS.map(([name]) => (STORED_AS[name] ? `${name}::${STORED_AS[name]}` : name)).join(', ')}
  FROM input WHERE event_id IS NULL OR event_id IN (SELECT event_id FROM ${EVENT_IDS})
  ORDER BY position
  RETURNING ${STORED_COLUMNS}
),
${allRollupUpserts(RAW, LOCKS)},
${LOCKS.name('user_totals')} AS (${userTotalsUpsert(RAW, LOCKS.after('user_totals'))} RETURNING 1),
agent_changes AS (${agentStatsChanges(RAW, CALL_STATS)}),
${LOCKS.name('agents')} AS (${agentStatsUpsert('$1::uuid', 'agent_changes', LOCKS.after('agents'))}),
${LOCKS.name('runs')} AS (${runsUpsert('$1::uuid', RAW, LOCKS.after('runs'))}),
${workflowRunDaysChanges(LOCKS.name('runs'), LOCKS.name('workflow_run_days'), LOCKS.after('workflow_run_days'))},
${agentRunDaysChanges(LOCKS.name('runs'), LOCKS.name('agent_run_days'), LOCKS.after('agent_run_days'))}
SELECT id, event_id, NULL::json AS run FROM ${RAW}
UNION ALL SELECT NULL::bigint, NULL::text, row_to_json(r) FROM ${LOCKS.name('runs')} r`;

/** The name INSERT_SQL is prepared under on each connection (it shows in every execution's wire messages). */
export const INGEST_STATEMENT = 'tally_ingest_calls';

/**
 * INSERT_SQL takes about 66 ms to plan (its CTEs write the calls, their ids, the runs and every
 * rollup level) and a few to run for a small batch. PostgreSQL plans a prepared statement afresh
 * for its first five runs on a connection unless told otherwise, so each new pooled connection
 * paid five plans; with this, the generic plan made when the connection is prepared serves every
 * batch (1,000-call batches ran in the same time either way: `BENCH_ONLY=ingest npm run bench`).
 */
const GENERIC_PLAN = 'SET LOCAL plan_cache_mode = force_generic_plan';

/** The record of a call INSERT_SQL stored: what the row holds, read from the values it was made of. */
function storedRecord(workspaceId: string, id: string, call: ValidCall, cost: CallCost): LlmCallRecord {
  return {
    id,
    eventId: call.eventId,
    workspaceId,
    occurredAt: call.occurredAt.toISOString(),
    modelId: call.modelId,
    provider: call.provider,
    tier: call.tier,
    inputTokens: call.inputTokens,
    outputTokens: call.outputTokens,
    cacheReadTokens: call.cacheReadTokens,
    cacheWriteTokens: call.cacheWriteTokens,
    reasoningTokens: call.reasoningTokens,
    inputCost: Number(cost.inputCost),
    outputCost: Number(cost.outputCost),
    totalCost: Number(cost.totalCost),
    priced: cost.priced,
    latencyMs: call.latencyMs ?? 0,
    status: call.status,
    errorType: call.errorType,
    isByok: call.isByok,
    agentId: call.agentId,
    executionId: call.executionId,
    workflow: call.workflow,
    userId: call.userId,
    sessionId: call.sessionId,
    tags: call.tags,
    metadata: (call.metadata as Record<string, unknown> | null) ?? null,
    requestType: call.requestType,
    requestCount: call.requestCount,
  };
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
  if (valid.length === 0) return { accepted: 0, duplicates: 0, rejected, stored: [], runs: [] };

  const distinct = distinctEventIds(valid);
  let costs: CallCost[] = [];
  const insert = () =>
    writeTransaction(dataSource, `${scopeStatements(workspaceScope(workspaceId))}; ${GENERIC_PLAN}`, async (manager) => {
      const overrides = await loadOverrides(manager, workspaceId);
      costs = distinct.map((call) => priceCall(call, overrides));
      const columns = INSERT_COLUMNS.map(([, type, value]) => columnParameter(type, distinct.map((call, row) => value(call, costs[row]))));
      return queryPrepared(manager, INGEST_STATEMENT, INSERT_SQL, [workspaceId, ...columns]);
    });
  const rows = await insert().catch(async (error: unknown) => {
    // A call dated in a month with no partition yet (the gateway keeps the coming months made,
    // not every past one): the months are made, and the batch runs again.
    if (!isMissingPartition(error)) throw error;
    const times = distinct.map((call) => call.occurredAt.getTime());
    await ensurePartitions(platformDb(dataSource), new Date(Math.min(...times)), new Date(Math.max(...times)));
    return insert();
  });
  const stored = storedRecords(workspaceId, distinct, costs, rows.filter((row) => row.run === null));
  const runs = rows.filter((row) => row.run !== null).map((row) => toRunRecord(row.run as Record<string, unknown>));
  return { accepted: stored.length, duplicates: valid.length - stored.length, rejected, stored, runs };
}

/** The calls with each event id at its first occurrence only: a repeat within a batch is a resend. */
function distinctEventIds(calls: ValidCall[]): ValidCall[] {
  const seen = new Set<string>();
  return calls.filter((call) => {
    if (call.eventId === null) return true;
    if (seen.has(call.eventId)) return false;
    seen.add(call.eventId);
    return true;
  });
}

/**
 * The records of the calls stored, in input order. Identities are handed out in input order, so
 * the stored rows by id are the inputs less the duplicates; a call is a duplicate when the next
 * stored row's event id is not its own (one stored before is stored at none).
 */
function storedRecords(workspaceId: string, valid: ValidCall[], costs: CallCost[], rows: Record<string, unknown>[]): LlmCallRecord[] {
  const byId = rows.map((row) => ({ id: String(row.id), eventId: (row.event_id as string | null) ?? null })).sort((a, b) => Number(a.id) - Number(b.id));
  const stored: LlmCallRecord[] = [];
  for (let i = 0, next = 0; i < valid.length && next < byId.length; i++) {
    if (byId[next].eventId !== valid[i].eventId) continue;
    stored.push(storedRecord(workspaceId, byId[next].id, valid[i], costs[i]));
    next++;
  }
  return stored;
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
  await client.query(`BEGIN; ${scopeStatements({ scope: { kind: 'workspace', workspaceId: NO_WORKSPACE }, isAdmin: false })}; ${GENERIC_PLAN}`);
  try {
    await client.query({ name: INGEST_STATEMENT, text: INSERT_SQL, values: [NO_WORKSPACE, ...INSERT_COLUMNS.map(() => [])] });
  } finally {
    await client.query('ROLLBACK');
  }
}
