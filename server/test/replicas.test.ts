import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../src/db/data-source';
import { platformDb } from '../src/db/platform-db';
import { call, TRACK_ONE } from './fixtures/calls';
import { startOwnPostgres, startStreamingReplica, type OwnPostgres, type StreamingReplica } from './support/own-postgres';
import { startTestServer, type TestServer } from './support/server';

// DATABASE_REPLICA_URLS: a hot standby streaming from a primary on loopback. Pausing the
// standby's replay shows which server answered: the primary has the write, the replica not yet.

const USAGE = `query { llmUsage(period: LAST_24H, groupBy: MODEL) { key requests } }`;

let primary: OwnPostgres;
let replica: StreamingReplica;
let dataSource: DataSource;
let server: TestServer;

beforeAll(async () => {
  primary = await startOwnPostgres();
  await (await openDatabase(primary.url, 1)).destroy(); // migrated before the replica copies it
  replica = await startStreamingReplica(primary);
  dataSource = await openDatabase(primary.url, 5, { replicaUrls: [replica.url] });
  server = await startTestServer({ database: { url: primary.url, dataSource, platform: platformDb(dataSource), dispose: async () => undefined } });
});

afterAll(async () => {
  await server.dispose();
  await dataSource.destroy();
  await replica.dispose();
  await primary.dispose();
});

async function onReplica(sql: string): Promise<void> {
  const client = new Client({ connectionString: replica.superuserUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const requests = (answer: { data?: { llmUsage: { requests: number }[] } }): number =>
  answer.data!.llmUsage.reduce((sum, row) => sum + row.requests, 0);

it('writes to the primary and answers queries from the replica', async () => {
  const { key } = await server.workspaceWithKey('Replicated');
  await server.gql(TRACK_ONE, { input: call({ eventId: 'before-pause' }) }, { key });
  await replica.caughtUp();
  expect(requests(await server.gql(USAGE, {}, { key }))).toBe(1);

  await onReplica('SELECT pg_wal_replay_pause()');
  try {
    const written = await server.gql(TRACK_ONE, { input: call({ eventId: 'during-pause' }) }, { key });
    expect(written.errors).toBeUndefined(); // a mutation: the primary took it, and read it back
    expect(requests(await server.gql(USAGE, {}, { key }))).toBe(1); // a query: the paused replica has not seen it
  } finally {
    await onReplica('SELECT pg_wal_replay_resume()');
  }
  await replica.caughtUp();
  expect(requests(await server.gql(USAGE, {}, { key }))).toBe(2);
});

it('keeps each workspace to its own rows on the replica', async () => {
  const mine = await server.workspaceWithKey('Replica mine');
  const theirs = await server.workspaceWithKey('Replica theirs');
  await server.gql(TRACK_ONE, { input: call() }, { key: theirs.key });
  await replica.caughtUp();
  expect(requests(await server.gql(USAGE, {}, { key: theirs.key }))).toBe(1);
  expect(requests(await server.gql(USAGE, {}, { key: mine.key }))).toBe(0);
});
