import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS, SUMMED_COLUMNS } from './frozen-rollups';

/** The full rollups, whose keys gain the workflow. */
const TABLES = ['llm_usage_hourly', 'llm_usage_daily'];
const KEYS_BEFORE = ['workspace_id', 'start_at', 'model_id', 'provider', 'agent_id', 'tier', 'is_byok', 'request_type', 'status'];

/**
 * `usageMetrics` groups and filters by WORKFLOW from rollups: workflows are few (a team names a
 * handful), so the full rollups keep them as one more key; a call naming none is kept as '', as
 * absent agents and tiers are. Every call stored before names none, so existing rows are ''.
 */
export class WorkflowRollups1764500100000 implements MigrationInterface {
  name = 'WorkflowRollups1764500100000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN workflow text NOT NULL DEFAULT ''`);
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${[...KEYS_BEFORE, 'workflow'].join(', ')})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const summed = [...SUMMED_COLUMNS, ...HISTOGRAM_COLUMNS];
    for (const table of TABLES) {
      await q.query(`CREATE TEMP TABLE merged ON COMMIT DROP AS
        SELECT ${KEYS_BEFORE.join(', ')}, ${summed.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM ${table} GROUP BY ${KEYS_BEFORE.join(', ')}`);
      await q.query(`DELETE FROM ${table}`);
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN workflow`);
      await q.query(`INSERT INTO ${table} (${[...KEYS_BEFORE, ...summed].join(', ')}) SELECT ${[...KEYS_BEFORE, ...summed].join(', ')} FROM merged`);
      await q.query(`ALTER TABLE ${table} ADD PRIMARY KEY (${KEYS_BEFORE.join(', ')})`);
      await q.query(`DROP TABLE merged`);
    }
  }
}
