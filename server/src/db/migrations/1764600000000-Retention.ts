import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention of raw calls per workspace. `retention_days` holds the workspace's own choice once
 * `retention_set` says it made one (NULL then means for ever); until then the platform default
 * (TALLY_RETENTION_DAYS) applies. `raw_kept_from` is the cut retention last applied: raw calls
 * before it are gone (or going), so the metrics engine reads rollups for any range before it.
 */
export class Retention1764600000000 implements MigrationInterface {
  name = 'Retention1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE workspaces
        ADD COLUMN retention_days integer CHECK (retention_days >= 1),
        ADD COLUMN retention_set boolean NOT NULL DEFAULT false,
        ADD COLUMN raw_kept_from timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workspaces DROP COLUMN retention_days, DROP COLUMN retention_set, DROP COLUMN raw_kept_from`);
  }
}
