import type { Db } from '../../src/db/db';
import { HISTOGRAM_COLUMNS, ROLLUP_LEVELS, type RollupLevel } from '../../src/ingest/rollup';

/** What a workspace holds after a fault: raw rows, distinct event ids, and how far rollups and agent stats stray from the rows. */
export interface StoredCalls {
  rows: number;
  distinctEventIds: number;
  /** Rollup rows, over every rollup table, whose sums or histograms differ from the raw rows of their key (or that one side lacks). */
  rollupMismatches: number;
  /** Requests counted in agents' model_usage_stats, and raw rows that name an agent. */
  agentStatsRequests: number;
  agentRows: number;
}

const RAW_KEY: Record<string, string> = {
  agent_id: "coalesce(agent_id, '')",
  tier: "coalesce(tier, '')",
  workflow: "coalesce(workflow, '')",
  user_id: "coalesce(user_id, '')",
};
/** Raw rows as a tag rollup counts them: once per tag, untagged calls under ''. */
const RAW_BY_TAG = `llm_usage, unnest(CASE WHEN cardinality(tags) = 0 THEN ARRAY[''] ELSE tags END) AS t(tag)`;

/** Each rollup sum as computed from raw rows, written out here apart from the ingest's own SQL. */
const RAW_SUMS: Record<string, string> = {
  request_count: 'sum(request_count)',
  input_tokens: 'sum(input_tokens)',
  output_tokens: 'sum(output_tokens)',
  cache_read_tokens: 'sum(cache_read_tokens)',
  cache_write_tokens: 'sum(cache_write_tokens)',
  reasoning_tokens: 'sum(reasoning_tokens)',
  input_cost: 'sum(input_cost)',
  output_cost: 'sum(output_cost)',
  total_cost: 'sum(total_cost)',
  unpriced_count: 'sum(CASE WHEN priced THEN 0 ELSE request_count END)',
  latency_count: 'count(latency_ms)',
  latency_sum: 'coalesce(sum(latency_ms), 0)',
};
const RAW_HISTOGRAM = `ARRAY[${HISTOGRAM_COLUMNS.map((_, i) => `count(*) FILTER (WHERE tally_latency_bucket(latency_ms) = ${i})`).join(', ')}]::bigint[]`;
const ROLLUP_HISTOGRAM = `ARRAY[${HISTOGRAM_COLUMNS.join(', ')}]::bigint[]`;
const SPARSE_HISTOGRAM = `ARRAY[${HISTOGRAM_COLUMNS.map((_, i) => `coalesce((latency_histogram ->> '${i}')::bigint, 0)`).join(', ')}]::bigint[]`;

/** A rollup row or an agent's model totals that differ from the raw rows of its key: both sides, as JSON. */
export interface Drift {
  table: string;
  raw: Record<string, unknown> | null;
  kept: Record<string, unknown> | null;
}

/** Rows of one rollup whose sums or histogram differ from the raw rows summed by the same key (or that one side lacks). */
function rollupDrift({ table, grain, keys, onlyFor, histogram }: RollupLevel): string {
  const key = ['start_at', ...keys].join(', ');
  const figures = [...Object.keys(RAW_SUMS), 'histogram'];
  return `WITH raw AS (
      SELECT date_trunc('${grain}', occurred_at, 'UTC') AS start_at, ${keys.map((k) => `${RAW_KEY[k] ?? k} AS ${k}`).join(', ')},
        ${Object.entries(RAW_SUMS).map(([column, sum]) => `${sum} AS ${column}`).join(', ')}, ${RAW_HISTOGRAM} AS histogram
      FROM ${onlyFor === 'tag' ? RAW_BY_TAG : 'llm_usage'} WHERE workspace_id = $1 GROUP BY ${key}),
    kept AS (SELECT ${key}, ${Object.keys(RAW_SUMS).join(', ')}, ${histogram === 'sparse' ? SPARSE_HISTOGRAM : ROLLUP_HISTOGRAM} AS histogram FROM ${table} WHERE workspace_id = $1)
    SELECT '${table}' AS table, to_jsonb(raw) AS raw, to_jsonb(kept) AS kept FROM raw FULL JOIN kept USING (${key})
    WHERE ${figures.map((c) => `raw.${c} IS DISTINCT FROM kept.${c}`).join(' OR ')}`;
}

/** Agents' per-model totals that differ from their raw rows. */
const AGENT_DRIFT = `WITH raw AS (
    SELECT agent_id, model_id, sum(request_count) AS requests, sum(input_tokens + output_tokens) AS total_tokens, sum(total_cost) AS total_cost,
      coalesce(sum(latency_ms), 0) AS latency_sum, count(latency_ms) AS latency_count, max(occurred_at) AS last_used_at
    FROM llm_usage WHERE workspace_id = $1 AND agent_id IS NOT NULL GROUP BY 1, 2),
  kept AS (
    SELECT a.id AS agent_id, s.key AS model_id, (s.value ->> 'requests')::numeric AS requests, (s.value ->> 'totalTokens')::numeric AS total_tokens,
      (s.value ->> 'totalCost')::numeric AS total_cost, (s.value ->> 'latencySum')::numeric AS latency_sum,
      (s.value ->> 'latencyCount')::numeric AS latency_count, (s.value ->> 'lastUsedAt')::timestamptz AS last_used_at
    FROM agents a, jsonb_each(a.model_usage_stats) AS s WHERE a.workspace_id = $1)
  SELECT 'agents' AS table, to_jsonb(raw) AS raw, to_jsonb(kept) AS kept FROM raw FULL JOIN kept USING (agent_id, model_id)
  WHERE ${['requests', 'total_tokens', 'total_cost', 'latency_sum', 'latency_count', 'last_used_at'].map((c) => `raw.${c} IS DISTINCT FROM kept.${c}`).join(' OR ')}`;

/** Runs that differ from their raw rows. */
const RUN_DRIFT = `WITH raw AS (
    SELECT execution_id, min(occurred_at - coalesce(latency_ms, 0) * interval '1 millisecond') AS started_at, max(occurred_at) AS ended_at,
      count(*) AS calls, count(*) FILTER (WHERE status = 'ERROR') AS errors, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(total_cost) AS total_cost, coalesce(array_agg(DISTINCT agent_id::text ORDER BY agent_id::text) FILTER (WHERE agent_id IS NOT NULL), '{}') AS agent_ids,
      array_agg(DISTINCT model_id ORDER BY model_id) AS models, (array_agg(workflow ORDER BY id) FILTER (WHERE workflow IS NOT NULL))[1] AS workflow,
      coalesce(array_agg(DISTINCT user_id ORDER BY user_id) FILTER (WHERE user_id IS NOT NULL), '{}') AS user_ids
    FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY 1),
  kept AS (SELECT execution_id, started_at, ended_at, calls, errors, input_tokens, output_tokens, total_cost, agent_ids, models, workflow, user_ids FROM runs WHERE workspace_id = $1)
  SELECT 'runs' AS table, to_jsonb(raw) AS raw, to_jsonb(kept) AS kept FROM raw FULL JOIN kept USING (execution_id)
  WHERE ${['started_at', 'ended_at', 'calls', 'errors', 'input_tokens', 'output_tokens', 'total_cost', 'agent_ids', 'models', 'workflow', 'user_ids'].map((c) => `raw.${c} IS DISTINCT FROM kept.${c}`).join(' OR ')}`;

/** A run's duration bucket, written out apart from the ingest's own SQL: units of 10 ms. */
const RUN_BUCKET = `tally_latency_bucket(least(floor(extract(epoch FROM ended_at - started_at) * 100), 2147483647)::int)`;

/** Workflow days that differ from the runs table summed by start day and workflow (rows left all zero by runs that moved count as absent). */
const WORKFLOW_DAY_DRIFT = `WITH raw AS (
    SELECT date_trunc('day', started_at, 'UTC') AS day, workflow, count(*) AS runs, count(*) FILTER (WHERE errors = 0) AS succeeded,
      sum(extract(epoch FROM ended_at - started_at) * 1000) AS duration_ms, sum(total_cost) AS total_cost,
      ARRAY[${HISTOGRAM_COLUMNS.map((_, i) => `count(*) FILTER (WHERE ${RUN_BUCKET} = ${i})`).join(', ')}]::bigint[] AS histogram
    FROM runs WHERE workspace_id = $1 AND workflow IS NOT NULL GROUP BY 1, 2),
  kept AS (
    SELECT day, workflow, runs, succeeded, duration_ms, total_cost, ${ROLLUP_HISTOGRAM} AS histogram FROM workflow_run_days
    WHERE workspace_id = $1 AND NOT (runs = 0 AND succeeded = 0 AND duration_ms = 0 AND total_cost = 0 AND ${ROLLUP_HISTOGRAM} = ARRAY[${HISTOGRAM_COLUMNS.map(() => '0').join(', ')}]::bigint[]))
  SELECT 'workflow_run_days' AS table, to_jsonb(raw) AS raw, to_jsonb(kept) AS kept FROM raw FULL JOIN kept USING (day, workflow)
  WHERE ${['runs', 'succeeded', 'duration_ms', 'total_cost', 'histogram'].map((c) => `raw.${c} IS DISTINCT FROM kept.${c}`).join(' OR ')}`;

/** Agents' runs per day that differ from the runs table (rows left at zero by runs that moved count as absent). */
const AGENT_DAY_DRIFT = `WITH raw AS (
    SELECT date_trunc('day', started_at, 'UTC') AS day, agent_id, count(*) AS runs FROM runs CROSS JOIN LATERAL unnest(agent_ids) AS agent_id
    WHERE workspace_id = $1 GROUP BY 1, 2),
  kept AS (SELECT day, agent_id, runs FROM agent_run_days WHERE workspace_id = $1 AND runs <> 0)
  SELECT 'agent_run_days' AS table, to_jsonb(raw) AS raw, to_jsonb(kept) AS kept FROM raw FULL JOIN kept USING (day, agent_id)
  WHERE raw.runs IS DISTINCT FROM kept.runs`;

const USER_TOTALS_DRIFT = `WITH raw AS (
    SELECT user_id, sum(total_cost) AS total_cost, sum(request_count) AS request_count FROM llm_usage
    WHERE workspace_id = $1 AND user_id IS NOT NULL GROUP BY 1),
  kept AS (SELECT user_id, total_cost, request_count FROM user_totals WHERE workspace_id = $1)
  SELECT 'user_totals' AS table, to_jsonb(raw) AS raw, to_jsonb(kept) AS kept FROM raw FULL JOIN kept USING (user_id)
  WHERE (raw.total_cost, raw.request_count) IS DISTINCT FROM (kept.total_cost, kept.request_count)`;

/**
 * Everything a workspace keeps beside its raw rows that the raw rows disagree with: rows of
 * every rollup level (every sum, every histogram bucket), agents' per-model totals, runs, the
 * workflows' days (against the runs) and each user's totals over all time. Empty when each is
 * exactly what a person would add up from the raw rows.
 */
export async function driftFromRawRows(db: Db, workspaceId: string): Promise<Drift[]> {
  const found: Drift[][] = await Promise.all([...ROLLUP_LEVELS.map((level) => db.query(rollupDrift(level), [workspaceId])), db.query(AGENT_DRIFT, [workspaceId]), db.query(RUN_DRIFT, [workspaceId]), db.query(WORKFLOW_DAY_DRIFT, [workspaceId]), db.query(AGENT_DAY_DRIFT, [workspaceId]), db.query(USER_TOTALS_DRIFT, [workspaceId])]);
  return found.flat();
}

/** Counts what a workspace holds, to check that a fault lost nothing, stored nothing twice and left rollups true. */
export async function storedCalls(db: Db, workspaceId: string): Promise<StoredCalls> {
  const [[counts], [agents], ...rollups] = await Promise.all([
    db.query(
      `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct_ids, count(agent_id)::int AS agent_rows
       FROM llm_usage WHERE workspace_id = $1`,
      [workspaceId],
    ),
    db.query(
      `SELECT coalesce(sum((stats.value ->> 'requests')::bigint), 0)::int AS requests
       FROM agents, jsonb_each(model_usage_stats) AS stats WHERE workspace_id = $1`,
      [workspaceId],
    ),
    ...ROLLUP_LEVELS.map((level) => db.query(rollupDrift(level), [workspaceId])),
  ]);
  return {
    rows: counts.rows,
    distinctEventIds: counts.distinct_ids,
    rollupMismatches: rollups.reduce((sum: number, rows: Drift[]) => sum + rows.length, 0),
    agentStatsRequests: agents.requests,
    agentRows: counts.agent_rows,
  };
}
