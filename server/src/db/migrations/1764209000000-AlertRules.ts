import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS_BEFORE = `'HEARTBEAT_STALE', 'COST_ANOMALY', 'ERROR_SPIKE', 'BUDGET_THRESHOLD'`;

/**
 * A workspace's own alert rules, its notification channels, and the deliveries to them (a
 * transactional outbox: a delivery row is written in the same statement as its alert, and
 * workers send what is due). All three are tenant tables under row-level security.
 */
export class AlertRules1764209000000 implements MigrationInterface {
  name = 'AlertRules1764209000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_channels (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('WEBHOOK', 'SLACK', 'EMAIL')),
        -- The target (URL or address) and the signing secret, sealed like provider keys; shown as target_display.
        key_version int NOT NULL,
        iv bytea NOT NULL,
        ciphertext bytea NOT NULL,
        auth_tag bytea NOT NULL,
        target_display text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE alert_rules (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        name text NOT NULL,
        metric text NOT NULL,
        comparison text NOT NULL CHECK (comparison IN ('ABOVE', 'BELOW')),
        threshold double precision NOT NULL,
        window_minutes int NOT NULL CHECK (window_minutes BETWEEN 1 AND 1440),
        filter jsonb,
        severity text NOT NULL CHECK (severity IN ('INFO', 'WARNING', 'CRITICAL')),
        channel_ids uuid[] NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        state text NOT NULL DEFAULT 'OK' CHECK (state IN ('OK', 'FIRING')),
        last_value double precision,
        last_evaluated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX alert_rules_enabled ON alert_rules (workspace_id) WHERE enabled`);
    await q.query(`
      CREATE TABLE deliveries (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        channel_id uuid NOT NULL,
        alert_id bigint,
        event text NOT NULL CHECK (event IN ('RAISED', 'RESOLVED', 'TEST')),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, channel_id) REFERENCES notification_channels (workspace_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX deliveries_recent ON deliveries (workspace_id, created_at DESC)`);
    await q.query(`CREATE INDEX deliveries_of_alert ON deliveries (workspace_id, alert_id) WHERE alert_id IS NOT NULL`);

    await q.query(`ALTER TABLE alerts ADD COLUMN rule_id uuid, ADD COLUMN resolved_at timestamptz`);
    await q.query(`CREATE INDEX alerts_open_of_rule ON alerts (workspace_id, rule_id) WHERE rule_id IS NOT NULL AND resolved_at IS NULL`);
    await q.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check`);
    await q.query(`ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN (${KINDS_BEFORE}, 'RULE'))`);

    for (const table of ['notification_channels', 'alert_rules', 'deliveries']) await q.query(`SELECT tally_protect('${table}')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM alerts WHERE kind = 'RULE'`);
    await q.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check`);
    await q.query(`ALTER TABLE alerts ADD CONSTRAINT alerts_kind_check CHECK (kind IN (${KINDS_BEFORE}))`);
    await q.query(`DROP INDEX alerts_open_of_rule`);
    await q.query(`ALTER TABLE alerts DROP COLUMN rule_id, DROP COLUMN resolved_at`);
    await q.query(`DROP TABLE deliveries`);
    await q.query(`DROP TABLE alert_rules`);
    await q.query(`DROP TABLE notification_channels`);
  }
}
