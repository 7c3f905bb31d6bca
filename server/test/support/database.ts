import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { platformDb, type PlatformDb } from '../../src/db/platform-db';

export interface TestDatabase {
  /** The database as its serving role sees it: for gateways, spawned or in process. */
  url: string;
  /** A pool on `url`: what a gateway is given. */
  dataSource: DataSource;
  /** The platform path on that pool: what a test sets data up and checks it through (every workspace). */
  platform: PlatformDb;
  dispose(): Promise<void>;
}

/** Which role a test database is served with. */
export type ServingRole =
  /** A plain owner without superuser or BYPASSRLS, as managed PostgreSQL gives (the default). */
  | 'owner'
  /** The server's superuser, as the embedded PostgreSQL of `npm start` has. */
  | 'superuser';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs a statement as the server's superuser on its maintenance database (a test database may be refusing connections). */
export async function asSuperuser(sql: string, parameters: unknown[] = []): Promise<void> {
  await admin((c) => c.query(sql, parameters));
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.TALLY_TEST_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database of its own (a copy of the template made in global setup), owned by the test owner role. */
export async function createTestDatabase(role: ServingRole = 'owner'): Promise<TestDatabase> {
  const name = `tally_t_${randomBytes(6).toString('hex')}`;
  const owner = new URL(process.env.TALLY_TEST_OWNER_URL!).username;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TALLY_TEST_TEMPLATE} OWNER ${owner}`));
  const url = withDatabase(role === 'owner' ? process.env.TALLY_TEST_OWNER_URL! : process.env.TALLY_TEST_ADMIN_URL!, name);
  const dataSource = createDataSource(url, 10);
  await dataSource.initialize();
  return {
    url,
    dataSource,
    platform: platformDb(dataSource),
    dispose: async () => {
      await dataSource.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
