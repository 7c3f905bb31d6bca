import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '../src/logger';
import { RedisSocketCounter } from '../src/rate-limits/socket-counter';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startOwnRedis, testRedis, type OwnRedis, type TestRedis } from './support/redis';
import { startTestServer, type TestServer } from './support/server';
import { openSocket, type TestSocket } from './support/sockets';

// Two gateway instances over one database: with REDIS_URL they share every limit; without it
// each counts alone; when Redis goes away each falls back to counting alone rather than failing.
const WINDOW_SECONDS = 3600;
const LIMITS = {
  LIMIT_REQUESTS_PER_SECOND: '3',
  LIMIT_REQUEST_BURST: '5',
  LIMIT_SOCKETS_PER_KEY: '2',
  LIMIT_INGEST_CALLS_PER_SECOND: '10',
};
const PROBE = 'query Probe { __typename }';

let db: TestDatabase;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.dispose()));
});
afterAll(() => db.dispose());

async function twoInstances(env: Record<string, string>): Promise<[TestServer, TestServer]> {
  const start = () => startTestServer({ database: db, env: { ...LIMITS, ...env }, limitWindowSeconds: WINDOW_SECONDS });
  return [await start(), await start()];
}

function socket(server: TestServer, key: string): TestSocket {
  const opened = openSocket(server.wsUrl, key);
  sockets.push(opened);
  return opened;
}

const status = async (server: TestServer, key: string, query = PROBE, variables: Record<string, unknown> = {}): Promise<number> =>
  (await server.gql(query, variables, { key })).status;

describe('with REDIS_URL', () => {
  let redis: TestRedis;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    redis = await testRedis();
    [a, b] = await twoInstances({ REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `limits-${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await Promise.all([a.dispose(), b.dispose()]);
    await redis.dispose();
  });

  it('shares a key’s requests between instances: the burst spent on both, the next is refused by either', async () => {
    const { key } = await a.workspaceWithKey('Shared requests');
    for (const server of [a, a, a, b, b]) expect(await status(server, key)).toBe(200);
    const refused = await b.gql(PROBE, {}, { key });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(await status(a, key)).toBe(429);
  });

  it('shares a workspace’s calls between instances', async () => {
    const { workspaceId, key } = await a.workspaceWithKey('Shared ingest');
    expect((await a.gql(TRACK_MANY, { inputs: Array.from({ length: 6 }, () => call()) }, { key })).data?.trackLlmCalls.accepted).toBe(6);
    expect((await b.gql(TRACK_MANY, { inputs: Array.from({ length: 4 }, () => call()) }, { key })).data?.trackLlmCalls.accepted).toBe(4);
    expect(await status(a, key, TRACK_ONE, { input: call() })).toBe(429);
    const [row] = await db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
    expect(row.n).toBe(10);
  });

  it('shares a key’s sockets between instances: one on each, the third closed with 4429 on either', async () => {
    const { key } = await a.workspaceWithKey('Shared sockets');
    const onA = socket(a, key);
    const onB = socket(b, key);
    await Promise.all([onA.connected, onB.connected]);
    expect((await socket(a, key).closed).code).toBe(4429);
    expect((await socket(b, key).closed).code).toBe(4429);
  });
});

describe('without REDIS_URL', () => {
  it('lets each instance count alone: a key has its burst on each', async () => {
    const [a, b] = await twoInstances({});
    try {
      const { key } = await a.workspaceWithKey('Per instance');
      for (let i = 0; i < 5; i++) expect(await status(a, key)).toBe(200);
      for (let i = 0; i < 5; i++) expect(await status(b, key)).toBe(200);
      expect(await status(a, key)).toBe(429);
      expect(await status(b, key)).toBe(429);
    } finally {
      await Promise.all([a.dispose(), b.dispose()]);
    }
  });
});

describe('when Redis goes away', () => {
  let redis: OwnRedis;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    redis = await startOwnRedis();
    [a, b] = await twoInstances({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await Promise.all([a.dispose(), b.dispose()]);
    await redis.dispose();
  });

  it('keeps serving and limiting: each instance counts alone in memory, and never answers 500', async () => {
    const { key } = await a.workspaceWithKey('Redis gone');
    await redis.stop();
    for (let i = 0; i < 5; i++) expect(await status(a, key)).toBe(200);
    expect(await status(a, key)).toBe(429);
    for (let i = 0; i < 5; i++) expect(await status(b, key)).toBe(200);
    expect(await status(b, key)).toBe(429);
    const [first, second] = [socket(a, key), socket(a, key)];
    await Promise.all([first.connected, second.connected]);
    expect((await socket(a, key).closed).code).toBe(4429);
  });
});

describe('socket leases', () => {
  it('stop counting the sockets of an instance that died once their lease runs out', async () => {
    const redis = await testRedis();
    const clients = [new Redis(redis.url), new Redis(redis.url)];
    const options = { prefix: `leases-${randomBytes(4).toString('hex')}`, logger: createLogger('silent'), leaseMs: 300 };
    const [dying, living] = clients.map((client) => new RedisSocketCounter({ ...options, redis: client }));
    try {
      expect(await dying.acquire('key', 1)).not.toBeNull();
      dying.close(); // stops renewing, gives nothing back: as a crash would
      expect(await living.acquire('key', 1)).toBeNull();
      let lease = null;
      for (let attempt = 0; !lease && attempt < 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25)); // the lease runs out by time alone
        lease = await living.acquire('key', 1);
      }
      expect(lease).not.toBeNull();
      // A living instance renews its leases: it keeps its place however long the socket stays.
      await new Promise((resolve) => setTimeout(resolve, 900));
      expect(await dying.acquire('key', 1)).toBeNull();
      lease!.release();
    } finally {
      living.close();
      await Promise.all(clients.map((c) => c.quit()));
      await redis.dispose();
    }
  });
});
