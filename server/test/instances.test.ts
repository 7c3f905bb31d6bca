import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { createApiKey } from '../src/auth/auth.service';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { MIGRATIONS } from '../src/db/data-source';
import { call, TRACK_ONE } from './fixtures/calls';
import { createTestDatabase, type TestDatabase } from './support/database';
import { events } from './support/events';
import { compileServer, postGraphql, spawnGateway, waitUntil, type CompiledServer, type GatewayProcess } from './support/processes';
import { startOwnRedis, testRedis, type OwnRedis, type TestRedis } from './support/redis';

// Several gateway processes sharing events through Redis (REDIS_URL), as behind a load balancer.

const CALLS = `subscription { llmCallTracked { eventId workspaceId } }`;
const SUMMARY = `subscription { llmSummaryUpdated(period: LAST_24H) { totalRequests } }`;
const USAGE = `query { llmUsage(period: LAST_24H, groupBy: MODEL) { key requests } }`;

let compiled: CompiledServer;
let db: TestDatabase;
let member: { workspaceId: string; key: string };
const clients: Client[] = [];
const gateways: GatewayProcess[] = [];

beforeAll(async () => {
  compiled = compileServer();
  db = await createTestDatabase();
  const workspace = await createWorkspace(db.platform, 'Instances', 'pro');
  member = { workspaceId: workspace.id, key: await createApiKey(db.platform, workspace.id, 'MEMBER', null) };
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(gateways.map((g) => g.stop()));
  await db.dispose();
  compiled.dispose();
});

async function gateway(redisUrl: string, prefix: string): Promise<GatewayProcess> {
  const started = await spawnGateway(compiled.main, { databaseUrl: db.url, env: { REDIS_URL: redisUrl, REDIS_CHANNEL_PREFIX: prefix } });
  gateways.push(started);
  return started;
}

function subscriber(target: GatewayProcess): Client {
  const client = createClient({ url: target.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${member.key}` }, retryAttempts: 0 });
  clients.push(client);
  return client;
}

/** Redis subscribes a gateway's channel a moment after a client subscribes: this waits until Redis counts `count` listeners. */
async function listening(redisUrl: string, channel: string, count = 1): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    await waitUntil(`${count} Redis subscribers of ${channel}`, async () => {
      const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      return subscribers >= count;
    });
  } finally {
    redis.disconnect();
  }
}

/** Waits until a gateway counts `count` open subscriptions (its Prometheus gauge): their resolvers have run. */
async function subscriptionsOpen(target: GatewayProcess, count: number): Promise<void> {
  await waitUntil(`${count} open subscriptions`, async () => {
    const response = await fetch(`http://127.0.0.1:${target.port}/metrics`, { headers: { authorization: `Bearer ${target.adminKey}` } });
    const gauge = /^tally_graphql_subscriptions (\d+)/m.exec(await response.text());
    return Number(gauge?.[1] ?? 0) >= count;
  });
}

const track = (target: GatewayProcess, eventId: string) => postGraphql(target.url, member.key, TRACK_ONE, { input: call({ eventId }) });

describe('two gateway processes over the machine’s Redis', () => {
  let redis: TestRedis;
  let prefix: string;
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    redis = await testRedis();
    prefix = `tally-test-${randomBytes(4).toString('hex')}`;
    [a, b] = await Promise.all([gateway(redis.url, prefix), gateway(redis.url, prefix)]);
  });
  afterAll(() => redis.dispose());

  it('runs in production mode as deployed and still answers introspection', async () => {
    const answer = await postGraphql(a.url, member.key, '{ __schema { queryType { name } } __type(name: "LlmCallInput") { name } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __type: { name: 'LlmCallInput' } });
  });

  it('delivers a call tracked on instance A to a subscriber on instance B, once', async () => {
    const received = events<{ llmCallTracked: { eventId: string; workspaceId: string } }>(subscriber(b), CALLS);
    await listening(redis.url, `${prefix}:LLM_CALL_TRACKED`);
    expect((await track(a, 'first-on-a')).errors).toBeUndefined();
    expect(await received()).toEqual({ llmCallTracked: { eventId: 'first-on-a', workspaceId: member.workspaceId } });
    // Had the first call come twice (once per instance), the next event would be it again.
    await track(a, 'second-on-a');
    expect((await received()).llmCallTracked.eventId).toBe('second-on-a');
    await track(b, 'third-on-b');
    expect((await received()).llmCallTracked.eventId).toBe('third-on-b');
  });

  it('pushes a live summary to a subscriber on B once per change, wherever the calls land', async () => {
    const before = (await postGraphql(a.url, member.key, USAGE)).data!.llmUsage.reduce((sum: number, row: { requests: number }) => sum + row.requests, 0);
    const pushes = events<{ llmSummaryUpdated: { totalRequests: number } }>(subscriber(b), SUMMARY);
    await subscriptionsOpen(b, 2);
    await listening(redis.url, `${prefix}:USAGE_CHANGED`, 2);
    await track(a, 'summary-1');
    expect((await pushes()).llmSummaryUpdated.totalRequests).toBe(before + 1);
    await track(a, 'summary-2');
    // A second push per instance would repeat the first total here.
    expect((await pushes()).llmSummaryUpdated.totalRequests).toBe(before + 2);
  });
});

describe('a gateway process whose Redis goes away', () => {
  let redis: OwnRedis;
  let prefix: string;
  let target: GatewayProcess;

  beforeAll(async () => {
    redis = await startOwnRedis();
    prefix = `tally-test-${randomBytes(4).toString('hex')}`;
    target = await gateway(redis.url, prefix);
  });
  afterAll(() => redis.dispose());

  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${target.port}/health`);
    return { status: response.status, body: (await response.json()) as { status: string; services: { name: string; status: string }[] } };
  };

  it('keeps answering queries and writes, says DEGRADED on /health, and delivers again once Redis is back', async () => {
    const received = events<{ llmCallTracked: { eventId: string } }>(subscriber(target), CALLS);
    await listening(redis.url, `${prefix}:LLM_CALL_TRACKED`);
    expect((await health()).body.status).toBe('OK');

    await redis.stop();
    const down = await health();
    expect(down.status).toBe(200);
    expect(down.body.status).toBe('DEGRADED');
    expect(down.body.services.find((s) => s.name === 'pubsub')?.status).toBe('DEGRADED');
    expect(down.body.services.find((s) => s.name === 'database')?.status).toBe('OK');
    const written = await track(target, 'while-redis-is-down');
    expect(written.errors).toBeUndefined();
    const usage = await postGraphql(target.url, member.key, USAGE);
    expect(usage.errors).toBeUndefined();
    expect(usage.data!.llmUsage.length).toBeGreaterThan(0);

    await redis.start();
    // Nothing announces the reconnection outside the process: /health's PubSub probe tells when events flow again.
    await waitUntil('the PubSub to reconnect', async () => (await health()).body.status === 'OK', { timeoutMs: 20_000, everyMs: 200 });
    await track(target, 'after-redis-is-back');
    expect((await received()).llmCallTracked.eventId).toBe('after-redis-is-back');
  });
});

describe('gateway processes starting together against a new, empty database', () => {
  const name = `tally_t_fresh_${randomBytes(4).toString('hex')}`;
  const admin = async <T>(sql: string, database?: string): Promise<T[]> => {
    const url = new URL(process.env.TALLY_TEST_ADMIN_URL!);
    if (database) url.pathname = `/${database}`;
    const client = new PgClient({ connectionString: url.toString() });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };
  afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('both come up: one migrates while the other waits, and the main workspace is made once', async () => {
    await admin(`CREATE DATABASE ${name} OWNER ${new URL(db.url).username}`);
    const url = new URL(db.url);
    url.pathname = `/${name}`;
    const started = await Promise.all([0, 1].map(() => spawnGateway(compiled.main, { databaseUrl: url.toString() })));
    gateways.push(...started);
    const [{ migrations }] = await admin<{ migrations: number }>('SELECT count(*)::int AS migrations FROM migrations', name);
    const [{ workspaces }] = await admin<{ workspaces: number }>('SELECT count(*)::int AS workspaces FROM workspaces', name);
    expect(migrations).toBe(MIGRATIONS.length);
    expect(workspaces).toBe(1);
    for (const gateway of started) await gateway.stop();
  });
});
