import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS, rollupTableColumns, rollupUpsert } from './frozen-rollups';

/**
 * Latency histograms move from an int[] to one column per bucket (summing columns is far
 * cheaper than merging arrays), and compact rollups (model, provider, BYOK, status) are added
 * and filled from the raw rows. tally_hist still builds
 * each batch's histogram; tally_hist_merge is no longer used.
 */
export class CompactRollups1764202200000 implements MigrationInterface {
  name = 'CompactRollups1764202200000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['llm_usage_hourly', 'llm_usage_daily']) {
      await q.query(`ALTER TABLE ${table} ${HISTOGRAM_COLUMNS.map((h) => `ADD COLUMN ${h} integer NOT NULL DEFAULT 0`).join(', ')}`);
      await q.query(`UPDATE ${table} SET ${HISTOGRAM_COLUMNS.map((h, i) => `${h} = latency_hist[${i + 1}]`).join(', ')}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN latency_hist`);
    }
    for (const table of ['llm_usage_hourly_compact', 'llm_usage_daily_compact'] as const) {
      await q.query(`CREATE TABLE ${table} (${rollupTableColumns(table)})`);
      await q.query(rollupUpsert(table, 'llm_usage'));
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO tally_app`);
      await q.query(`SELECT tally_protect('${table}')`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE llm_usage_daily_compact`);
    await q.query(`DROP TABLE llm_usage_hourly_compact`);
    for (const table of ['llm_usage_hourly', 'llm_usage_daily']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN latency_hist integer[]`);
      await q.query(`UPDATE ${table} SET latency_hist = ARRAY[${HISTOGRAM_COLUMNS.join(', ')}]`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN latency_hist SET NOT NULL, ${HISTOGRAM_COLUMNS.map((h) => `DROP COLUMN ${h}`).join(', ')}`);
    }
  }
}
