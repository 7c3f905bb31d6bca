import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS as HISTOGRAM, MONEY_COLUMNS as MONEY, SUMMED_COLUMNS as SUMMED } from './frozen-rollups';

/**
 * The workflow leaves the full rollups for rollups of its own, keyed by workflow and status: as
 * a key of the full rollups it multiplied their rows, and so the rows every ingest batch upserts.
 * The workflow rollups are summed from the full rollups as they stand (they hold the workflow,
 * and every hour and day retention has kept in rollups alone), then the full rollups are summed
 * over the workflow. Plain SQL with its own column lists: what the live code declares may change.
 */
const FULL_KEYS = ['workspace_id', 'start_at', 'model_id', 'provider', 'agent_id', 'tier', 'is_byok', 'request_type', 'status'];
const WORKFLOW_KEYS = ['workspace_id', 'start_at', 'workflow', 'status'];
const VALUES = [...SUMMED, ...HISTOGRAM];

const workflowTable = (grain: 'hourly' | 'daily') => `llm_usage_${grain}_workflow`;

function workflowColumns(grain: 'hourly' | 'daily'): string {
  const bucket = grain === 'daily' ? 'bigint' : 'integer';
  return [
    'workspace_id uuid NOT NULL',
    'start_at timestamptz NOT NULL',
    'workflow text NOT NULL',
    'status text NOT NULL',
    ...SUMMED.map((c) => `${c} ${MONEY.has(c) ? 'numeric' : 'bigint'} NOT NULL`),
    ...HISTOGRAM.map((h) => `${h} ${bucket} NOT NULL DEFAULT 0`),
    `PRIMARY KEY (${WORKFLOW_KEYS.join(', ')})`,
  ].join(', ');
}

/** Rows of `table` summed by `keys`, written into `target`. */
const sumInto = (target: string, table: string, keys: string[]) =>
  `INSERT INTO ${target} (${[...keys, ...VALUES].join(', ')})
   SELECT ${keys.join(', ')}, ${VALUES.map((c) => `sum(${c})`).join(', ')} FROM ${table} GROUP BY ${keys.join(', ')} ORDER BY ${keys.join(', ')}`;

export class NarrowWorkflowRollups1764900000000 implements MigrationInterface {
  name = 'NarrowWorkflowRollups1764900000000';

  async up(q: QueryRunner): Promise<void> {
    // Row-level security is forced on the rollups: an owner that is no superuser (managed PostgreSQL) sees every workspace's rows only in scope __all__.
    await q.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
    for (const grain of ['hourly', 'daily'] as const) {
      const full = `llm_usage_${grain}`;
      await q.query(`CREATE TABLE ${workflowTable(grain)} (${workflowColumns(grain)})`);
      await q.query(sumInto(workflowTable(grain), full, WORKFLOW_KEYS));
      await q.query(`SELECT tally_protect('${workflowTable(grain)}')`);
      await q.query(`CREATE TEMP TABLE merged ON COMMIT DROP AS SELECT * FROM ${full} WITH NO DATA`);
      await q.query(sumInto('merged', full, FULL_KEYS));
      await q.query(`DELETE FROM ${full}`);
      await q.query(`ALTER TABLE ${full} DROP CONSTRAINT ${full}_pkey`);
      await q.query(`ALTER TABLE ${full} DROP COLUMN workflow`);
      await q.query(`ALTER TABLE merged DROP COLUMN workflow`);
      await q.query(`INSERT INTO ${full} SELECT * FROM merged`);
      await q.query(`ALTER TABLE ${full} ADD PRIMARY KEY (${FULL_KEYS.join(', ')})`);
      await q.query(`DROP TABLE merged`);
    }
  }

  /** The full rollups take the workflow key back, every row as no workflow (''): what the workflow rollups held is dropped with them. */
  async down(q: QueryRunner): Promise<void> {
    for (const grain of ['hourly', 'daily'] as const) {
      const full = `llm_usage_${grain}`;
      await q.query(`ALTER TABLE ${full} DROP CONSTRAINT ${full}_pkey`);
      await q.query(`ALTER TABLE ${full} ADD COLUMN workflow text NOT NULL DEFAULT ''`);
      await q.query(`ALTER TABLE ${full} ADD PRIMARY KEY (${[...FULL_KEYS, 'workflow'].join(', ')})`);
      await q.query(`DROP TABLE ${workflowTable(grain)}`);
    }
  }
}
