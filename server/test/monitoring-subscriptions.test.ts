import type { Client } from 'graphql-ws';
import { createLogger } from '../src/logger';
import { SnapshotFeed, snapshotInterval, type IntervalScheduler } from '../src/monitoring/snapshot-feed';
import { firstResults, startMonitoringServer, type MonitoringServer } from './support/monitoring-server';
import { countReaches } from './support/live-counts';

/** Timers that fire only when the test says so. */
class ManualScheduler implements IntervalScheduler {
  readonly timers = new Map<number, Set<() => void>>();
  started = 0;

  every(ms: number, tick: () => void): { cancel(): void } {
    this.started++;
    if (!this.timers.has(ms)) this.timers.set(ms, new Set());
    this.timers.get(ms)!.add(tick);
    return { cancel: () => this.timers.get(ms)?.delete(tick) };
  }

  fire(ms: number): void {
    for (const tick of this.timers.get(ms) ?? []) tick();
  }

  running(ms: number): number {
    return this.timers.get(ms)?.size ?? 0;
  }
}

/** A subscription whose events a test takes one at a time. */
function stream(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const queued: unknown[] = [];
  const waiting: ((value: unknown) => void)[] = [];
  const stop = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        const resolve = waiting.shift();
        if (resolve) resolve(value);
        else queued.push(value);
      },
      error: (error) => waiting.shift()?.({ error }),
      complete: () => undefined,
    },
  );
  return {
    next: (): Promise<any> => (queued.length ? Promise.resolve(queued.shift()) : new Promise((resolve) => waiting.push(resolve))), // eslint-disable-line @typescript-eslint/no-explicit-any
    stop,
  };
}

const SNAPSHOTS = `subscription Snapshots($intervalMs: Int) {
  apiMetricsUpdated(intervalMs: $intervalMs) { at endpoints { key callCount p95TimeMs } system { cpuPercent memory { percent } process { pid } } }
}`;

describe('the snapshot interval', () => {
  it('is 2000 ms when not given', () => {
    expect(snapshotInterval(undefined)).toBe(2000);
    expect(snapshotInterval(null)).toBe(2000);
  });

  it('may be as short as 250 ms', () => {
    expect(snapshotInterval(250)).toBe(250);
  });

  it('refuses less than 250 ms, saying what arrived', () => {
    expect(() => snapshotInterval(249)).toThrow('intervalMs must be at least 250, but got 249');
  });
});

describe('the snapshot feed', () => {
  const logger = createLogger('silent');

  it('produces each snapshot once for every subscriber of an interval, on one timer', async () => {
    const scheduler = new ManualScheduler();
    let produced = 0;
    const feed = new SnapshotFeed(async () => ++produced, logger, scheduler);
    const subscribers = [feed.subscribe(500), feed.subscribe(500), feed.subscribe(500)];
    // A subscription starts listening with its first read.
    const reads = subscribers.map((s) => s.next());
    expect(scheduler.started).toBe(1);

    scheduler.fire(500);
    const first = await Promise.all(reads);
    const nextReads = subscribers.map((s) => s.next());
    scheduler.fire(500);
    const second = await Promise.all(nextReads);

    expect(produced).toBe(2);
    expect(first.map((r) => r.value)).toEqual([1, 1, 1]);
    expect(second.map((r) => r.value)).toEqual([2, 2, 2]);
  });

  it('keeps one timer per interval and stops it with its last subscriber', async () => {
    const scheduler = new ManualScheduler();
    const feed = new SnapshotFeed(async () => 'snapshot', logger, scheduler);
    const fast = [feed.subscribe(250), feed.subscribe(250)];
    const slow = feed.subscribe(5000);
    for (const subscriber of [...fast, slow]) void subscriber.next();
    expect(scheduler.running(250)).toBe(1);
    expect(scheduler.running(5000)).toBe(1);

    await fast[0].return!();
    expect(scheduler.running(250)).toBe(1);
    await fast[1].return!();
    expect(scheduler.running(250)).toBe(0);
    expect(scheduler.running(5000)).toBe(1);
    await slow.return!();
    expect(scheduler.running(5000)).toBe(0);
  });

  it('gives a slow reader the newest snapshot, not a backlog', async () => {
    const scheduler = new ManualScheduler();
    let produced = 0;
    const feed = new SnapshotFeed(async () => ++produced, logger, scheduler);
    const reader = feed.subscribe(1000);
    const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const first = reader.next();
    scheduler.fire(1000);
    expect((await first).value).toBe(1);
    scheduler.fire(1000);
    await settled();
    scheduler.fire(1000);
    await settled();
    expect(produced).toBe(3);
    expect((await reader.next()).value).toBe(3);
  });
});

describe('apiMetricsUpdated', () => {
  const scheduler = new ManualScheduler();
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer({ monitoring: { snapshotScheduler: scheduler } });
  });
  afterAll(() => server.dispose());

  it('pushes the same snapshot to every subscriber, made once per tick', async () => {
    const monitoring = server.gateway.services.monitoring;
    const produce = jest.spyOn(monitoring, 'snapshot');
    const a = stream(server.ws(server.adminKey), SNAPSHOTS, { intervalMs: 300 });
    const b = stream(server.ws(server.adminKey), SNAPSHOTS, { intervalMs: 300 });
    await countReaches(server.gateway.services.subscriptions.live, 'apiMetricsUpdated', 2);
    expect(scheduler.running(300)).toBe(1);

    scheduler.fire(300);
    const [a1, b1] = await Promise.all([a.next(), b.next()]);
    scheduler.fire(300);
    const [a2, b2] = await Promise.all([a.next(), b.next()]);

    expect(produce).toHaveBeenCalledTimes(2);
    expect(a1.data.apiMetricsUpdated).toEqual(b1.data.apiMetricsUpdated);
    expect(a2.data.apiMetricsUpdated).toEqual(b2.data.apiMetricsUpdated);
    expect(a2.data.apiMetricsUpdated.at).not.toBe(a1.data.apiMetricsUpdated.at);
    expect(a1.data.apiMetricsUpdated.system.process.pid).toBe(process.pid);
    a.stop();
    b.stop();
    produce.mockRestore();
    jest.restoreAllMocks();
  });

  it('uses a 2000 ms timer when no interval is given', async () => {
    const live = server.gateway.services.subscriptions.live;
    await countReaches(live, 'apiMetricsUpdated', (count) => count === 0);
    expect(scheduler.running(2000)).toBe(0);
    const s = stream(server.ws(server.adminKey), SNAPSHOTS);
    await countReaches(live, 'apiMetricsUpdated', 1);
    expect(scheduler.running(2000)).toBe(1);
    scheduler.fire(2000);
    expect((await s.next()).data.apiMetricsUpdated.endpoints).toEqual(expect.any(Array));
    s.stop();
  });

  it('answers an interval under 250 ms with BAD_USER_INPUT', async () => {
    const [result] = await firstResults(server.ws(server.adminKey), SNAPSHOTS, { intervalMs: 100 }, 1);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe('intervalMs must be at least 250, but got 100');
  });

  it('refuses a member key', async () => {
    const { key } = await server.workspaceWithKey('member watching snapshots');
    const [result] = await firstResults(server.ws(key), SNAPSHOTS, {}, 1);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('apiMetricsUpdated on real timers', () => {
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer();
  });
  afterAll(() => server.dispose());

  it('pushes snapshots every 250 ms, with the calls made meanwhile', async () => {
    await server.gql('query BeforeSnapshots { health { status } }');
    const results = await firstResults(server.ws(server.adminKey), SNAPSHOTS, { intervalMs: 250 }, 2);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const keys = results[1].data!.apiMetricsUpdated.endpoints.map((e: { key: string }) => e.key);
    expect(keys).toContain('graphql query BeforeSnapshots');
  });
});
