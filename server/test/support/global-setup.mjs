// Starts one PostgreSQL for the whole run (embedded, unless DATABASE_URL names a server) and
// prepares a migrated template database; each test file clones it (createTestDatabase).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { buildServer, root } from '../../../scripts/build-lib.mjs';

export const TEMPLATE = 'tally_test_template';
/**
 * The role tests serve and migrate with, as managed PostgreSQL gives one: it owns its databases
 * and may create roles, but is no superuser and has no BYPASSRLS.
 */
export const OWNER = { name: 'tally_test_owner', password: 'tally_test_owner' };

export default async function globalSetup() {
  // Under server/node_modules, so the compiled files resolve dependencies as server/dist does (a server
  // dependency npm could not hoist, another version sitting at the root, is found in server/node_modules).
  const compiled = join(root, 'server/node_modules/.cache', `tally-test-build-${process.pid}`);
  await buildServer(compiled);
  const require = createRequire(join(root, 'package.json'));
  const { startEmbeddedPostgres } = require(join(compiled, 'db/embedded.js'));
  const { openDatabase } = require(join(compiled, 'db/data-source.js'));
  const pino = require('pino');

  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'tally-test-pg-'));
    chmodSync(dir, 0o755); // the server runs as the postgres user when we are root
    const server = await startEmbeddedPostgres(join(dir, 'data'), pino({ level: process.env.TALLY_TEST_PG_LOG ?? 'warn' }));
    adminUrl = server.url.replace(/\/tally$/, '/postgres');
    globalThis.__TALLY_PG__ = { server, dir };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
  await createManagedOwner(admin, OWNER);
  await admin.query(`CREATE DATABASE ${TEMPLATE} OWNER ${OWNER.name}`);
  await admin.end();
  const templateUrl = withRole(withDatabase(adminUrl, TEMPLATE), OWNER);
  const dataSource = await openDatabase(templateUrl, 2);
  await dataSource.destroy();
  rmSync(compiled, { recursive: true, force: true });
  process.env.TALLY_TEST_ADMIN_URL = adminUrl;
  process.env.TALLY_TEST_TEMPLATE = TEMPLATE;
  process.env.TALLY_TEST_OWNER_URL = withRole(adminUrl, OWNER);
}

/**
 * Creates (or resets) the owner role. The app and platform roles are the migration's to create;
 * on a server that has them from an earlier run, created by another role, the owner is made a
 * member here, as a managed service's admin would.
 */
export async function createManagedOwner(admin, { name, password }) {
  await admin.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN
      CREATE ROLE ${name} LOGIN PASSWORD '${password}' NOSUPERUSER NOBYPASSRLS CREATEROLE CREATEDB;
    END IF;
    ALTER ROLE ${name} LOGIN PASSWORD '${password}' NOSUPERUSER NOBYPASSRLS CREATEROLE;
  END $$`);
  for (const role of ['tally_app', 'tally_platform']) {
    await admin.query(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN GRANT ${role} TO ${name}; END IF;
    END $$`);
  }
}

export function withRole(url, { name, password }) {
  const parsed = new URL(url);
  parsed.username = name;
  parsed.password = password;
  return parsed.toString();
}

export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
