import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS as HISTOGRAM } from './frozen-rollups';

/**
 * `workflowStats` over long periods reads a row per workflow and UTC day of its runs' starts
 * instead of every run: `workflow_run_days` holds, per (workspace, day, workflow), the runs that
 * started that day, how many succeeded, their durations' sum and histogram, and their cost; and
 * agentAnalytics' runs per agent read `agent_run_days` (the runs each agent took part in, per
 * start day). Ingest keeps both by the difference each run's upsert makes, which needs the run
 * as it was before: the upsert keeps the figures it replaced in `runs.prev_*` and returns them.
 * Filled here from the runs table. Plain SQL with its own lists: what the live code declares may change.
 */
/** A duration's histogram bucket, in units of 10 ms (the latency histogram's buckets reach about ten hours in those). */
const bucket = (interval: string) => `tally_latency_bucket(least(floor(extract(epoch FROM ${interval}) * 100), 2147483647)::int)`;

export class WorkflowRunDays1764900100000 implements MigrationInterface {
  name = 'WorkflowRunDays1764900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
    await q.query(`
      ALTER TABLE runs ADD COLUMN prev_workflow text, ADD COLUMN prev_started_at timestamptz, ADD COLUMN prev_ended_at timestamptz,
        ADD COLUMN prev_errors integer, ADD COLUMN prev_total_cost numeric, ADD COLUMN prev_agent_ids text[]`);
    await q.query(`
      CREATE TABLE workflow_run_days (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        day timestamptz NOT NULL,
        workflow text NOT NULL,
        runs bigint NOT NULL,
        succeeded bigint NOT NULL,
        duration_ms numeric NOT NULL,
        total_cost numeric NOT NULL,
        ${HISTOGRAM.map((h) => `${h} bigint NOT NULL DEFAULT 0`).join(', ')},
        PRIMARY KEY (workspace_id, day, workflow)
      )`);
    await q.query(`
      INSERT INTO workflow_run_days (workspace_id, day, workflow, runs, succeeded, duration_ms, total_cost, ${HISTOGRAM.join(', ')})
      SELECT workspace_id, date_trunc('day', started_at, 'UTC'), workflow, count(*), count(*) FILTER (WHERE errors = 0),
        sum(extract(epoch FROM ended_at - started_at) * 1000), sum(total_cost),
        ${HISTOGRAM.map((_, i) => `count(*) FILTER (WHERE b = ${i})`).join(', ')}
      FROM (SELECT *, ${bucket('ended_at - started_at')} AS b FROM runs WHERE workflow IS NOT NULL OFFSET 0) r
      GROUP BY 1, 2, 3`);
    await q.query(`SELECT tally_protect('workflow_run_days')`);
    await q.query(`
      CREATE TABLE agent_run_days (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        day timestamptz NOT NULL,
        agent_id text NOT NULL,
        runs bigint NOT NULL,
        PRIMARY KEY (workspace_id, day, agent_id)
      )`);
    await q.query(`
      INSERT INTO agent_run_days (workspace_id, day, agent_id, runs)
      SELECT workspace_id, date_trunc('day', started_at, 'UTC'), agent_id, count(*) FROM runs CROSS JOIN LATERAL unnest(agent_ids) AS agent_id GROUP BY 1, 2, 3`);
    await q.query(`SELECT tally_protect('agent_run_days')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agent_run_days`);
    await q.query(`DROP TABLE workflow_run_days`);
    await q.query(
      `ALTER TABLE runs DROP COLUMN prev_workflow, DROP COLUMN prev_started_at, DROP COLUMN prev_ended_at, DROP COLUMN prev_errors, DROP COLUMN prev_total_cost, DROP COLUMN prev_agent_ids`,
    );
  }
}
