/**
 * The statements that keep llm_usage_hourly and llm_usage_daily equal to sums over the raw
 * rows: each adds the rows of a CTE (raw llm_usage columns) into one rollup table.
 */

const ROLLUP_KEY = 'workspace_id, start_at, model_id, provider, agent_id, tier, is_byok, request_type, status';
const SUMMED = [
  'request_count',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'input_cost',
  'output_cost',
  'total_cost',
  'unpriced_count',
  'latency_count',
  'latency_sum',
];

const START = {
  llm_usage_hourly: "date_trunc('hour', occurred_at, 'UTC')",
  llm_usage_daily: "date_trunc('day', occurred_at, 'UTC')",
} as const;

export type RollupTable = keyof typeof START;
export const ROLLUP_TABLES: RollupTable[] = ['llm_usage_hourly', 'llm_usage_daily'];

/**
 * `INSERT … SELECT … ON CONFLICT DO UPDATE` adding the rows of `fromCte` into `table`.
 * Rows are inserted in key order so concurrent batches lock rollup rows in the same order.
 */
export function rollupUpsert(table: RollupTable, fromCte: string): string {
  return `INSERT INTO ${table} (${ROLLUP_KEY}, ${SUMMED.join(', ')}, latency_hist)
    SELECT workspace_id, ${START[table]}, model_id, provider, coalesce(agent_id, ''), coalesce(tier, ''), is_byok, request_type, status,
      sum(request_count), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
      sum(input_cost), sum(output_cost), sum(total_cost),
      sum(CASE WHEN priced THEN 0 ELSE request_count END), count(latency_ms), coalesce(sum(latency_ms), 0), tally_hist(latency_ms)
    FROM ${fromCte}
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (${ROLLUP_KEY}) DO UPDATE SET
      ${SUMMED.map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`).join(',\n      ')},
      latency_hist = tally_hist_merge(${table}.latency_hist, EXCLUDED.latency_hist)`;
}

/**
 * `UPDATE` adding cost changes to existing rollup rows. `fromCte` has the raw key columns
 * (occurred_at, model_id, …) and d_input, d_output, d_total, d_unpriced per call.
 */
export function rollupCostDelta(table: RollupTable, fromCte: string): string {
  return `UPDATE ${table} r SET
      input_cost = r.input_cost + d.d_input,
      output_cost = r.output_cost + d.d_output,
      total_cost = r.total_cost + d.d_total,
      unpriced_count = r.unpriced_count + d.d_unpriced
    FROM (
      SELECT workspace_id, ${START[table]} AS start_at, model_id, provider, coalesce(agent_id, '') AS agent_id,
        coalesce(tier, '') AS tier, is_byok, request_type, status,
        sum(d_input) AS d_input, sum(d_output) AS d_output, sum(d_total) AS d_total, sum(d_unpriced) AS d_unpriced
      FROM ${fromCte} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ) d
    WHERE (r.workspace_id, r.start_at, r.model_id, r.provider, r.agent_id, r.tier, r.is_byok, r.request_type, r.status)
      = (d.workspace_id, d.start_at, d.model_id, d.provider, d.agent_id, d.tier, d.is_byok, d.request_type, d.status)`;
}
