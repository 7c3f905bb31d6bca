import { randomBytes } from 'node:crypto';
import type { IntervalScheduler } from '../src/monitoring/snapshot-feed';
import { call, TRACK_ONE } from './fixtures/calls';
import { events } from './support/events';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testRedis, type TestRedis } from './support/redis';
import { startTestServer, type TestServer } from './support/server';
import { countReaches, metricTotal } from './support/live-counts';

// Two gateway instances in this process over one database and one Redis: the pushes each
// makes for its own subscribers (summaries, API metrics) are made once, where the subscriber is.

/** Snapshot timers that tick when the test says; `registered` resolves once a timer exists. */
class HandTicked implements IntervalScheduler {
  private readonly ticks = new Map<number, () => void>();
  private readonly waiting = new Map<number, () => void>();

  every(ms: number, tick: () => void): { cancel(): void } {
    this.ticks.set(ms, tick);
    this.waiting.get(ms)?.();
    return { cancel: () => this.ticks.delete(ms) };
  }

  registered(ms: number): Promise<void> {
    return this.ticks.has(ms) ? Promise.resolve() : new Promise((resolve) => this.waiting.set(ms, resolve));
  }

  fire(ms: number): void {
    this.ticks.get(ms)?.();
  }
}

const A_TIME = new Date('2026-03-01T10:00:00.000Z');
const B_TIME = new Date('2026-03-01T20:00:00.000Z');
const SNAPSHOTS = `subscription { apiMetricsUpdated(intervalMs: 500) { at } }`;

let redis: TestRedis;
let db: TestDatabase;
let a: TestServer;
let b: TestServer;
const ticksA = new HandTicked();
const ticksB = new HandTicked();

beforeAll(async () => {
  redis = await testRedis();
  db = await createTestDatabase();
  const env = { REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `tally-test-${randomBytes(4).toString('hex')}` };
  a = await startTestServer({ database: db, env, now: () => A_TIME, monitoring: { snapshotScheduler: ticksA } });
  b = await startTestServer({ database: db, env, now: () => B_TIME, monitoring: { snapshotScheduler: ticksB } });
});

afterAll(async () => {
  await a.dispose();
  await b.dispose();
  await db.dispose();
  await redis.dispose();
});

it('sends an API metrics snapshot only to the subscribers of the instance that made it', async () => {
  const onA = events<{ apiMetricsUpdated: { at: string } }>(a.wsClient({ authorization: `Bearer ${a.adminKey}` }), SNAPSHOTS);
  const onB = events<{ apiMetricsUpdated: { at: string } }>(b.wsClient({ authorization: `Bearer ${b.adminKey}` }), SNAPSHOTS);
  await Promise.all([ticksA.registered(500), ticksB.registered(500)]);

  ticksA.fire(500);
  expect((await onA()).apiMetricsUpdated.at).toBe(A_TIME.toISOString());
  ticksB.fire(500);
  // Had A's snapshot reached B's subscriber too, it would come first here.
  expect((await onB()).apiMetricsUpdated.at).toBe(B_TIME.toISOString());
  ticksA.fire(500);
  expect((await onA()).apiMetricsUpdated.at).toBe(A_TIME.toISOString());
});

it('computes a live summary only on the instance its subscriber is on, for calls taken by the other', async () => {
  const { key } = await b.workspaceWithKey('Summary on B');
  const pushes = events<{ llmSummaryUpdated: { totalRequests: number } }>(
    b.wsClient({ authorization: `Bearer ${key}` }),
    `subscription { llmSummaryUpdated(period: LAST_24H) { totalRequests } }`,
  );
  await countReaches(b.gateway.services.subscriptions.live, 'llmSummaryUpdated');
  await countReaches(b.gateway.services.pubsub.subscribers, 'USAGE_CHANGED');
  await countReaches(a.gateway.services.pubsub.subscribers, 'USAGE_CHANGED');
  const computed = (server: TestServer) => metricTotal(server.gateway.services.monitoring.prometheus.registry, 'tally_live_summary_computations_total');
  const [beforeA, beforeB] = [await computed(a), await computed(b)];

  const tracked = await a.gql(TRACK_ONE, { input: call({ occurredAt: new Date(A_TIME.getTime() - 60_000).toISOString() }) }, { key });
  expect(tracked.errors).toBeUndefined();
  await pushes();
  expect((await computed(b)) - beforeB).toBe(1);
  expect((await computed(a)) - beforeA).toBe(0);
});
