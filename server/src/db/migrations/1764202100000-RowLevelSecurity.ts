import { MigrationInterface, QueryRunner } from 'typeorm';

/** The role request work runs as: no superuser, no BYPASSRLS, so the policies below hold for it. */
export const APP_ROLE = 'tally_app';

/** Rows every workspace may read: platform price overrides. */
const PLATFORM_PRICES = '00000000-0000-0000-0000-000000000000';
/** Rows only admins may read: platform alerts. */
const PLATFORM_ALERTS = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

const IN_SCOPE = (column: string) =>
  `current_setting('app.all_workspaces', true) = 'on' OR ${column} = NULLIF(current_setting('app.workspace_id', true), '')::uuid`;
const IS_ADMIN = `current_setting('app.is_admin', true) = 'on'`;

/**
 * Row-level security on every tenant table, as a second wall behind the scope the services
 * apply. A request sets its scope with set_config(…, true) inside its own transaction (see
 * db/scoped-db.ts), so a pooled connection never carries it to the next request.
 * Tables created later call tally_protect(table) in their own migration.
 */
export class RowLevelSecurity1764202100000 implements MigrationInterface {
  name = 'RowLevelSecurity1764202100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END $$`);
    // The connecting role must be a member to SET ROLE; a superuser is one already.
    await q.query(`
      DO $$ BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
          EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`);
    await q.query(`
      CREATE FUNCTION tally_protect(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
        EXECUTE format('CREATE POLICY tenant_scope ON %s USING (${IN_SCOPE('workspace_id').replace(/'/g, "''")}) WITH CHECK (${IN_SCOPE(
          'workspace_id',
        ).replace(/'/g, "''")})', target);
      END $fn$`);
    const tables: { table_name: string }[] = await q.query(`
      SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.column_name = 'workspace_id' ORDER BY 1`);
    for (const { table_name } of tables) await q.query(`SELECT tally_protect('${table_name}')`);

    await q.query(`CREATE POLICY platform_prices ON model_price_overrides FOR SELECT USING (workspace_id = '${PLATFORM_PRICES}')`);
    await q.query(`CREATE POLICY platform_alerts ON alerts FOR SELECT USING (workspace_id = '${PLATFORM_ALERTS}' AND ${IS_ADMIN})`);
    // The workspace list: a workspace sees itself; admins see every workspace (the switcher).
    await q.query(`ALTER TABLE workspaces ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE workspaces FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant_scope ON workspaces USING (${IN_SCOPE('id')} OR ${IS_ADMIN})`);
  }

  async down(q: QueryRunner): Promise<void> {
    const tables: { tablename: string }[] = await q.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND rowsecurity`);
    for (const { tablename } of tables) {
      await q.query(`DROP POLICY IF EXISTS tenant_scope ON ${tablename}`);
      await q.query(`ALTER TABLE ${tablename} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${tablename} DISABLE ROW LEVEL SECURITY`);
    }
    await q.query(`DROP POLICY IF EXISTS platform_prices ON model_price_overrides`);
    await q.query(`DROP POLICY IF EXISTS platform_alerts ON alerts`);
    await q.query(`DROP FUNCTION tally_protect(regclass)`);
  }
}
