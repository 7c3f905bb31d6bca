/**
 * The runs table kept by the writers of calls: one row per (workspace, executionId), the sums of
 * its calls. Ingest adds a batch's newly stored calls to their runs in one grouped upsert (a row
 * per run of the batch); re-pricing adds its cost changes. Rows are taken in execution id order,
 * after the agents (LOCK_ORDER).
 */

/** A run's columns as the writers return them (see toRunRecord). */
export const RUN_COLUMNS = `workspace_id, execution_id, workflow, started_at, ended_at, calls, errors, input_tokens, output_tokens,
  total_cost::text AS total_cost, agent_ids, models, extract(epoch FROM ended_at - started_at) * 1000 AS duration_ms`;

/** An array column taking a batch's values in, kept sorted and distinct; unchanged (no new array) when it holds them already. */
const merged = (column: string) =>
  `CASE WHEN EXCLUDED.${column} <@ runs.${column} THEN runs.${column} ELSE ARRAY(SELECT DISTINCT v FROM unnest(runs.${column} || EXCLUDED.${column}) AS v ORDER BY v) END`;

/**
 * `INSERT … ON CONFLICT DO UPDATE` adding the calls of `from` (stored raw rows with id,
 * execution_id, workflow, occurred_at, latency_ms, status, tokens, total_cost, agent_id,
 * model_id, user_id) to their runs, one row per run; a run keeps the end users its calls name. A run starts at its earliest call's start
 * (occurred_at − latency) and ends at its latest call's end; its workflow is the first one its
 * calls gave (the oldest stored call naming one). `after` holds it back until an earlier lock
 * step has run. Answers with each run as it now is.
 */
export function runsUpsert(workspaceId: string, from: string, after: string): string {
  return `INSERT INTO runs (workspace_id, execution_id, workflow, started_at, ended_at, calls, errors, input_tokens, output_tokens, total_cost, agent_ids, models, user_ids)
    SELECT ${workspaceId}, execution_id,
      (array_agg(workflow ORDER BY id) FILTER (WHERE workflow IS NOT NULL))[1],
      min(occurred_at - coalesce(latency_ms, 0) * interval '1 millisecond'), max(occurred_at),
      count(*), count(*) FILTER (WHERE status = 'ERROR'), sum(input_tokens), sum(output_tokens), sum(total_cost),
      coalesce(array_agg(DISTINCT agent_id) FILTER (WHERE agent_id IS NOT NULL), '{}'), array_agg(DISTINCT model_id),
      coalesce(array_agg(DISTINCT user_id) FILTER (WHERE user_id IS NOT NULL), '{}')
    FROM ${from} WHERE execution_id IS NOT NULL AND ${after}
    GROUP BY execution_id ORDER BY execution_id
    ON CONFLICT (workspace_id, execution_id) DO UPDATE SET
      workflow = coalesce(runs.workflow, EXCLUDED.workflow),
      started_at = least(runs.started_at, EXCLUDED.started_at),
      ended_at = greatest(runs.ended_at, EXCLUDED.ended_at),
      calls = runs.calls + EXCLUDED.calls,
      errors = runs.errors + EXCLUDED.errors,
      input_tokens = runs.input_tokens + EXCLUDED.input_tokens,
      output_tokens = runs.output_tokens + EXCLUDED.output_tokens,
      total_cost = runs.total_cost + EXCLUDED.total_cost,
      agent_ids = ${merged('agent_ids')},
      models = ${merged('models')},
      user_ids = ${merged('user_ids')}
    RETURNING ${RUN_COLUMNS}`;
}

/**
 * The WITH entries that add re-pricing's cost changes (`from`: rows with execution_id and
 * d_total) to their runs: the runs locked in execution id order once `after` holds, then changed.
 */
export function runsCostChanges(workspaceId: string, from: string, lockStep: string, after: string): string {
  return `run_cost_changes AS (
  SELECT execution_id, sum(d_total) AS d_total FROM ${from} WHERE execution_id IS NOT NULL GROUP BY execution_id
),
${lockStep} AS MATERIALIZED (
  SELECT execution_id FROM runs WHERE workspace_id = ${workspaceId} AND execution_id IN (SELECT execution_id FROM run_cost_changes) AND ${after}
  ORDER BY execution_id FOR UPDATE
),
run_cost_update AS (
  UPDATE runs r SET total_cost = r.total_cost + c.d_total FROM run_cost_changes c
  WHERE r.workspace_id = ${workspaceId} AND r.execution_id = c.execution_id AND r.execution_id IN (SELECT execution_id FROM ${lockStep})
)`;
}
