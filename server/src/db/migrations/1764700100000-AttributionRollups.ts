import { MigrationInterface, QueryRunner } from 'typeorm';
import { rollupTableColumns, rollupUpsert, type RollupTable } from '../../ingest/rollup';

const TABLES: RollupTable[] = ['llm_usage_daily_user', 'llm_usage_hourly_tag', 'llm_usage_daily_tag'];

/**
 * The attribution rollups (see ROLLUP_LEVELS): a daily rollup per end user, with its latency
 * histogram as one compressed bigint[], and hourly and daily rollups per tag. Each is filled from
 * the raw rows here, and kept by the ingest statement and re-pricing from then on.
 *
 * `toast_tuple_target = 128`: PostgreSQL compresses a row's wide values once the row passes this
 * many bytes; a user's day holds a call or two, so its 161-bucket histogram (1.3 KB, nearly all 0)
 * shrinks to a few dozen bytes and the sums a top-users query reads stay on few pages.
 */
export class AttributionRollups1764700100000 implements MigrationInterface {
  name = 'AttributionRollups1764700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tally_add_histograms(a bigint[], b bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS h(x, y, i)
      $fn$`);
    for (const table of TABLES) {
      await q.query(`CREATE TABLE ${table} (${rollupTableColumns(table)})`);
      if (table === 'llm_usage_daily_user') {
        await q.query(`ALTER TABLE ${table} SET (toast_tuple_target = 128)`);
        // A user's days in order of time: the rows of one user over a range, for a user's page.
        await q.query(`CREATE INDEX ${table}_user ON ${table} (workspace_id, user_id, start_at)`);
      }
      await q.query(rollupUpsert(table, 'llm_usage'));
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO tally_app`);
      await q.query(`SELECT tally_protect('${table}')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await q.query(`DROP TABLE ${table}`);
    await q.query(`DROP FUNCTION tally_add_histograms(bigint[], bigint[])`);
  }
}
