/**
 * Each end user's cost and requests over all time (`user_totals`), kept by ingest and re-pricing
 * in the lock step LOCK_ORDER gives the table. No call costs less than nothing, so a user's total
 * over all time bounds its total in any range under any filter: the costliest users of a range
 * are among the costliest overall until the last one found costs more than the next could.
 */

/** The order a ranking by bound supports, and the column of `user_totals` that bounds it. */
export const BOUND_COLUMNS = { TOTAL_COST: 'total_cost', REQUESTS: 'request_count' } as const;

export type BoundedMetric = keyof typeof BOUND_COLUMNS;

/**
 * The upsert that adds `from`'s rows with a user (`total_cost`, `request_count` per call) to each
 * user's totals, in key order once `after` holds. Calls without a user have no row.
 */
export function userTotalsUpsert(from: string, after: string): string {
  return userTotalsChange(from, 'sum(total_cost)', 'sum(request_count)', after);
}

/** The same for re-pricing: `from` has each changed call's `d_total`; requests stay as they are. */
export function userTotalsCostChange(from: string, after: string): string {
  return userTotalsChange(from, 'sum(d_total)', '0', after);
}

function userTotalsChange(from: string, cost: string, requests: string, after: string): string {
  return `INSERT INTO user_totals (workspace_id, user_id, total_cost, request_count)
    SELECT workspace_id, user_id, ${cost}, ${requests} FROM ${from}
    WHERE user_id IS NOT NULL AND ${after}
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (workspace_id, user_id) DO UPDATE SET
      total_cost = user_totals.total_cost + EXCLUDED.total_cost, request_count = user_totals.request_count + EXCLUDED.request_count`;
}

/** A workspace's users in order of their total over all time, after `after` (the last page's last user and bound). */
export function usersByBoundSql(metric: BoundedMetric): string {
  const column = BOUND_COLUMNS[metric];
  return `SELECT user_id, ${column}::text AS bound FROM user_totals
    WHERE workspace_id = $1::uuid AND ($2::numeric IS NULL OR (${column}, user_id) < ($2::numeric, $3::text) AND ${column} <= $2::numeric)
    ORDER BY ${column} DESC, user_id DESC LIMIT $4`;
}
