import { MigrationInterface, QueryRunner } from 'typeorm';
import { rollupTableColumns, rollupUpsert } from './frozen-rollups';

/**
 * A daily rollup keyed by model and provider alone: a long per-model series (90 days by model,
 * with percentiles) reads a row per model a day instead of one per model, BYOK and status.
 */
export class DailyModelRollup1764202400000 implements MigrationInterface {
  name = 'DailyModelRollup1764202400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE llm_usage_daily_model (${rollupTableColumns('llm_usage_daily_model')})`);
    await q.query(rollupUpsert('llm_usage_daily_model', 'llm_usage'));
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON llm_usage_daily_model TO tally_app`);
    await q.query(`SELECT tally_protect('llm_usage_daily_model')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE llm_usage_daily_model`);
  }
}
