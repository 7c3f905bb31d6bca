// Starts one PostgreSQL for the whole run (embedded, unless DATABASE_URL names a server) and
// prepares a migrated template database; each test file clones it (createTestDatabase).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { buildServer, root } from '../../../scripts/build-lib.mjs';

export const TEMPLATE = 'tally_test_template';

export default async function globalSetup() {
  // Inside the repository, so the compiled files resolve node_modules.
  const compiled = join(root, 'node_modules/.cache', `tally-test-build-${process.pid}`);
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
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const templateUrl = withDatabase(adminUrl, TEMPLATE);
  const dataSource = await openDatabase(templateUrl, 2);
  await dataSource.destroy();
  rmSync(compiled, { recursive: true, force: true });
  process.env.TALLY_TEST_ADMIN_URL = adminUrl;
  process.env.TALLY_TEST_TEMPLATE = TEMPLATE;
}

export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
