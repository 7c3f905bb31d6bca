import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calls name their workflow, and the calls of a workspace that share an executionId make a run,
 * kept in `runs` by the ingest statement (one row per run, sums of its calls). Runs are read in
 * a period by their start, a page at a time in one of four orders (an index each); the calls of one run are found through the raw rows' time index,
 * between the run's start and end, so the raw table gains no index (and ingest no cost).
 * Runs of calls stored before this migration are built from them here.
 */
export class Runs1764500000000 implements MigrationInterface {
  name = 'Runs1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE llm_usage ADD COLUMN workflow text`);
    await q.query(`
      CREATE TABLE runs (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        execution_id text NOT NULL,
        workflow text,
        started_at timestamptz NOT NULL,
        ended_at timestamptz NOT NULL,
        calls integer NOT NULL,
        errors integer NOT NULL,
        input_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        total_cost numeric NOT NULL,
        agent_ids text[] NOT NULL,
        models text[] NOT NULL,
        PRIMARY KEY (workspace_id, execution_id)
      )`);
    // One index per order a page is asked in: its first page reads 50 entries, not every run of the period.
    await q.query(`CREATE INDEX runs_started ON runs (workspace_id, started_at, execution_id)`);
    await q.query(`CREATE INDEX runs_cost ON runs (workspace_id, total_cost, execution_id)`);
    await q.query(`CREATE INDEX runs_duration ON runs (workspace_id, (ended_at - started_at), execution_id)`);
    await q.query(`CREATE INDEX runs_calls ON runs (workspace_id, calls, execution_id)`);
    await q.query(`
      INSERT INTO runs (workspace_id, execution_id, workflow, started_at, ended_at, calls, errors, input_tokens, output_tokens, total_cost, agent_ids, models)
      SELECT workspace_id, execution_id, NULL, min(occurred_at - coalesce(latency_ms, 0) * interval '1 millisecond'), max(occurred_at),
        count(*), count(*) FILTER (WHERE status = 'ERROR'), sum(input_tokens), sum(output_tokens), sum(total_cost),
        coalesce(array_agg(DISTINCT agent_id ORDER BY agent_id) FILTER (WHERE agent_id IS NOT NULL), '{}'),
        array_agg(DISTINCT model_id ORDER BY model_id)
      FROM llm_usage WHERE execution_id IS NOT NULL GROUP BY workspace_id, execution_id`);
    await q.query(`SELECT tally_protect('runs')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE runs`);
    await q.query(`ALTER TABLE llm_usage DROP COLUMN workflow`);
  }
}
