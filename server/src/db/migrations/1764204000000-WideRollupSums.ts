import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS, histogramColumnType, ROLLUP_TABLES, SUMMED_COLUMNS } from '../../ingest/rollup';

const WIDENED = SUMMED_COLUMNS.filter((c) => c !== 'latency_count' && !c.endsWith('_cost'));

/**
 * Rollup sums of tokens, requests and latency become numeric and the daily histograms bigint, so
 * that no number of calls can overflow them (rollup.ts says why each type suffices). One
 * ALTER TABLE per rollup, so each table is rewritten once.
 */
export class WideRollupSums1764204000000 implements MigrationInterface {
  name = 'WideRollupSums1764204000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ROLLUP_TABLES) {
      const histograms = histogramColumnType(table) === 'bigint' ? HISTOGRAM_COLUMNS.map((h) => `ALTER COLUMN ${h} TYPE bigint`) : [];
      await q.query(`ALTER TABLE ${table} ${[...WIDENED.map((c) => `ALTER COLUMN ${c} TYPE numeric`), ...histograms].join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ROLLUP_TABLES) {
      const histograms = histogramColumnType(table) === 'bigint' ? HISTOGRAM_COLUMNS.map((h) => `ALTER COLUMN ${h} TYPE integer`) : [];
      await q.query(`ALTER TABLE ${table} ${[...WIDENED.map((c) => `ALTER COLUMN ${c} TYPE bigint`), ...histograms].join(', ')}`);
    }
  }
}
