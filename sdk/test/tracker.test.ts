import { createTracker, type TrackFailure, type Tracker, type TrackerOptions } from '../src';
import { acceptAll, sampleCall, startStubGateway, type StubAnswer, type StubGateway, type StubRequest } from './stub-gateway';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NEVER = 3_600_000;

let stub: StubGateway | undefined;
let tracker: Tracker | undefined;
afterEach(async () => {
  await tracker?.shutdown({ timeoutMs: 0 });
  await stub?.close();
  tracker = undefined;
  stub = undefined;
});

async function setUp(answer: (request: StubRequest, index: number) => StubAnswer, options: Partial<TrackerOptions> = {}) {
  stub = await startStubGateway(answer);
  const failures: TrackFailure[] = [];
  tracker = createTracker({
    url: stub.url,
    apiKey: 'tly_test_key',
    flushIntervalMs: NEVER,
    retryBaseDelayMs: 1,
    onError: (failure) => failures.push(failure),
    ...options,
  });
  return { stub, tracker, failures };
}

const unavailable: StubAnswer = { body: { errors: [{ message: 'The database is unavailable; retry later', extensions: { code: 'UNAVAILABLE' } }] } };
const rateLimited: StubAnswer = { body: { errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] } };

describe('track', () => {
  it('returns before any request is made and queues the call', async () => {
    const { stub, tracker } = await setUp(acceptAll);
    const returned = tracker.track(sampleCall());
    expect(returned).toBeUndefined();
    expect(stub.requests).toHaveLength(0);
    expect(tracker.stats().queued).toBe(1);
  });

  it('gives each call a time-ordered UUIDv7 event id and the time it was tracked, and sends the key', async () => {
    const { stub, tracker } = await setUp(acceptAll);
    const before = new Date().toISOString();
    for (let i = 0; i < 50; i++) tracker.track(sampleCall({ inputTokens: i }));
    await tracker.flush();
    const [request] = stub.requests;
    expect(request.authorization).toBe('Bearer tly_test_key');
    const ids = request.inputs.map((c) => c.eventId);
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    expect(request.inputs.map((c) => c.inputTokens)).toEqual([...Array(50).keys()]);
    expect(request.inputs.every((c) => c.occurredAt >= before && c.occurredAt <= new Date().toISOString())).toBe(true);
  });

  it('keeps the event id and time the application gave', async () => {
    const { stub, tracker } = await setUp(acceptAll);
    tracker.track(sampleCall({ eventId: 'app-chosen-id', occurredAt: new Date('2026-01-02T03:04:05.000Z') }));
    await tracker.flush();
    expect(stub.requests[0].inputs[0]).toMatchObject({ eventId: 'app-chosen-id', occurredAt: '2026-01-02T03:04:05.000Z' });
  });

  it('never throws: a call that cannot be sent as JSON goes to onError alone and the others are sent', async () => {
    const { stub, tracker, failures } = await setUp(acceptAll);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => tracker.track(sampleCall({ metadata: circular }))).not.toThrow();
    expect(() => tracker.track(null as never)).not.toThrow();
    tracker.track(sampleCall());
    await tracker.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ index: -1 });
    expect(failures[0].reason).toMatch(/^the call cannot be sent as JSON: .*circular/i);
    expect(stub.requests[0].inputs).toHaveLength(2);
  });
});

describe('batching', () => {
  it('sends a full batch at once, without waiting for the flush interval', async () => {
    const { stub, tracker } = await setUp(acceptAll, { batchSize: 100 });
    for (let i = 0; i < 250; i++) tracker.track(sampleCall());
    await stub.received(2);
    expect(stub.requests.map((r) => r.inputs.length)).toEqual([100, 100]);
    await tracker.flush();
    expect(stub.requests.map((r) => r.inputs.length)).toEqual([100, 100, 50]);
    expect(tracker.stats()).toMatchObject({ queued: 0, accepted: 250 });
  });

  it('sends a partial batch once the flush interval has passed', async () => {
    const { stub, tracker } = await setUp(acceptAll, { flushIntervalMs: 20 });
    for (let i = 0; i < 5; i++) tracker.track(sampleCall());
    await stub.received(1);
    expect(stub.requests[0].inputs).toHaveLength(5);
  });
});

describe('retries', () => {
  it.each<[string, StubAnswer]>([
    ['a dropped connection', 'drop'],
    ['HTTP 503', { status: 503, body: { errors: [{ message: 'Service Unavailable' }] } }],
    ['HTTP 500 from a failed request context', { status: 500, body: { errors: [{ message: 'Context creation failed' }] } }],
    ['UNAVAILABLE', unavailable],
    ['RATE_LIMITED', rateLimited],
    ['INTERNAL_SERVER_ERROR with HTTP 200', { body: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }],
    ['a code the tracker does not know', { body: { errors: [{ message: 'Try elsewhere', extensions: { code: 'SOMETHING_NEW' } }] } }],
    ['an answer with no code', { status: 502, body: { errors: [{ message: 'Bad gateway' }] } }],
    ['an answer that is not JSON', { status: 200, body: '<html>proxy error</html>' }],
  ])('sends the same batch again after %s until the gateway stores it', async (_name, failure) => {
    const { stub, tracker, failures } = await setUp((request, index) => (index < 2 ? failure : acceptAll(request)));
    for (let i = 0; i < 3; i++) tracker.track(sampleCall());
    await tracker.flush();
    expect(stub.requests).toHaveLength(3);
    const ids = stub.requests.map((r) => r.inputs.map((c) => c.eventId));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    expect(tracker.stats()).toMatchObject({ accepted: 3, retries: 2, failed: 0, dropped: 0 });
    expect(failures).toEqual([]);
  });

  // A lower bound only: a busy machine makes the wait longer, never shorter.
  it.each<[string, StubAnswer, number]>([
    ['extensions.retryAfterMs', { body: { errors: [{ message: 'Too many calls', extensions: { code: 'RATE_LIMITED', retryAfterMs: 400 } }] } }, 400],
    ['the Retry-After header', { status: 429, headers: { 'retry-after': '1' }, body: { errors: [{ message: 'Too many calls', extensions: { code: 'RATE_LIMITED' } }] } }, 1000],
  ])('waits as long as RATE_LIMITED asks in %s before sending again, whatever its own backoff', async (_name, refusal, askedMs) => {
    const { stub, tracker } = await setUp((request, index) => (index === 0 ? refusal : acceptAll(request)), { retryBaseDelayMs: 1, retryMaxDelayMs: 1 });
    tracker.track(sampleCall());
    await tracker.flush();
    expect(stub.requests).toHaveLength(2);
    expect(stub.requests[1].at - stub.requests[0].at).toBeGreaterThanOrEqual(askedMs - 1);
    expect(tracker.stats()).toMatchObject({ accepted: 1, retries: 1, failed: 0, dropped: 0 });
  });

  it('counts calls the gateway already had as duplicates, not failures', async () => {
    const { tracker } = await setUp((request) => ({
      body: { data: { trackLlmCalls: { accepted: 1, duplicates: request.inputs.length - 1, rejected: [] } } },
    }));
    for (let i = 0; i < 4; i++) tracker.track(sampleCall());
    await tracker.flush();
    expect(tracker.stats()).toMatchObject({ accepted: 1, duplicates: 3, failed: 0 });
  });

  it('gives up only on the calls the gateway rejects, telling onError their index and reason', async () => {
    const reason = 'inputTokens must be a whole number of at least 0, but got -5';
    const { tracker, failures } = await setUp(() => ({
      body: { data: { trackLlmCalls: { accepted: 2, duplicates: 0, rejected: [{ index: 1, message: reason }] } } },
    }));
    tracker.track(sampleCall());
    tracker.track(sampleCall({ inputTokens: -5 }));
    tracker.track(sampleCall());
    await tracker.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ index: 1, reason, call: { inputTokens: -5 } });
    expect(tracker.stats()).toMatchObject({ accepted: 2, failed: 1, retries: 0 });
  });

  it.each(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'QUERY_TOO_COMPLEX'])(
    'reports every call of a request the gateway refuses with %s and does not send it again',
    async (code) => {
      const { stub, tracker, failures } = await setUp(() => ({ status: 400, body: { errors: [{ message: `Refused: ${code}`, extensions: { code } }] } }));
      tracker.track(sampleCall());
      tracker.track(sampleCall());
      await tracker.flush();
      expect(stub.requests).toHaveLength(1);
      expect(failures.map((f) => [f.index, f.code, f.reason])).toEqual([
        [0, code, `Refused: ${code}`],
        [1, code, `Refused: ${code}`],
      ]);
      expect(tracker.stats()).toMatchObject({ failed: 2, retries: 0 });
    },
  );
});

describe('bounds', () => {
  it('holds at most maxQueueSize calls, in flight included, and counts the ones it drops', async () => {
    const { stub, tracker } = await setUp(() => 'hang', { maxQueueSize: 10, batchSize: 4 });
    for (let i = 0; i < 15; i++) tracker.track(sampleCall());
    await stub.received(1);
    expect(tracker.stats()).toMatchObject({ queued: 10, dropped: 5 });
  });

  it('sends everything queued before shutdown resolves', async () => {
    const { stub, tracker } = await setUp(acceptAll);
    for (let i = 0; i < 150; i++) tracker.track(sampleCall());
    await expect(tracker.shutdown()).resolves.toEqual({ unsent: 0 });
    expect(stub.requests.map((r) => r.inputs.length)).toEqual([100, 50]);
    expect(tracker.stats()).toMatchObject({ queued: 0, accepted: 150, dropped: 0 });
  });

  it('stops waiting for an unreachable gateway when the shutdown timeout ends, and counts what it left unsent', async () => {
    const { stub, tracker } = await setUp(() => unavailable);
    for (let i = 0; i < 3; i++) tracker.track(sampleCall());
    await expect(tracker.shutdown({ timeoutMs: 50 })).resolves.toEqual({ unsent: 3 });
    expect(stub.requests.length).toBeGreaterThan(0);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 3, accepted: 0 });
  });

  it('drops calls tracked after shutdown', async () => {
    const { stub, tracker } = await setUp(acceptAll);
    await tracker.shutdown();
    tracker.track(sampleCall());
    await tracker.flush();
    expect(stub.requests).toHaveLength(0);
    expect(tracker.stats().dropped).toBe(1);
  });
});
