import { MigrationInterface, QueryRunner } from 'typeorm';
import { rollupTableColumns, rollupUpsert, type FrozenRollupTable } from './frozen-rollups';

const TABLES: FrozenRollupTable[] = ['llm_usage_daily_user', 'llm_usage_hourly_tag', 'llm_usage_daily_tag'];

/**
 * The attribution rollups (see ROLLUP_LEVELS in ingest/rollup.ts): a daily rollup per end user, its latency histogram
 * kept sparse (a jsonb object of the buckets that are not 0), and hourly and daily rollups per
 * tag. Each is filled from the raw rows here, and kept by the ingest statement and re-pricing
 * from then on. tally_add_histograms adds two sparse histograms bucket by bucket.
 */
export class AttributionRollups1764700100000 implements MigrationInterface {
  name = 'AttributionRollups1764700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tally_add_histograms(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
        SELECT coalesce(jsonb_object_agg(bucket, total), '{}') FROM (
          SELECT bucket, sum(n::bigint) AS total FROM (SELECT * FROM jsonb_each_text(a) UNION ALL SELECT * FROM jsonb_each_text(b)) h(bucket, n)
          GROUP BY bucket HAVING sum(n::bigint) <> 0) added
      $fn$`);
    for (const table of TABLES) {
      await q.query(`CREATE TABLE ${table} (${rollupTableColumns(table)})`);
      if (table === 'llm_usage_daily_user') {
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
    await q.query(`DROP FUNCTION tally_add_histograms(jsonb, jsonb)`);
  }
}
