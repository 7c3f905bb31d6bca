/**
 * The runs table kept by the writers of calls: one row per (workspace, executionId), the sums of
 * its calls. Ingest adds a batch's newly stored calls to their runs in one grouped upsert (a row
 * per run of the batch); re-pricing adds its cost changes. Rows are taken in execution id order,
 * after the agents (LOCK_ORDER).
 */

import { HISTOGRAM_COLUMNS } from '../ingest/rollup';

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
      prev_workflow = runs.workflow,
      prev_started_at = runs.started_at,
      prev_ended_at = runs.ended_at,
      prev_errors = runs.errors,
      prev_total_cost = runs.total_cost,
      prev_agent_ids = runs.agent_ids,
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
    RETURNING ${RUN_COLUMNS}, ${PREVIOUS_COLUMNS}`;
}

/**
 * The run as it was before the upsert changed it: on an update, the figures it replaced, kept in
 * the row's prev_* columns from the very row version the update locked (so batches racing on a
 * run cannot skew them); on an insert, NULL (a new row leaves them empty).
 */
const PREVIOUS_COLUMNS = 'prev_workflow, prev_started_at, prev_ended_at, prev_errors, prev_total_cost, prev_agent_ids';

/** A run's UTC start day, for `workflow_run_days`. */
const startDay = (column: string) => `date_trunc('day', ${column}, 'UTC')`;

/** A run's duration (an interval) as a histogram bucket, in units of 10 ms: the latency histogram's buckets then reach about ten hours. */
export const DURATION_BUCKET_SQL = (interval: string): string => `tally_latency_bucket(least(floor(extract(epoch FROM ${interval}) * 100), 2147483647)::int)`;
/** The millisecond a histogram bucket's value is counted in. */
export const DURATION_BUCKET_UNIT_MS = 10;

/**
 * The WITH entry (`lockStep`) that moves `workflow_run_days` by what the upsert `runsStep` changed:
 * each run it returns counts in its new day and workflow (its start, duration, errors and cost as
 * they now are), and no longer as it was (the prev_* it returns), a run with no workflow in
 * neither. Rows are taken in key order once `after` holds.
 */
export function workflowRunDaysChanges(runsStep: string, lockStep: string, after: string): string {
  const changes = `SELECT workspace_id, ${startDay('started_at')} AS day, workflow, 1 AS runs, (errors = 0)::int AS succeeded,
      extract(epoch FROM ended_at - started_at) * 1000 AS duration_ms, total_cost::numeric AS total_cost, ${DURATION_BUCKET_SQL('ended_at - started_at')} AS b
    FROM ${runsStep} WHERE workflow IS NOT NULL
    UNION ALL
    SELECT workspace_id, ${startDay('prev_started_at')}, prev_workflow, -1, -(prev_errors = 0)::int,
      -extract(epoch FROM prev_ended_at - prev_started_at) * 1000, -prev_total_cost, ${DURATION_BUCKET_SQL('prev_ended_at - prev_started_at')}
    FROM ${runsStep} WHERE prev_workflow IS NOT NULL`;
  const sums = ['runs', 'succeeded', 'duration_ms', 'total_cost'];
  return `workflow_run_changes AS (${changes}),
${lockStep} AS (
  INSERT INTO workflow_run_days (workspace_id, day, workflow, ${[...sums, ...HISTOGRAM_COLUMNS].join(', ')})
  SELECT workspace_id, day, workflow, ${sums.map((c) => `sum(${c})`).join(', ')},
    ${HISTOGRAM_COLUMNS.map((_, i) => `coalesce(sum(runs) FILTER (WHERE b = ${i}), 0)`).join(', ')}
  FROM workflow_run_changes WHERE ${after}
  GROUP BY workspace_id, day, workflow ORDER BY workspace_id, day, workflow
  ON CONFLICT (workspace_id, day, workflow) DO UPDATE SET
    ${[...sums, ...HISTOGRAM_COLUMNS].map((c) => `${c} = workflow_run_days.${c} + EXCLUDED.${c}`).join(', ')}
  RETURNING 1
)`;
}

/**
 * The WITH entries that add re-pricing's cost changes (`from`: rows with execution_id and
 * d_total) to their runs: the runs locked in execution id order once `after` holds, then changed;
 * then to their workflows' days (`daysStep`), once the runs are.
 */
export function runsCostChanges(workspaceId: string, from: string, lockStep: string, after: string, daysStep: string, daysAfter: string): string {
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
  RETURNING r.workspace_id, r.workflow, r.started_at, c.d_total
),
${daysStep} AS (
  INSERT INTO workflow_run_days (workspace_id, day, workflow, runs, succeeded, duration_ms, total_cost)
  SELECT workspace_id, ${startDay('started_at')}, workflow, 0, 0, 0, sum(d_total) FROM run_cost_update
  WHERE workflow IS NOT NULL AND ${daysAfter}
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (workspace_id, day, workflow) DO UPDATE SET total_cost = workflow_run_days.total_cost + EXCLUDED.total_cost
  RETURNING 1
)`;
}

/**
 * The WITH entry (`lockStep`) that moves `agent_run_days` by what the upsert `runsStep` changed:
 * each run counts for each of its agents on its start day as it now is, and no longer as it was.
 * Rows are taken in key order once `after` holds.
 */
export function agentRunDaysChanges(runsStep: string, lockStep: string, after: string): string {
  return `agent_run_changes AS (
  SELECT workspace_id, ${startDay('started_at')} AS day, agent_id, 1 AS runs FROM ${runsStep} CROSS JOIN LATERAL unnest(agent_ids) AS agent_id
  UNION ALL
  SELECT workspace_id, ${startDay('prev_started_at')}, agent_id, -1 FROM ${runsStep} CROSS JOIN LATERAL unnest(prev_agent_ids) AS agent_id
  WHERE prev_started_at IS NOT NULL
),
${lockStep} AS (
  INSERT INTO agent_run_days (workspace_id, day, agent_id, runs)
  SELECT workspace_id, day, agent_id, sum(runs) FROM agent_run_changes WHERE ${after}
  GROUP BY 1, 2, 3 HAVING sum(runs) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (workspace_id, day, agent_id) DO UPDATE SET runs = agent_run_days.runs + EXCLUDED.runs
  RETURNING 1
)`;
}
