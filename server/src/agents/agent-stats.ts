/**
 * Agents' per-model totals (`agents.model_usage_stats`, see StoredModelUsage) kept by the
 * writers of calls: a JSON object per model, whose figures a writer adds to.
 */

/**
 * How each figure of a model's totals is added to; costs stay decimal strings. Every figure is
 * added as numeric (a JSON number holds any of them), so an agent's lifetime totals cannot
 * overflow however many calls it makes.
 */
const ADD: Record<string, (old: string, change: string) => string> = {
  requests: (old, change) => `coalesce((${old} ->> 'requests')::numeric, 0) + coalesce((${change} ->> 'requests')::numeric, 0)`,
  totalTokens: (old, change) => `coalesce((${old} ->> 'totalTokens')::numeric, 0) + coalesce((${change} ->> 'totalTokens')::numeric, 0)`,
  totalCost: (old, change) => `(coalesce((${old} ->> 'totalCost')::numeric, 0) + coalesce((${change} ->> 'totalCost')::numeric, 0))::text`,
  latencySum: (old, change) => `coalesce((${old} ->> 'latencySum')::numeric, 0) + coalesce((${change} ->> 'latencySum')::numeric, 0)`,
  latencyCount: (old, change) => `coalesce((${old} ->> 'latencyCount')::numeric, 0) + coalesce((${change} ->> 'latencyCount')::numeric, 0)`,
  lastUsedAt: (old, change) => `greatest((${old} ->> 'lastUsedAt')::timestamptz, (${change} ->> 'lastUsedAt')::timestamptz)`,
};

/** What a stored call adds to its agent's totals for its model: SQL aggregates over the calls, per figure. */
export const CALL_STATS: Record<string, string> = {
  requests: 'sum(request_count)',
  totalTokens: 'sum(input_tokens + output_tokens)',
  totalCost: 'sum(total_cost)::text',
  latencySum: 'coalesce(sum(latency_ms), 0)',
  latencyCount: 'count(latency_ms)',
  lastUsedAt: 'max(occurred_at)',
};

/**
 * One row per agent of `from` (rows with agent_id and model_id): `agent_id` and `stats`, an
 * object of each model's changes, `figures` giving the SQL aggregate of each changed figure.
 */
export function agentStatsChanges(from: string, figures: Record<string, string>): string {
  const perModel = Object.entries(figures)
    .map(([name, aggregate]) => `'${name}', ${aggregate}`)
    .join(', ');
  return `SELECT agent_id, jsonb_object_agg(model_id, stats) AS stats FROM (
      SELECT agent_id, model_id, jsonb_build_object(${perModel}) AS stats FROM ${from} WHERE agent_id IS NOT NULL GROUP BY 1, 2
    ) per_model GROUP BY agent_id`;
}

/**
 * Adds each agent's changes (`changes`: rows of agent_id and stats, from agentStatsChanges) to
 * its totals in one upsert, taking the agents in id order (LOCK_ORDER), an agent it does not
 * know created with the changes as its totals. `after` holds it back until an earlier lock step
 * has run. Returns the agents' ids.
 */
export function agentStatsUpsert(workspaceId: string, changes: string, after: string): string {
  const added = Object.entries(ADD)
    .map(([name, add]) => `'${name}', ${add('old.stats', 'change.value')}`)
    .join(',\n        ');
  return `INSERT INTO agents (workspace_id, id, name, model_usage_stats)
    SELECT ${workspaceId}, agent_id, agent_id, stats FROM ${changes} WHERE ${after} ORDER BY agent_id
    ON CONFLICT (workspace_id, id) DO UPDATE SET model_usage_stats = agents.model_usage_stats || (
      SELECT jsonb_object_agg(change.key, jsonb_build_object(
        ${added}))
      FROM jsonb_each(EXCLUDED.model_usage_stats) AS change
        CROSS JOIN LATERAL (SELECT agents.model_usage_stats -> change.key AS stats) AS old)
    RETURNING id`;
}
