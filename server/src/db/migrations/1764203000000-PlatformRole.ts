import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764202100000-RowLevelSecurity';

/** The role platform work runs as (key lookup, bootstrap, checkers, admin views): see db/platform-db.ts. */
export const PLATFORM_ROLE = 'tally_platform';

/** The policy that lets the platform role, and it alone, reach every workspace's rows of a table. */
const PLATFORM_POLICY = 'platform_access';

/**
 * A second role beside the app role, for the work that must see every workspace. It has no
 * BYPASSRLS: it reaches rows through a policy of its own on every protected table, so the
 * serving role can be a plain database owner (managed PostgreSQL) and row-level security is
 * never switched off, only answered by one more, named policy. `tally_protect(table)` now grants
 * both roles their privileges and adds both policies, so a new table needs that call alone.
 */
export class PlatformRole1764203000000 implements MigrationInterface {
  name = 'PlatformRole1764203000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PLATFORM_ROLE}') THEN
          CREATE ROLE ${PLATFORM_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
      END $$`);
    await q.query(grantMembership(PLATFORM_ROLE));
    await q.query(grantMembership(APP_ROLE));
    await q.query(`GRANT USAGE ON SCHEMA public TO ${PLATFORM_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${PLATFORM_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${PLATFORM_ROLE}`);
    await q.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${PLATFORM_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${PLATFORM_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${PLATFORM_ROLE}`);
    // The same body as before, plus the grants and the platform policy; the tenant policy keeps its text.
    await q.query(`
      CREATE OR REPLACE FUNCTION tally_protect(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ${APP_ROLE}, ${PLATFORM_ROLE}', target);
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
        EXECUTE format('CREATE POLICY tenant_scope ON %s USING (%s) WITH CHECK (%s)', target, $scope$${IN_SCOPE}$scope$, $scope$${IN_SCOPE}$scope$);
        PERFORM tally_platform_policy(target);
      END $fn$`);
    await q.query(`
      CREATE FUNCTION tally_platform_policy(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = target AND polname = '${PLATFORM_POLICY}') THEN
          EXECUTE format('CREATE POLICY ${PLATFORM_POLICY} ON %s TO ${PLATFORM_ROLE} USING (${AS_PLATFORM}) WITH CHECK (${AS_PLATFORM})', target);
        END IF;
      END $fn$`);
    await q.query(`GRANT EXECUTE ON FUNCTION tally_platform_policy(regclass) TO ${APP_ROLE}, ${PLATFORM_ROLE}`);
    const protectedTables: { name: string }[] = await q.query(
      `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity ORDER BY 1`,
    );
    for (const { name } of protectedTables) await q.query(`SELECT tally_platform_policy($1::regclass)`, [name]);
  }

  async down(q: QueryRunner): Promise<void> {
    const policies: { name: string }[] = await q.query(
      `SELECT polrelid::regclass::text AS name FROM pg_policy WHERE polname = '${PLATFORM_POLICY}'`,
    );
    for (const { name } of policies) await q.query(`DROP POLICY ${PLATFORM_POLICY} ON ${name}`);
    await q.query(`DROP FUNCTION tally_platform_policy(regclass)`);
    await q.query(`
      CREATE OR REPLACE FUNCTION tally_protect(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
        EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
        EXECUTE format('CREATE POLICY tenant_scope ON %s USING (%s) WITH CHECK (%s)', target, $scope$${IN_SCOPE}$scope$, $scope$${IN_SCOPE}$scope$);
      END $fn$`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${PLATFORM_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${PLATFORM_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${PLATFORM_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${PLATFORM_ROLE}`);
    await q.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM ${PLATFORM_ROLE}`);
    await q.query(`REVOKE ALL ON SCHEMA public FROM ${PLATFORM_ROLE}`);
  }
}

/**
 * A policy TO a role also applies to the roles that inherit from it: the serving role is a member.
 * Only a session that has SET ROLE to the platform role is the platform.
 */
const AS_PLATFORM = `current_user = ''${PLATFORM_ROLE}''`;

const IN_SCOPE = `current_setting('app.all_workspaces', true) = 'on' OR workspace_id = NULLIF(current_setting('app.workspace_id', true), '')::uuid`;

/**
 * Makes the migrating role a member of `role` that may SET ROLE to it. A superuser may already;
 * a role with CREATEROLE that created `role` holds its ADMIN option and grants itself the rest.
 */
export function grantMembership(role: string, member = 'current_user'): string {
  const grantee = member === 'current_user' ? 'current_user' : `'${member.replace(/'/g, "''")}'`;
  return `
    DO $$ BEGIN
      -- From PostgreSQL 16 on, a role that created another holds its ADMIN option without SET.
      IF NOT pg_has_role(${grantee}, '${role}', CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) THEN
        -- Membership to SET ROLE with, not to inherit privileges from (PostgreSQL 16 on can tell the two apart).
        EXECUTE format('GRANT ${role} TO %I', ${grantee})
          || CASE WHEN current_setting('server_version_num')::int >= 160000 THEN ' WITH INHERIT FALSE, SET TRUE' ELSE '' END;
      END IF;
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role % may not SET ROLE ${role}, and % cannot grant it', ${grantee}, current_user
        USING HINT = format('as a role with the ADMIN option on ${role} (the one that created it, or a superuser), run: GRANT ${role} TO %I', ${grantee});
    END $$`;
}
