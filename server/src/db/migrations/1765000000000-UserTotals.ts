import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each end user's cost and requests over all time, per workspace, kept by ingest and re-pricing:
 * since no call costs less than nothing, a user's total over all time bounds what it can have
 * cost in any range, so the costliest users of a range are found from a few of the costliest
 * overall (metrics/top-users.ts) instead of from every user's days. Calls without a user have no
 * row (their group is always a candidate). Filled here from the daily per-user rollup.
 */
export class UserTotals1765000000000 implements MigrationInterface {
  name = 'UserTotals1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
    await q.query(`
      CREATE TABLE user_totals (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id text NOT NULL,
        total_cost numeric NOT NULL,
        request_count bigint NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await q.query(`CREATE INDEX user_totals_by_cost ON user_totals (workspace_id, total_cost, user_id)`);
    await q.query(`CREATE INDEX user_totals_by_requests ON user_totals (workspace_id, request_count, user_id)`);
    await q.query(`
      INSERT INTO user_totals (workspace_id, user_id, total_cost, request_count)
      SELECT workspace_id, user_id, sum(total_cost), sum(request_count) FROM llm_usage_daily_user WHERE user_id <> '' GROUP BY 1, 2`);
    await q.query(`SELECT tally_protect('user_totals')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_totals`);
  }
}
