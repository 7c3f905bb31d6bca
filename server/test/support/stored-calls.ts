import type { Db } from '../../src/db/db';
import { ROLLUP_LEVELS, type RollupLevel } from '../../src/ingest/rollup';

/** What a workspace holds after a fault: raw rows, distinct event ids, and how far rollups and agent stats stray from the rows. */
export interface StoredCalls {
  rows: number;
  distinctEventIds: number;
  /** Rollup rows, over every rollup table, whose sums differ from the raw rows of their key (or that one side lacks). */
  rollupMismatches: number;
  /** Requests counted in agents' model_usage_stats, and raw rows that name an agent. */
  agentStatsRequests: number;
  agentRows: number;
}

const RAW_KEY: Record<string, string> = { agent_id: "coalesce(agent_id, '')", tier: "coalesce(tier, '')" };
const SUMS = ['request_count', 'input_tokens', 'output_tokens', 'total_cost', 'latency_count', 'latency_sum'];

/** Rollup rows of one table that disagree with the raw rows summed by the same key. */
function mismatches({ table, grain, keys }: RollupLevel): string {
  const key = ['start_at', ...keys].join(', ');
  return `WITH raw AS (
      SELECT date_trunc('${grain}', occurred_at, 'UTC') AS start_at, ${keys.map((k) => `${RAW_KEY[k] ?? k} AS ${k}`).join(', ')},
        sum(request_count) AS request_count, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
        sum(total_cost) AS total_cost, count(latency_ms) AS latency_count, coalesce(sum(latency_ms), 0) AS latency_sum
      FROM llm_usage WHERE workspace_id = $1 GROUP BY ${key}),
    rolled AS (SELECT ${key}, ${SUMS.join(', ')} FROM ${table} WHERE workspace_id = $1)
    SELECT count(*)::int AS n FROM raw FULL JOIN rolled USING (${key})
    WHERE ${SUMS.map((c) => `raw.${c} IS DISTINCT FROM rolled.${c}`).join(' OR ')}`;
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
    ...ROLLUP_LEVELS.map((level) => db.query(mismatches(level), [workspaceId])),
  ]);
  return {
    rows: counts.rows,
    distinctEventIds: counts.distinct_ids,
    rollupMismatches: rollups.reduce((sum: number, [row]: { n: number }[]) => sum + row.n, 0),
    agentStatsRequests: agents.requests,
    agentRows: counts.agent_rows,
  };
}
