import type { DataSource } from 'typeorm';
import { createTracker, type TrackFailure } from '../../sdk/src';
import { openDatabase } from '../src/db/data-source';
import { platformDb } from '../src/db/platform-db';
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres';
import { waitUntil } from './support/processes';
import { startTestServer, type TestServer } from './support/server';
import { storedCalls } from './support/stored-calls';
import { trackedCalls } from './support/tracked-calls';

// PostgreSQL (a server of this test's own) stopped while a tracker sends 10,000 calls, and
// started again: the gateway says UNAVAILABLE and DOWN meanwhile, and nothing is lost or doubled.

const CALLS = 10_000;
const USAGE = `query { llmUsage(period: LAST_7D, groupBy: MODEL) { key requests } }`;

let postgres: OwnPostgres;
let dataSource: DataSource;
let server: TestServer;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  dataSource = await openDatabase(postgres.url, 10, { connectTimeoutMs: 1000 });
  server = await startTestServer({ database: { url: postgres.url, dataSource, platform: platformDb(dataSource), dispose: async () => undefined } });
});

afterAll(async () => {
  await server.dispose();
  await dataSource.destroy();
  await postgres.dispose();
});

async function health(): Promise<{ status: number; body: { status: string; services: { name: string; status: string }[] } }> {
  const response = await fetch(server.url.replace('/graphql', '/health'));
  return { status: response.status, body: (await response.json()) as never };
}

it('stores each of 10,000 calls exactly once through a PostgreSQL restart, answering UNAVAILABLE and DOWN meanwhile', async () => {
  const { workspaceId, key } = await server.workspaceWithKey('Outage');
  const failures: TrackFailure[] = [];
  const tracker = createTracker({
    url: server.url,
    apiKey: key,
    maxQueueSize: CALLS,
    retryBaseDelayMs: 50,
    retryMaxDelayMs: 1000,
    onError: (failure) => failures.push(failure),
  });
  const landed = server.gateway.services.pubsub.subscribe('LLM_CALL_TRACKED')[Symbol.asyncIterator]();
  for (const call of trackedCalls(CALLS)) tracker.track(call);

  for (let seen = 0; seen < 2000; seen++) await landed.next();
  await landed.return!();
  await postgres.stop();

  const during = await server.gql(USAGE, {}, { key });
  expect(during).toMatchObject({ status: 503, retryAfter: '2' });
  expect(during.errors).toEqual([expect.objectContaining({ message: 'The database is unavailable; retry later', extensions: { code: 'UNAVAILABLE' } })]);
  const down = await health();
  expect(down.status).toBe(503);
  expect(down.body.status).toBe('DOWN');
  expect(down.body.services.find((s) => s.name === 'database')?.status).toBe('DOWN');
  await waitUntil('the tracker to retry a few times', () => tracker.stats().retries >= 3);

  await postgres.start();
  await tracker.flush();

  expect(failures).toEqual([]);
  const stats = tracker.stats();
  expect(stats).toMatchObject({ queued: 0, dropped: 0, failed: 0 });
  expect(stats.accepted + stats.duplicates).toBe(CALLS);
  expect(await storedCalls(platformDb(dataSource), workspaceId)).toEqual({
    rows: CALLS,
    distinctEventIds: CALLS,
    rollupMismatches: 0,
    agentStatsRequests: Math.ceil((CALLS * 2) / 3),
    agentRows: Math.ceil((CALLS * 2) / 3),
  });
  expect((await health()).body.services.find((s) => s.name === 'database')?.status).toBe('OK');
  await tracker.shutdown();
});
