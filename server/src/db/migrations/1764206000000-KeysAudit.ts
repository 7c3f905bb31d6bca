import { MigrationInterface, QueryRunner } from 'typeorm';

/** The workspace_id of audit entries that belong to no workspace (platform actions): shown to admins in scope __all__. */
export const PLATFORM_AUDIT_WORKSPACE = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * Keys get two more roles (VIEWER, INGEST) and a lifecycle (expiry, revocation, last use);
 * every change but data ingestion is written to audit_log in the transaction that makes it.
 */
export class KeysAudit1764206000000 implements MigrationInterface {
  name = 'KeysAudit1764206000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('ADMIN', 'MEMBER', 'VIEWER', 'INGEST'))`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz, ADD COLUMN revoked_at timestamptz, ADD COLUMN last_used_at timestamptz`);
    // Platform entries carry PLATFORM_AUDIT_WORKSPACE, which names no workspace: no foreign key, like alerts.
    await q.query(`
      CREATE TABLE audit_log (
        workspace_id uuid NOT NULL,
        id uuid NOT NULL,
        at timestamptz NOT NULL,
        -- Entries of one instant (a pinned clock, a burst) keep the order they were written in.
        seq bigint GENERATED ALWAYS AS IDENTITY,
        actor_key_id uuid,
        actor_label text,
        actor_role text NOT NULL CHECK (actor_role IN ('ADMIN', 'MEMBER', 'VIEWER', 'INGEST')),
        action text NOT NULL,
        target text,
        detail jsonb,
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX audit_log_newest ON audit_log (workspace_id, at DESC, seq DESC)`);
    await q.query(`CREATE INDEX audit_log_newest_everywhere ON audit_log (at DESC, seq DESC)`);
    await q.query(`SELECT tally_protect('audit_log')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN expires_at, DROP COLUMN revoked_at, DROP COLUMN last_used_at`);
    await q.query(`DELETE FROM api_keys WHERE role NOT IN ('MEMBER', 'ADMIN')`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('MEMBER', 'ADMIN'))`);
  }
}
