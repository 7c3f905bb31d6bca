import { MigrationInterface, QueryRunner } from 'typeorm';

/** Worker heartbeats (platform-wide) and alerts (per workspace, or the platform's). */
export class Monitoring1764201900000 implements MigrationInterface {
  name = 'Monitoring1764201900000';

  async up(q: QueryRunner): Promise<void> {
    // Heartbeats come from the platform's own workers, not from a workspace: this is not a
    // tenant table, so it is keyed by the worker alone.
    await q.query(`
      CREATE TABLE heartbeats (
        service text NOT NULL,
        instance_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('ALIVE', 'STALE', 'STOPPED')),
        interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
        meta jsonb,
        last_beat_at timestamptz NOT NULL,
        status_changed_at timestamptz NOT NULL,
        PRIMARY KEY (service, instance_id)
      )`);
    await q.query(`CREATE INDEX heartbeats_alive ON heartbeats (last_beat_at) WHERE status = 'ALIVE'`);
    // A tenant table like the others: workspace_id first in every key. Platform alerts are
    // stored under a sentinel workspace id (PLATFORM_WORKSPACE_ID in alerts.service.ts) rather
    // than NULL, which a key cannot hold; no workspace has that id, so no workspace's scope
    // (nor a row-level policy on workspace_id) ever reaches them.
    await q.query(`
      CREATE TABLE alerts (
        workspace_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        kind text NOT NULL CHECK (kind IN ('HEARTBEAT_STALE', 'COST_ANOMALY', 'ERROR_SPIKE', 'BUDGET_THRESHOLD')),
        severity text NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
        message text NOT NULL,
        dedupe_key text,
        details jsonb,
        raised_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX alerts_recent ON alerts (workspace_id, raised_at DESC)`);
    await q.query(`CREATE INDEX alerts_recent_all ON alerts (raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts`);
    await q.query(`DROP TABLE heartbeats`);
  }
}
