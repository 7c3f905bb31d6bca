import { MigrationInterface, QueryRunner } from 'typeorm';
import { EMPTY_HISTOGRAM_LITERAL } from './frozen-rollups';

/**
 * Rollups count each batch's latency histogram with FILTER per bucket (a third of the time the
 * row-by-row plpgsql aggregate took), so tally_hist and its helpers go. tally_latency_bucket stays.
 */
export class CountedHistograms1764202300000 implements MigrationInterface {
  name = 'CountedHistograms1764202300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP AGGREGATE tally_hist(integer)`);
    await q.query(`DROP FUNCTION tally_hist_add(integer[], integer)`);
    await q.query(`DROP FUNCTION tally_hist_merge(integer[], integer[])`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION tally_hist_add(hist integer[], latency integer) RETURNS integer[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE i integer;
      BEGIN
        IF latency IS NULL THEN RETURN hist; END IF;
        i := tally_latency_bucket(latency) + 1;
        hist[i] := hist[i] + 1;
        RETURN hist;
      END $$`);
    await q.query(`
      CREATE AGGREGATE tally_hist(integer) (
        sfunc = tally_hist_add, stype = integer[], initcond = '${EMPTY_HISTOGRAM_LITERAL}'
      )`);
    await q.query(`
      CREATE FUNCTION tally_hist_merge(a integer[], b integer[]) RETURNS integer[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)
      $$`);
  }
}
