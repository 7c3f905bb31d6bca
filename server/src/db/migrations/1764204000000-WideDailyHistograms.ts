import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS } from './frozen-rollups';

/** The daily rollups there were when this migration was written (later ones are created wide). */
const DAILY_ROLLUPS = ['llm_usage_daily', 'llm_usage_daily_compact', 'llm_usage_daily_model'];

/**
 * The daily rollups' histogram buckets become bigint: a day's bucket could pass integer's
 * 2^31 calls (rollup.ts says why every other sum is wide enough). One ALTER TABLE per
 * rollup, so each table is rewritten once.
 */
export class WideDailyHistograms1764204000000 implements MigrationInterface {
  name = 'WideDailyHistograms1764204000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of DAILY_ROLLUPS) {
      await q.query(`ALTER TABLE ${table} ${HISTOGRAM_COLUMNS.map((h) => `ALTER COLUMN ${h} TYPE bigint`).join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of DAILY_ROLLUPS) {
      await q.query(`ALTER TABLE ${table} ${HISTOGRAM_COLUMNS.map((h) => `ALTER COLUMN ${h} TYPE integer`).join(', ')}`);
    }
  }
}
