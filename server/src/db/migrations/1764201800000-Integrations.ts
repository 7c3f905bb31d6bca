import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tool integrations (Composio), agent memory, and provider keys. Every table keys on
 * workspace_id first. Tool usage is kept per UTC day as well as in total, so a `days`
 * window counts exactly the usage recorded in it.
 */
export class Integrations1764201800000 implements MigrationInterface {
  name = 'Integrations1764201800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE composio_connections (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        app_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'DISCONNECTED', 'ERROR')),
        documents_synced bigint NOT NULL DEFAULT 0,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, app_name)
      )`);
    await q.query(`
      CREATE TABLE agent_app_features (
        workspace_id uuid NOT NULL,
        agent_id varchar(128) NOT NULL,
        app_name text NOT NULL,
        action_name text NOT NULL,
        usage_count bigint NOT NULL DEFAULT 0,
        enabled boolean NOT NULL DEFAULT true,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, agent_id, app_name, action_name),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents (workspace_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE agent_app_feature_daily (
        workspace_id uuid NOT NULL,
        day date NOT NULL,
        agent_id varchar(128) NOT NULL,
        app_name text NOT NULL,
        action_name text NOT NULL,
        usage_count bigint NOT NULL,
        PRIMARY KEY (workspace_id, day, agent_id, app_name, action_name),
        FOREIGN KEY (workspace_id, agent_id, app_name, action_name)
          REFERENCES agent_app_features (workspace_id, agent_id, app_name, action_name) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE memory_items (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        agent_id varchar(128),
        memory_type text NOT NULL,
        memory_level text,
        importance double precision NOT NULL CHECK (importance >= 0 AND importance <= 1),
        access_count integer NOT NULL DEFAULT 0,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, agent_id) REFERENCES agents (workspace_id, id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX memory_items_recent ON memory_items (workspace_id, created_at DESC, id)`);
    await q.query(`
      CREATE TABLE provider_keys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        provider text NOT NULL,
        key_version integer NOT NULL,
        iv bytea NOT NULL,
        ciphertext bytea NOT NULL,
        auth_tag bytea NOT NULL,
        last4 text NOT NULL,
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, provider)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['provider_keys', 'memory_items', 'agent_app_feature_daily', 'agent_app_features', 'composio_connections']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
