import type { Db } from '../../src/db/db';

/** What a workspace holds after a fault: raw rows, distinct event ids, and how far rollups and agent stats stray from the rows. */
export interface StoredCalls {
  rows: number;
  distinctEventIds: number;
  /** Rollup rows whose sums differ from the raw rows of their key (or that one side lacks). */
  hourlyMismatches: number;
  dailyMismatches: number;
  /** Requests counted in agents' model_usage_stats, and raw rows that name an agent. */
  agentStatsRequests: number;
  agentRows: number;
}

function rollupMismatches(table: 'llm_usage_hourly' | 'llm_usage_daily', unit: 'hour' | 'day'): string {
  const key = 'start_at, model_id, provider, agent_id, tier, is_byok, request_type, status';
  const sums = ['request_count', 'input_tokens', 'output_tokens', 'total_cost', 'latency_count', 'latency_sum'];
  return `WITH raw AS (
      SELECT date_trunc('${unit}', occurred_at, 'UTC') AS start_at, model_id, provider, coalesce(agent_id, '') AS agent_id,
        coalesce(tier, '') AS tier, is_byok, request_type, status,
        sum(request_count) AS request_count, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(total_cost) AS total_cost, count(latency_ms) AS latency_count, coalesce(sum(latency_ms), 0) AS latency_sum
      FROM llm_usage WHERE workspace_id = $1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
    rolled AS (SELECT ${key}, ${sums.join(', ')} FROM ${table} WHERE workspace_id = $1)
    SELECT count(*)::int AS n FROM raw FULL JOIN rolled USING (${key})
    WHERE ${sums.map((c) => `raw.${c} IS DISTINCT FROM rolled.${c}`).join(' OR ')}`;
}

/** Counts what a workspace holds, to check that a fault lost nothing, stored nothing twice and left rollups true. */
export async function storedCalls(db: Db, workspaceId: string): Promise<StoredCalls> {
  const [[counts], [hourly], [daily], [agents]] = await Promise.all([
    db.query(
      `SELECT count(*)::int AS rows, count(DISTINCT event_id)::int AS distinct_ids, count(agent_id)::int AS agent_rows
       FROM llm_usage WHERE workspace_id = $1`,
      [workspaceId],
    ),
    db.query(rollupMismatches('llm_usage_hourly', 'hour'), [workspaceId]),
    db.query(rollupMismatches('llm_usage_daily', 'day'), [workspaceId]),
    db.query(
      `SELECT coalesce(sum((stats.value ->> 'requests')::bigint), 0)::int AS requests
       FROM agents, jsonb_each(model_usage_stats) AS stats WHERE workspace_id = $1`,
      [workspaceId],
    ),
  ]);
  return {
    rows: counts.rows,
    distinctEventIds: counts.distinct_ids,
    hourlyMismatches: hourly.n,
    dailyMismatches: daily.n,
    agentStatsRequests: agents.requests,
    agentRows: counts.agent_rows,
  };
}
