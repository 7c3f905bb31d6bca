import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApiTracker, OVERFLOW_KEY, percentile, RingBuffer, type TrackedCall } from '../src/monitoring/api-tracker';
import { httpTracking, INVALID_GRAPHQL_KEY } from '../src/monitoring/api-tracking';
import { createLogger } from '../src/logger';
import { startMonitoringServer, type MonitoringServer } from './support/monitoring-server';
import { countReaches } from './support/live-counts';

const call = (key: string, durationMs: number, status = 200, error = status >= 400): TrackedCall => ({ key, durationMs, status, error, at: new Date() });

/** Resolves with the next `count` calls the tracker records (they are recorded after the response is finished). */
function nextRecords(tracker: ApiTracker, count: number): Promise<TrackedCall[]> {
  const record = tracker.record.bind(tracker);
  const seen: TrackedCall[] = [];
  return new Promise((resolve) => {
    const spy = jest.spyOn(tracker, 'record').mockImplementation((tracked) => {
      record(tracked);
      seen.push(tracked);
      if (seen.length >= count) {
        spy.mockRestore();
        resolve(seen);
      }
    });
  });
}

describe('the ring buffer and percentiles', () => {
  it('keeps only the last 100 values, oldest first', () => {
    const ring = new RingBuffer(100);
    for (let i = 1; i <= 150; i++) ring.push(i);
    const values = ring.toArray();
    expect(values).toHaveLength(100);
    expect(values[0]).toBe(51);
    expect(values[99]).toBe(150);
  });

  it('interpolates between the nearest ranks like percentile_cont', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBeCloseTo(50.5, 10);
    expect(percentile(values, 0.95)).toBeCloseTo(95.05, 10);
    expect(percentile(values, 0.99)).toBeCloseTo(99.01, 10);
    expect(percentile([10, 20], 0.5)).toBe(15);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('takes percentiles from the last 100 calls while totals cover every call', () => {
    const tracker = new ApiTracker();
    for (let i = 0; i < 100; i++) tracker.record(call('GET /slow-then-fast', 1000));
    for (let i = 0; i < 100; i++) tracker.record(call('GET /slow-then-fast', 10));
    const [stats] = tracker.stats();
    expect(stats).toMatchObject({ callCount: 200, totalTimeMs: 101_000, avgTimeMs: 505, minTimeMs: 10, maxTimeMs: 1000 });
    expect(stats.p50TimeMs).toBe(10);
    expect(stats.p99TimeMs).toBe(10);
  });

  it('answers the last 100 response times of each key, oldest first, beside totals of every call', () => {
    const tracker = new ApiTracker();
    for (let i = 1; i <= 130; i++) tracker.record(call('GET /ring', i));
    tracker.record(call('GET /other', 7));
    const byKey = new Map(tracker.stats().map((s) => [s.key, s]));
    expect(byKey.get('GET /ring')!.recentTimesMs).toEqual(Array.from({ length: 100 }, (_, i) => i + 31));
    expect(byKey.get('GET /ring')!.callCount).toBe(130);
    expect(byKey.get('GET /other')!.recentTimesMs).toEqual([7]);
  });

  it('counts errors and keeps a histogram of status codes', () => {
    const tracker = new ApiTracker();
    tracker.record(call('POST /graphql', 5, 200));
    tracker.record(call('POST /graphql', 5, 200, true));
    tracker.record(call('POST /graphql', 5, 413));
    tracker.record(call('POST /graphql', 5, 400));
    const [stats] = tracker.stats();
    expect(stats.errorCount).toBe(3);
    expect(stats.statusCodes).toEqual([
      { code: 200, count: 2 },
      { code: 400, count: 1 },
      { code: 413, count: 1 },
    ]);
  });
});

describe('the 500-key cap', () => {
  it('counts new keys beyond 500 under one overflow key', () => {
    const tracker = new ApiTracker();
    for (let i = 0; i < 600; i++) tracker.record(call(`graphql query Op${i}`, 1));
    expect(tracker.keyCount).toBe(501);
    const overflow = tracker.stats().find((s) => s.key === OVERFLOW_KEY)!;
    expect(overflow.callCount).toBe(100);
  });

  it('still counts a key it already holds under that key after the cap is reached', () => {
    const tracker = new ApiTracker({ maxKeys: 3 });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'a']) tracker.record(call(key, 1));
    const byKey = Object.fromEntries(tracker.stats().map((s) => [s.key, s.callCount]));
    expect(byKey).toEqual({ a: 2, b: 1, c: 1, [OVERFLOW_KEY]: 2 });
  });

  it('tells Prometheus the key a call was counted under', () => {
    const told: string[] = [];
    const tracker = new ApiTracker({ maxKeys: 1, onRecord: (c) => told.push(c.key) });
    tracker.record(call('first', 1));
    tracker.record(call('second', 1));
    expect(told).toEqual(['first', OVERFLOW_KEY]);
  });
});

describe('route templates', () => {
  it('records a route with ids and a query string under its template, across routers', async () => {
    const tracker = new ApiTracker();
    const app = express();
    app.use(httpTracking({ tracker, logger: createLogger('silent') }));
    const router = express.Router();
    router.get('/things/:thingId', (_req, res) => void res.json({ ok: true }));
    app.use('/api', router);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const recorded = nextRecords(tracker, 2);
      await fetch(`http://127.0.0.1:${port}/api/things/42?expand=all`);
      await fetch(`http://127.0.0.1:${port}/api/things/9f3c1e`);
      const calls = await recorded;
      expect(calls.map((c) => c.key)).toEqual(['GET /api/things/:thingId', 'GET /api/things/:thingId']);
      expect(tracker.stats()).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the tracker in the gateway', () => {
  let server: MonitoringServer;
  let tracker: ApiTracker;
  beforeAll(async () => {
    server = await startMonitoringServer();
    tracker = server.gateway.services.monitoring.tracker;
  });
  afterAll(() => server.dispose());

  it('records GET /health under its route, without the query string', async () => {
    const recorded = nextRecords(tracker, 1);
    await fetch(`${server.origin}/health?verbose=1&probe=abc`);
    const [tracked] = await recorded;
    expect(tracked).toMatchObject({ key: 'GET /health', status: 200, error: false });
    expect(tracker.stats().some((s) => s.key.includes('?'))).toBe(false);
  });

  it('puts every unmatched path under one key', async () => {
    const recorded = nextRecords(tracker, 2);
    await fetch(`${server.origin}/no/such/123`, { method: 'POST' });
    await fetch(`${server.origin}/no/such/456?x=1`, { method: 'POST' });
    const calls = await recorded;
    expect(calls.map((c) => [c.key, c.status])).toEqual([
      ['POST (unmatched)', 404],
      ['POST (unmatched)', 404],
    ]);
  });

  it('leaves CORS preflights out', async () => {
    const recorded = nextRecords(tracker, 1);
    await fetch(`${server.origin}/graphql`, { method: 'OPTIONS' });
    await fetch(`${server.origin}/health`);
    const [tracked] = await recorded;
    expect(tracked.key).toBe('GET /health');
  });

  it('records a named GraphQL operation over HTTP by its type and name', async () => {
    const recorded = nextRecords(tracker, 1);
    await server.gql('query MonitoringProbe { health { status } }');
    const [tracked] = await recorded;
    expect(tracked).toMatchObject({ key: 'graphql query MonitoringProbe', status: 200, error: false });
  });

  it('answers each key’s recent response times through apiMetrics, the ones the percentiles read', async () => {
    const recorded = nextRecords(tracker, 3);
    for (let i = 0; i < 3; i++) await server.gql('query RecentTimesProbe { health { status } }');
    const calls = await recorded;
    const answer = await server.gql('{ apiMetrics { key p50TimeMs recentTimesMs } }');
    const probe = (answer.data as { apiMetrics: { key: string; p50TimeMs: number; recentTimesMs: number[] }[] }).apiMetrics.find(
      (row) => row.key === 'graphql query RecentTimesProbe',
    )!;
    expect(probe.recentTimesMs).toEqual(calls.map((c) => c.durationMs));
    expect(probe.p50TimeMs).toBe(percentile([...probe.recentTimesMs].sort((a, b) => a - b), 0.5));
  });

  it('puts anonymous operations under one key', async () => {
    const recorded = nextRecords(tracker, 2);
    await server.gql('{ health { status } }');
    await server.gql('query { health { version } }');
    const calls = await recorded;
    expect(calls.map((c) => c.key)).toEqual(['graphql query (anonymous)', 'graphql query (anonymous)']);
  });

  it('counts an operation that answers with errors as an error', async () => {
    const recorded = nextRecords(tracker, 2);
    await server.gql('query NeedsKey { apiMetrics { key } }', {}, null);
    await server.gql('query Misspelt { healthh { status } }');
    const calls = await recorded;
    expect(calls.map((c) => [c.key, c.error])).toEqual([
      ['graphql query NeedsKey', true],
      ['graphql query Misspelt', true],
    ]);
    expect(calls[1].status).toBe(400);
  });

  it('does not count NOT_CONFIGURED alone as an error: the dashboard asks it to show "add a key"', async () => {
    const recorded = nextRecords(tracker, 3);
    const answer = await server.gql('query Credits { openRouterCredits { remaining } }');
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_CONFIGURED']);
    const { key: memberKey } = await server.workspaceWithKey('member asking for credits and admin metrics');
    const mixed = await server.gql('query CreditsAndAdminOnly { openRouterCredits { remaining } apiMetrics { key } }', {}, memberKey);
    expect(mixed.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    const client = server.ws(server.adminKey);
    await new Promise<void>((resolve) =>
      client.subscribe({ query: 'query CreditsOverSocket { openRouterCredits { remaining } }' }, { next: () => undefined, error: () => resolve(), complete: resolve }),
    );
    const calls = await recorded;
    expect(calls.map((c) => [c.key, c.error])).toEqual([
      ['graphql query Credits', false],
      ['graphql query CreditsAndAdminOnly', true],
      ['graphql query CreditsOverSocket', false],
    ]);
  });

  it('records a document that does not parse under one key', async () => {
    const recorded = nextRecords(tracker, 1);
    await server.gql('query Broken {');
    const [tracked] = await recorded;
    expect(tracked).toMatchObject({ key: INVALID_GRAPHQL_KEY, error: true });
  });

  it('records a query over WebSocket when it completes', async () => {
    const client = server.ws(server.adminKey);
    const recorded = nextRecords(tracker, 1);
    await new Promise<void>((resolve, reject) =>
      client.subscribe({ query: 'query OverSocket { health { status } }' }, { next: () => undefined, error: reject, complete: resolve }),
    );
    const [tracked] = await recorded;
    expect(tracked).toMatchObject({ key: 'graphql query OverSocket', status: 200, error: false });
  });

  it('records a subscription over WebSocket once it is set up, and counts it as open', async () => {
    const client = server.ws(server.adminKey);
    const recorded = nextRecords(tracker, 1);
    const stop = client.subscribe({ query: 'subscription WatchAlerts { alertRaised { id } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    const [tracked] = await recorded;
    expect(tracked).toMatchObject({ key: 'graphql subscription WatchAlerts', error: false });
    await countReaches(server.gateway.services.pubsub.subscribers, 'ALERT_RAISED');
    const metrics = await server.gateway.services.monitoring.prometheus.render();
    expect(metrics).toMatch(/^tally_graphql_subscriptions [1-9]/m);
    stop();
  });

  it('counts a subscription refused at setup as an error', async () => {
    const { key } = await server.workspaceWithKey('member of tracker test');
    const client = server.ws(key);
    const recorded = nextRecords(tracker, 1);
    client.subscribe({ query: 'subscription AdminOnly { apiMetricsUpdated { at } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    const [tracked] = await recorded;
    expect(tracked).toMatchObject({ key: 'graphql subscription AdminOnly', error: true });
  });
});

describe('a failing tracker', () => {
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer();
  });
  afterAll(() => server.dispose());

  it('is logged and leaves HTTP and WebSocket answers as they were', async () => {
    const { tracker } = server.gateway.services.monitoring;
    const logger = server.gateway.services.logger;
    jest.spyOn(tracker, 'record').mockImplementation(() => {
      throw new Error('tracker exploded');
    });
    let failures = 0;
    const threeFailures = new Promise<void>((resolve) => {
      jest.spyOn(logger, 'error').mockImplementation(((...args: unknown[]) => {
        if (String(args[1]).startsWith('API tracking failed') && ++failures === 3) resolve();
      }) as never);
    });

    const health = await fetch(`${server.origin}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toMatch(/^(OK|DEGRADED)$/);
    const answer = await server.gql('query StillWorks { health { version } }');
    expect(answer.status).toBe(200);
    expect(answer.data!.health.version).toBe(server.gateway.services.version);
    const client = server.ws(server.adminKey);
    const overSocket = await new Promise<unknown>((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: '{ health { version } }' }, { next: (v) => (value = v.data), error: reject, complete: () => resolve(value) });
    });
    expect(overSocket).toEqual({ health: { version: server.gateway.services.version } });
    await threeFailures;
    expect(failures).toBe(3);
  });
});
