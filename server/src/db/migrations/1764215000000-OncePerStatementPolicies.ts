import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1764202100000-RowLevelSecurity';
import { PLATFORM_ROLE } from './1764203000000-PlatformRole';

const PLATFORM_POLICY = 'platform_access';
const PLATFORM_ALERTS = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The policies' settings and role read once per statement: a scalar subquery without references
 * to the row is an InitPlan, evaluated once, where a bare current_setting(…) or current_user is
 * called again for every row (in scope __all__, 300,000 rows took twice the time of the bare
 * aggregation).
 */
const setting = (name: string) => `(SELECT current_setting('app.${name}', true))`;
const inScope = (column: string) => `${setting('all_workspaces')} = 'on' OR ${column} = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::uuid)`;
const IS_ADMIN = `${setting('is_admin')} = 'on'`;
const AS_PLATFORM = `(SELECT current_user) = '${PLATFORM_ROLE}'`;

/** The same policies before: each row calls the functions. */
const SLOW_IN_SCOPE = (column: string) =>
  `current_setting('app.all_workspaces', true) = 'on' OR ${column} = NULLIF(current_setting('app.workspace_id', true), '')::uuid`;
const SLOW_IS_ADMIN = `current_setting('app.is_admin', true) = 'on'`;
const SLOW_AS_PLATFORM = `current_user = '${PLATFORM_ROLE}'`;

export interface PolicyForms {
  inScope: (column: string) => string;
  isAdmin: string;
  asPlatform: string;
}
export const FAST: PolicyForms = { inScope, isAdmin: IS_ADMIN, asPlatform: AS_PLATFORM };
const SLOW: PolicyForms = { inScope: SLOW_IN_SCOPE, isAdmin: SLOW_IS_ADMIN, asPlatform: SLOW_AS_PLATFORM };

/** Dollar-quoted, so the expression goes into a function body as it is. */
const quoted = (sql: string) => `$expr$${sql}$expr$`;

/**
 * Rewrites every row-level policy so the settings and the role it compares are read once per
 * statement, and makes tally_protect and tally_platform_policy create that form on new tables.
 * The rows each policy admits are the same.
 */
export class OncePerStatementPolicies1764215000000 implements MigrationInterface {
  name = 'OncePerStatementPolicies1764215000000';

  async up(q: QueryRunner): Promise<void> {
    await rewrite(q, FAST);
  }

  async down(q: QueryRunner): Promise<void> {
    await rewrite(q, SLOW);
  }
}

export async function rewrite(q: QueryRunner, forms: PolicyForms): Promise<void> {
  const tenant = forms.inScope('workspace_id');
  await q.query(`
    CREATE OR REPLACE FUNCTION tally_protect(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO ${APP_ROLE}, ${PLATFORM_ROLE}', target);
      EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
      EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
      EXECUTE format('CREATE POLICY tenant_scope ON %s USING (%s) WITH CHECK (%s)', target, ${quoted(tenant)}, ${quoted(tenant)});
      PERFORM tally_platform_policy(target);
    END $fn$`);
  await q.query(`
    CREATE OR REPLACE FUNCTION tally_platform_policy(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = target AND polname = '${PLATFORM_POLICY}') THEN
        EXECUTE format('CREATE POLICY ${PLATFORM_POLICY} ON %s TO ${PLATFORM_ROLE} USING (%s) WITH CHECK (%s)', target, ${quoted(forms.asPlatform)}, ${quoted(forms.asPlatform)});
      END IF;
    END $fn$`);
  const policies: { name: string; tableName: string; hasCheck: boolean }[] = await q.query(
    `SELECT p.polname AS name, p.polrelid::regclass::text AS "tableName", p.polwithcheck IS NOT NULL AS "hasCheck"
     FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' ORDER BY 2, 1`,
  );
  for (const { name, tableName, hasCheck } of policies) {
    let expression: string | null = null;
    if (name === 'tenant_scope') expression = tableName === 'workspaces' ? `${forms.inScope('id')} OR ${forms.isAdmin}` : tenant;
    else if (name === PLATFORM_POLICY) expression = forms.asPlatform;
    else if (name === 'platform_alerts') expression = `workspace_id = '${PLATFORM_ALERTS}' AND ${forms.isAdmin}`;
    // Other policies (platform_prices) compare constants only.
    if (!expression) continue;
    await q.query(`ALTER POLICY ${name} ON ${tableName} USING (${expression})${hasCheck ? ` WITH CHECK (${expression})` : ''}`);
  }
}
