import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLATFORM_ROLE } from './1764203000000-PlatformRole';
import { FAST, rewrite, type PolicyForms } from './1764215000000-OncePerStatementPolicies';

/**
 * The policies' tests of a setting or the role as booleans computed once per statement
 * (`(SELECT setting = 'on')`) rather than a value computed once and compared per row
 * (`(SELECT setting) = 'on'`). The planner can estimate neither, but it takes a comparison with
 * an unknown value as true for one row in 200, and an unknown boolean as true for one in two:
 * in scope __all__ it expected 1,530 of 300,000 rows, so it sorted them to group by workspace
 * (on disk, 240 ms) where it now hashes them (70 ms). The rows each policy admits are the same.
 */
const setting = (name: string) => `(SELECT current_setting('app.${name}', true) = 'on')`;
export const ESTIMABLE: PolicyForms = {
  inScope: (column) => `${setting('all_workspaces')} OR ${column} = (SELECT NULLIF(current_setting('app.workspace_id', true), '')::uuid)`,
  isAdmin: setting('is_admin'),
  asPlatform: `(SELECT current_user = '${PLATFORM_ROLE}')`,
};

export class EstimablePolicies1764218000000 implements MigrationInterface {
  name = 'EstimablePolicies1764218000000';

  async up(q: QueryRunner): Promise<void> {
    await rewrite(q, ESTIMABLE);
  }

  async down(q: QueryRunner): Promise<void> {
    await rewrite(q, FAST);
  }
}
