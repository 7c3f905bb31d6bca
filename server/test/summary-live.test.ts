import { call, TRACK_ONE } from './fixtures/calls';
import { collect, startTestServer, type TestServer } from './support/server';
import { countReaches, metricTotal } from './support/live-counts';

const SUBSCRIPTION = `subscription { llmSummaryUpdated(period: LAST_24H) { period totalRequests totalCost } }`;
type Event = { llmSummaryUpdated: { period: string; totalRequests: number; totalCost: number } };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

/** Collects events until one satisfies `done`. */
function until(client: ReturnType<TestServer['wsClient']>, done: (e: Event) => boolean): Promise<Event[]> {
  const events: Event[] = [];
  return new Promise((resolve, reject) => {
    const stop = client.subscribe<Event>({ query: SUBSCRIPTION }, {
      next: (value) => {
        events.push(value.data as Event);
        if (done(value.data as Event)) {
          stop();
          resolve(events);
        }
      },
      error: reject,
      complete: () => resolve(events),
    });
  });
}

describe('llmSummaryUpdated', () => {
  it('pushes the summary of the subscriber’s own scope when its calls land', async () => {
    const { key } = await server.workspaceWithKey('live-own');
    const client = server.wsClient({ authorization: `Bearer ${key}` });
    const events = collect<Event>(client, SUBSCRIPTION, {}, 1);
    await waitForAudience(1);
    await server.gql(TRACK_ONE, { input: call({ inputTokens: 100_000, outputTokens: 10_000 }) }, { key });
    const [event] = await events;
    expect(event.llmSummaryUpdated.period).toBe('LAST_24H');
    expect(event.llmSummaryUpdated.totalRequests).toBe(1);
    expect(event.llmSummaryUpdated.totalCost).toBeCloseTo(0.35, 10);
  });

  it('is not woken by calls in another workspace', async () => {
    const quiet = await server.workspaceWithKey('live-quiet');
    const busy = await server.workspaceWithKey('live-busy');
    const client = server.wsClient({ authorization: `Bearer ${quiet.key}` });
    const events = collect<Event>(client, SUBSCRIPTION, {}, 1);
    await waitForAudience(1);
    await server.gql(TRACK_ONE, { input: call() }, { key: busy.key });
    await server.gql(TRACK_ONE, { input: call() }, { key: quiet.key });
    // Had the busy workspace's call woken this scope, the first push would show 0 requests.
    const [event] = await events;
    expect(event.llmSummaryUpdated.totalRequests).toBe(1);
  });

  it('computes a scope’s summary once for all its subscribers, at most once a second', async () => {
    const { key } = await server.workspaceWithKey('live-many');
    const clients = Array.from({ length: 20 }, () => server.wsClient({ authorization: `Bearer ${key}` }));
    const finals = clients.map((client) => until(client, (e) => e.llmSummaryUpdated.totalRequests === 30));
    await waitForAudience(20);
    const computedBefore = await computations();
    const started = Date.now();
    for (let i = 0; i < 30; i++) await server.gql(TRACK_ONE, { input: call() }, { key });
    const received = await Promise.all(finals);
    const elapsed = Date.now() - started;
    for (const events of received) expect(events[events.length - 1].llmSummaryUpdated.totalRequests).toBe(30);
    const computed = (await computations()) - computedBefore;
    expect(computed).toBeGreaterThanOrEqual(1);
    expect(computed).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
  });

  it('closes a socket whose key is wrong', async () => {
    const closed = new Promise<number>((resolve) => server.wsClient({ authorization: 'Bearer nope' }, (e) => resolve(e.code)));
    expect(await closed).toBe(4403);
  });
});

/** Summaries this gateway has computed for live pushes, as its /metrics reports them. */
function computations(): Promise<number> {
  return metricTotal(server.gateway.services.monitoring.prometheus.registry, 'tally_live_summary_computations_total');
}

/** Subscriptions are registered asynchronously after the subscribe message. */
function waitForAudience(count: number): Promise<void> {
  return countReaches(server.gateway.services.subscriptions.live, 'llmSummaryUpdated', count);
}
