import type { Db } from '../db/db';
import { Params } from '../db/db';
import { badInput } from '../graphql/errors';
import { LLM_CALL_COLUMNS, toLlmCallRecord, type LlmCallRecord } from '../ingest/llm-call.record';
import { CALL_BOUNDS } from '../ingest/call-bounds';
import type { CallStatus, Scope, TimeRange } from '../metrics/metrics.model';
import { HISTOGRAM_COLUMNS } from '../ingest/rollup';
import { histogramFromText, percentileFromHistogram } from '../metrics/latency-histogram';
import { DURATION_BUCKET_SQL, DURATION_BUCKET_UNIT_MS, RUN_COLUMNS } from './run-upsert';
import { toRunRecord, type RunRecord } from './run.record';

export const RUN_ORDERS = ['STARTED_AT', 'COST', 'DURATION', 'CALLS'] as const;
export type RunOrder = (typeof RUN_ORDERS)[number];

export interface RunFilterValues {
  workflow?: string | null;
  agentId?: string | null;
  status?: CallStatus | null;
  /** Runs with a call made for this end user. */
  userId?: string | null;
}

export const DEFAULT_RUNS_LIMIT = 50;
export const MAX_RUNS_LIMIT = 200;

/**
 * Each order's SQL value, its text (exact: a time to the microsecond, a decimal, an interval) as
 * a cursor carries it, and how the cursor's text is read back to compare with the value.
 */
// Qualified: RUN_COLUMNS names total_cost's text by the column's own name, which a bare ORDER BY would sort.
const ORDER_SQL: Record<RunOrder, { value: string; text: string; param: (placeholder: string) => string }> = {
  STARTED_AT: { value: 'runs.started_at', text: `(runs.started_at AT TIME ZONE 'UTC')::text`, param: (p) => `(${p}::timestamp AT TIME ZONE 'UTC')` },
  COST: { value: 'runs.total_cost', text: 'runs.total_cost::text', param: (p) => `${p}::numeric` },
  DURATION: { value: '(runs.ended_at - runs.started_at)', text: '(runs.ended_at - runs.started_at)::text', param: (p) => `${p}::interval` },
  CALLS: { value: 'runs.calls', text: 'runs.calls::text', param: (p) => `${p}::integer` },
};

/** What a cursor holds: the order it was made for and the last run's place in it. */
interface Cursor {
  order: RunOrder;
  descending: boolean;
  value: string;
  workspaceId: string;
  executionId: string;
}

const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify([cursor.order, cursor.descending ? 1 : 0, cursor.value, cursor.workspaceId, cursor.executionId])).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(text: string, order: RunOrder, descending: boolean): Cursor {
  const refuse = (why: string) => badInput(`after must be the nextCursor of a page of runs in the same order, but got "${text.slice(0, 80)}" (${why})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refuse('not a cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 5 ||
    !RUN_ORDERS.includes(parsed[0]) ||
    (parsed[1] !== 0 && parsed[1] !== 1) ||
    typeof parsed[2] !== 'string' ||
    typeof parsed[3] !== 'string' ||
    !UUID.test(parsed[3]) ||
    typeof parsed[4] !== 'string'
  ) {
    throw refuse('not a cursor');
  }
  if (parsed[0] !== order || (parsed[1] === 1) !== descending) {
    throw refuse(`made for ${parsed[0]} ${parsed[1] === 1 ? 'descending' : 'ascending'}, asked ${order} ${descending ? 'descending' : 'ascending'}`);
  }
  return { order, descending, value: parsed[2], workspaceId: parsed[3], executionId: parsed[4] };
}

function scopeCondition(scope: Scope, params: Params): string[] {
  return scope.kind === 'workspace' ? [`workspace_id = ${params.add(scope.workspaceId)}::uuid`] : [];
}

function checkFilterText(name: string, value: string | null | undefined, max: number): void {
  if (value !== null && value !== undefined && value.length > max) throw badInput(`filter.${name} takes at most ${max} characters, but got ${value.length}`);
}

/**
 * A page of the runs that started in `range`, in one order (default: newest start first), with
 * the cursor of the next page (null on the last). Keyset pagination: the cursor is the last
 * run's place in the order (its value there, then workspace and execution id), and the next page
 * starts strictly after it. In start order a page neither skips nor repeats runs while calls
 * land: a new call moves its run's start only when it began earlier than every call before it
 * (a call reported late). Cost, duration and calls grow as a run's calls land, so in those orders
 * a run that changes between pages may move across the cursor: seen twice, or not at all.
 */
export async function listRuns(
  db: Db,
  scope: Scope,
  options: { range: TimeRange; filter?: RunFilterValues | null; orderBy?: RunOrder | null; descending?: boolean | null; limit?: number | null; after?: string | null },
): Promise<{ runs: RunRecord[]; nextCursor: string | null }> {
  const limit = options.limit ?? DEFAULT_RUNS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS_LIMIT) throw badInput(`limit must be from 1 to ${MAX_RUNS_LIMIT}, but got ${limit}`);
  const order = options.orderBy ?? 'STARTED_AT';
  const descending = options.descending ?? true;
  const f = options.filter;
  checkFilterText('workflow', f?.workflow, CALL_BOUNDS.maxTextLength);
  checkFilterText('agentId', f?.agentId, CALL_BOUNDS.maxAgentIdLength);
  checkFilterText('userId', f?.userId, CALL_BOUNDS.maxAttributionIdLength);
  const sql = ORDER_SQL[order];
  const params = new Params();
  const where = [
    ...scopeCondition(scope, params),
    `started_at >= ${params.add(options.range.from.toISOString())}::timestamptz`,
    `started_at < ${params.add(options.range.to.toISOString())}::timestamptz`,
  ];
  if (f?.workflow) where.push(`workflow = ${params.add(f.workflow)}`);
  if (f?.agentId) where.push(`agent_ids @> ARRAY[${params.add(f.agentId)}::text]`);
  if (f?.status) where.push(f.status === 'ERROR' ? 'errors > 0' : 'errors = 0');
  if (f?.userId) where.push(`user_ids @> ARRAY[${params.add(f.userId.trim())}::text]`);
  const comparison = descending ? '<' : '>';
  const direction = descending ? 'DESC' : 'ASC';
  // Within one workspace the (workspace_id, started_at, execution_id) index serves the start order.
  const keys = scope.kind === 'workspace' ? [sql.value, 'runs.execution_id'] : [sql.value, 'runs.workspace_id', 'runs.execution_id'];
  if (options.after) {
    const cursor = decodeCursor(options.after, order, descending);
    const values =
      scope.kind === 'workspace'
        ? [sql.param(params.add(cursor.value)), `${params.add(cursor.executionId)}::text`]
        : [sql.param(params.add(cursor.value)), `${params.add(cursor.workspaceId)}::uuid`, `${params.add(cursor.executionId)}::text`];
    where.push(`(${keys.join(', ')}) ${comparison} (${values.join(', ')})`);
  }
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${RUN_COLUMNS}, ${sql.text} AS order_value FROM runs WHERE ${where.join(' AND ')}
     ORDER BY ${keys.map((k) => `${k} ${direction}`).join(', ')} LIMIT ${params.add(limit + 1)}`,
    params.values,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor({ order, descending, value: String(last.order_value), workspaceId: String(last.workspace_id), executionId: String(last.execution_id) })
      : null;
  return { runs: page.map(toRunRecord), nextCursor };
}

/** The run of an executionId in the scope; in scope __all__ an id several workspaces share gives the one that started last. */
export async function findRun(db: Db, scope: Scope, id: string): Promise<RunRecord | null> {
  if (id.length > CALL_BOUNDS.maxTextLength) return null;
  const params = new Params();
  const where = [...scopeCondition(scope, params), `execution_id = ${params.add(id)}`];
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${RUN_COLUMNS} FROM runs WHERE ${where.join(' AND ')} ORDER BY started_at DESC LIMIT 1`,
    params.values,
  );
  return rows[0] ? toRunRecord(rows[0]) : null;
}

/**
 * The calls of many runs, each run's oldest first, in one statement. A run's calls lie between its
 * start and its end, so they are found through the raw rows' time index (the millisecond added
 * covers the microseconds a record's times leave out).
 */
export async function loadRunCalls(db: Db, runs: RunRecord[]): Promise<LlmCallRecord[][]> {
  if (runs.length === 0) return [];
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT k.i, c.* FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[]) WITH ORDINALITY AS k(workspace_id, execution_id, started_at, ended_at, i)
     CROSS JOIN LATERAL (
       SELECT ${LLM_CALL_COLUMNS} FROM llm_usage l
       WHERE l.workspace_id = k.workspace_id AND l.occurred_at >= k.started_at AND l.occurred_at <= k.ended_at + interval '1 millisecond'
         AND l.execution_id = k.execution_id
       ORDER BY l.occurred_at, l.id
     ) c`,
    [runs.map((r) => r.workspaceId), runs.map((r) => r.executionId), runs.map((r) => r.startedAt), runs.map((r) => r.endedAt)],
  );
  const calls: LlmCallRecord[][] = runs.map(() => []);
  for (const row of rows) calls[Number(row.i) - 1].push(toLlmCallRecord(row));
  return calls;
}

export interface WorkflowStatsRecord {
  workflow: string;
  runs: number;
  successRate: number;
  avgDurationMs: number;
  p95DurationMs: number;
  totalCost: number;
  costPerRun: number;
}

const DAY_MS = 86_400_000;

/**
 * Per workflow, the runs that started in `range` (runs that name no workflow are left out),
 * costliest first. The whole UTC days of the range are read from `workflow_run_days` (a row per
 * workflow and day), the partial days at its ends from the runs themselves; counts, success rate,
 * average duration and cost are exact, and the p95 duration then comes from the durations'
 * histogram (within 5%). A range holding no whole day reads its runs alone, with an exact p95.
 */
export async function workflowStats(db: Db, scope: Scope, range: TimeRange): Promise<WorkflowStatsRecord[]> {
  const firstDay = Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(range.to.getTime() / DAY_MS) * DAY_MS;
  if (firstDay >= lastDay) return workflowStatsOfRuns(db, scope, range);
  const params = new Params();
  const scoped = scopeCondition(scope, params);
  const time = (from: number | Date, to: number | Date) =>
    `(started_at >= ${params.add(new Date(from).toISOString())}::timestamptz AND started_at < ${params.add(new Date(to).toISOString())}::timestamptz)`;
  const edges = [...(range.from.getTime() < firstDay ? [time(range.from, firstDay)] : []), ...(lastDay < range.to.getTime() ? [time(lastDay, range.to)] : [])];
  const days = [...scoped, `day >= ${params.add(new Date(firstDay).toISOString())}::timestamptz`, `day < ${params.add(new Date(lastDay).toISOString())}::timestamptz`];
  const edgeRuns = edges.length
    ? `UNION ALL
       SELECT workflow, 1, (errors = 0)::int, extract(epoch FROM ended_at - started_at) * 1000, total_cost, ${HISTOGRAM_COLUMNS.map((_, i) => `(b = ${i})::int`).join(', ')}
       -- OFFSET 0 keeps each run's bucket computed once.
       FROM (SELECT *, ${DURATION_BUCKET_SQL('ended_at - started_at')} AS b FROM runs
             WHERE ${[...scoped, 'workflow IS NOT NULL', `(${edges.join(' OR ')})`].join(' AND ')} OFFSET 0) r`
    : '';
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT workflow, sum(runs) AS runs, sum(succeeded) AS succeeded, sum(duration_ms) / sum(runs) AS avg_duration_ms, sum(total_cost)::text AS total_cost,
       ARRAY[${HISTOGRAM_COLUMNS.map((h) => `sum(${h})`).join(', ')}]::text AS histogram
     FROM (
       SELECT workflow, runs, succeeded, duration_ms, total_cost, ${HISTOGRAM_COLUMNS.join(', ')} FROM workflow_run_days WHERE ${days.join(' AND ')}
       ${edgeRuns}
     ) u
     GROUP BY workflow HAVING sum(runs) > 0 ORDER BY sum(total_cost) DESC, workflow`,
    params.values,
  );
  return rows.map((row) =>
    workflowRecord(row, percentileFromHistogram(histogramFromText(String(row.histogram)), 0.95) * DURATION_BUCKET_UNIT_MS),
  );
}

function workflowRecord(row: Record<string, unknown>, p95DurationMs: number): WorkflowStatsRecord {
  const runs = Number(row.runs);
  const totalCost = Number(row.total_cost);
  return {
    workflow: String(row.workflow),
    runs,
    successRate: Number(row.succeeded) / runs,
    avgDurationMs: Number(row.avg_duration_ms),
    p95DurationMs,
    totalCost,
    costPerRun: totalCost / runs,
  };
}

/** workflowStats from the runs alone, with an exact p95: for ranges within a day or two. */
async function workflowStatsOfRuns(db: Db, scope: Scope, range: TimeRange): Promise<WorkflowStatsRecord[]> {
  const params = new Params();
  const where = [
    ...scopeCondition(scope, params),
    `started_at >= ${params.add(range.from.toISOString())}::timestamptz`,
    `started_at < ${params.add(range.to.toISOString())}::timestamptz`,
    'workflow IS NOT NULL',
  ];
  const rows: Record<string, unknown>[] = await db.query(
    // Durations stay intervals until the answer: averaging and sorting intervals is several times cheaper than numeric milliseconds.
    `SELECT workflow, count(*) AS runs, count(*) FILTER (WHERE errors = 0) AS succeeded,
       extract(epoch FROM avg(ended_at - started_at)) * 1000 AS avg_duration_ms,
       extract(epoch FROM percentile_cont(0.95) WITHIN GROUP (ORDER BY ended_at - started_at)) * 1000 AS p95_duration_ms, sum(total_cost)::text AS total_cost
     FROM runs WHERE ${where.join(' AND ')}
     GROUP BY workflow ORDER BY sum(total_cost) DESC, workflow`,
    params.values,
  );
  return rows.map((row) => workflowRecord(row, Number(row.p95_duration_ms)));
}

/**
 * How many runs that started in `range` each agent took part in, by `workspaceId\0agentId`: whole
 * UTC days from `agent_run_days`, the partial days at the range's ends from the runs themselves.
 */
export async function runsPerAgent(db: Db, scope: Scope, range: TimeRange): Promise<Map<string, number>> {
  const params = new Params();
  const scoped = scopeCondition(scope, params);
  const firstDay = Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(range.to.getTime() / DAY_MS) * DAY_MS;
  const time = (from: number, to: number) =>
    `(started_at >= ${params.add(new Date(from).toISOString())}::timestamptz AND started_at < ${params.add(new Date(to).toISOString())}::timestamptz)`;
  const whole = firstDay < lastDay;
  const edges = whole
    ? [...(range.from.getTime() < firstDay ? [time(range.from.getTime(), firstDay)] : []), ...(lastDay < range.to.getTime() ? [time(lastDay, range.to.getTime())] : [])]
    : [time(range.from.getTime(), range.to.getTime())];
  const parts = [
    ...(whole
      ? [`SELECT workspace_id, agent_id, runs FROM agent_run_days WHERE ${[...scoped, `day >= ${params.add(new Date(firstDay).toISOString())}::timestamptz`, `day < ${params.add(new Date(lastDay).toISOString())}::timestamptz`].join(' AND ')}`]
      : []),
    ...(edges.length ? [`SELECT workspace_id, agent_id, 1 AS runs FROM runs CROSS JOIN LATERAL unnest(agent_ids) AS agent_id WHERE ${[...scoped, `(${edges.join(' OR ')})`].join(' AND ')}`] : []),
  ];
  const rows: { workspace_id: string; agent_id: string; runs: string }[] = await db.query(
    `SELECT workspace_id, agent_id, sum(runs) AS runs FROM (${parts.join(' UNION ALL ')}) u GROUP BY 1, 2`,
    params.values,
  );
  return new Map(rows.map((r) => [`${r.workspace_id}\u0000${r.agent_id}`, Number(r.runs)]));
}

/** True when a published run falls in a subscriber's scope and names the workflow asked for (any, when none). */
export function runMatches(run: RunRecord, scope: Scope, workflow?: string | null): boolean {
  if (scope.kind === 'workspace' && run.workspaceId !== scope.workspaceId) return false;
  return !workflow || run.workflow === workflow;
}
