import { once } from 'node:events';
import { createDataSource } from '../src/db/data-source';
import { platformDb } from '../src/db/platform-db';
import { call, TRACK_MANY } from './fixtures/calls';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestServer, type GqlResult, type TestServer } from './support/server';
import { TcpProxy } from './support/tcp-proxy';

// A gateway whose PostgreSQL connections go through a TCP proxy that adds latency, stalls,
// resets connections and swallows new ones. Each request must succeed or fail with a clear
// error within its timeout, and the pool must recover.

const QUERY_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 1500;
const USAGE = `query { llmUsage(period: LAST_24H, groupBy: MODEL) { key requests } }`;
const UNAVAILABLE = { message: 'The database is unavailable; retry later', extensions: { code: 'UNAVAILABLE' } };

let database: TestDatabase;
let proxy: TcpProxy;
let server: TestServer;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = new TcpProxy(Number(target.port));
  await proxy.listen();
  target.port = String(proxy.port);
  const proxied = createDataSource(target.toString(), 5, { queryTimeoutMs: QUERY_TIMEOUT_MS, connectTimeoutMs: CONNECT_TIMEOUT_MS });
  await proxied.initialize();
  server = await startTestServer({ database: { url: target.toString(), dataSource: proxied, platform: platformDb(proxied), dispose: () => proxied.destroy() } });
  ({ key } = await server.workspaceWithKey('Flaky connections'));
});

afterEach(() => {
  proxy.latencyMs = 0;
  proxy.release();
  proxy.heal();
});

afterAll(async () => {
  await server.dispose();
  await server.db.dispose();
  await proxy.close();
  await database.dispose();
});

const track = (eventId: string): Promise<GqlResult> => server.gql(TRACK_MANY, { inputs: [call({ eventId })] }, { key });
const usage = (): Promise<GqlResult> => server.gql(USAGE, {}, { key });

/** The request works: the pool has connections that answer. */
async function expectWorking(eventId: string): Promise<void> {
  const tracked = await track(eventId);
  expect(tracked.errors).toBeUndefined();
  expect(tracked.data!.trackLlmCalls.accepted).toBe(1);
  expect((await usage()).errors).toBeUndefined();
}

it('answers through connections that add latency to every packet', async () => {
  proxy.latencyMs = 40;
  await expectWorking('slow-1');
  const [{ requests }] = (await usage()).data!.llmUsage;
  expect(requests).toBe(1);
});

it('fails requests whose connections are reset with UNAVAILABLE, and serves the next ones on fresh connections', async () => {
  await expectWorking('before-reset');
  proxy.hold('upstream');
  const held = once(proxy, 'held');
  const answers = Promise.all([track('during-reset'), usage()]);
  await held;
  proxy.resetAll();
  proxy.release();
  const [tracked, read] = await answers;
  // The request whose statement was cut fails with UNAVAILABLE; one that got a fresh connection may succeed.
  const failed = [tracked, read].filter((answer) => answer.errors);
  expect(failed.length).toBeGreaterThan(0);
  for (const answer of failed) expect(answer.errors).toEqual([expect.objectContaining(UNAVAILABLE)]);
  await expectWorking('after-reset');
  const [{ stored }] = await database.dataSource.query(`SELECT count(*)::int AS stored FROM llm_usage WHERE event_id = 'during-reset'`);
  expect(stored).toBe(tracked.errors ? 0 : 1);
});

it('fails a request with UNAVAILABLE when PostgreSQL stops answering on an open connection, after the query timeout', async () => {
  await expectWorking('before-stall');
  proxy.hold('downstream');
  const answer = await usage();
  expect(answer.errors).toEqual([expect.objectContaining(UNAVAILABLE)]);
  proxy.release();
  await expectWorking('after-stall');
});

it('fails a request with UNAVAILABLE when new connections get no answer, after the connect timeout', async () => {
  proxy.swallowNewConnections();
  proxy.resetAll(); // the pool must now connect anew
  const answer = await usage();
  expect(answer.errors).toEqual([expect.objectContaining(UNAVAILABLE)]);
  proxy.heal();
  await expectWorking('after-swallow');
});
