import { createApiKey, hashKey } from '../src/auth/auth.service';
import { MAIN_WORKSPACE_ID } from '../src/bootstrap';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { events } from './support/events';
import { startTestServer, type TestServer } from './support/server';
import { openSocket, type OperationAnswer, type TestSocket } from './support/sockets';
import { countReaches } from './support/live-counts';

// Every limit at its boundary, over HTTP and WebSocket. The window is stretched to an hour, so
// a window never ends between two requests of one test: "3 a second" reads "3 per 3600 seconds".
const WINDOW_SECONDS = 3600;
const METRICS_TOKEN = 'metrics-token-of-the-limits-test';
const LIMITS = {
  LIMIT_REQUESTS_PER_SECOND: '3',
  LIMIT_REQUEST_BURST: '5',
  LIMIT_ADMIN_REQUESTS_PER_SECOND: '20',
  LIMIT_ADMIN_REQUEST_BURST: '20',
  LIMIT_SUBSCRIPTIONS_PER_SOCKET: '2',
  LIMIT_ADMIN_SUBSCRIPTIONS_PER_SOCKET: '4',
  LIMIT_SOCKETS_PER_KEY: '2',
  LIMIT_ADMIN_SOCKETS_PER_KEY: '4',
  LIMIT_INGEST_CALLS_PER_SECOND: '10',
  METRICS_TOKEN,
};
const REQUESTS_PER_KEY = 5; // the burst: 3 in the window, 2 more from the burst allowance
const ADMIN_REQUESTS_PER_KEY = 20;

const PROBE = 'query Probe { __typename }';
const CALLS_TRACKED = 'subscription { llmCallTracked { modelId } }';

let server: TestServer;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  server = await startTestServer({ env: LIMITS, limitWindowSeconds: WINDOW_SECONDS });
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.dispose()));
  await liveFeeds(server, (live) => live === 0);
});
afterAll(() => server.dispose());

/** Resolves once the gateway's live `llmCallTracked` subscriptions satisfy `condition`. */
function liveFeeds(on: TestServer, condition: (live: number) => boolean): Promise<void> {
  return countReaches(on.gateway.services.subscriptions.live, 'llmCallTracked', condition);
}

function socket(key: string): TestSocket {
  const opened = openSocket(server.wsUrl, key);
  sockets.push(opened);
  return opened;
}

async function memberKey(name: string): Promise<{ workspaceId: string; key: string }> {
  return server.workspaceWithKey(`${name} ${Math.random().toString(36).slice(2, 8)}`);
}

interface HttpAnswer extends OperationAnswer {
  status: number;
  retryAfter: string | null;
}

async function overHttp(key: string, query: string, variables: Record<string, unknown> = {}): Promise<HttpAnswer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as OperationAnswer;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...body };
}

/** The error a refused request carries, checked for its code and its wait; the message is returned for the test to read. */
function refusal(answer: OperationAnswer): string {
  expect(answer.errors).toHaveLength(1);
  const [error] = answer.errors!;
  expect(error.extensions?.code).toBe('RATE_LIMITED');
  expect(error.extensions?.retryAfterMs).toEqual(expect.any(Number));
  expect(error.extensions!.retryAfterMs as number).toBeGreaterThan(0);
  expect(error.extensions!.retryAfterMs as number).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);
  return error.message;
}

/** A 429 with a Retry-After in whole seconds that covers the wait the body gives. */
function expectHttpRefusal(answer: HttpAnswer): string {
  const message = refusal(answer);
  expect(answer.status).toBe(429);
  expect(answer.retryAfter).toMatch(/^\d+$/);
  expect(Number(answer.retryAfter) * 1000).toBeGreaterThanOrEqual(answer.errors![0].extensions!.retryAfterMs as number);
  return message;
}

async function storedFor(workspaceId: string): Promise<number> {
  const [row] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
  return row.n;
}

const REQUEST_MESSAGE = /^Too many requests: an API key may make 3 requests per 3600 seconds, with bursts of 5; retry after \d+ ms$/;

describe('requests per key', () => {
  it('serves a key its burst over HTTP, then answers 429 with Retry-After and retryAfterMs, while another key is served', async () => {
    const { key } = await memberKey('Requests HTTP');
    const other = await memberKey('Requests HTTP other');
    for (let i = 0; i < REQUESTS_PER_KEY; i++) expect(await overHttp(key, PROBE)).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    const refused = await overHttp(key, PROBE);
    expect(expectHttpRefusal(refused)).toMatch(REQUEST_MESSAGE);
    expect(refused.data ?? null).toBeNull();
    expect(await overHttp(other.key, PROBE)).toMatchObject({ status: 200, data: { __typename: 'Query' } });
  });

  it('counts a key once over both transports: the request past the burst is refused over WebSocket too, and the socket stays open', async () => {
    const { key } = await memberKey('Requests both');
    const other = await memberKey('Requests both other');
    const ws = socket(key);
    await ws.connected;
    for (let i = 0; i < 3; i++) expect((await overHttp(key, PROBE)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect(await ws.run(PROBE)).toEqual({ data: { __typename: 'Query' } });
    expect(refusal(await ws.run(PROBE))).toMatch(REQUEST_MESSAGE);
    expectHttpRefusal(await overHttp(key, PROBE));

    // The socket is still open: subscriptions are not requests, so one still starts and hears a call.
    const next = events<{ llmCallTracked: { modelId: string } }>(ws.client, CALLS_TRACKED);
    await liveFeeds(server, (live) => live === 1);
    expect((await overHttp(key, TRACK_ONE, { input: call({ modelId: 'heard-after-refusal' }) })).status).toBe(200);
    expect(await next()).toEqual({ llmCallTracked: { modelId: 'heard-after-refusal' } });

    const otherSocket = socket(other.key);
    await otherSocket.connected;
    expect(await otherSocket.run(PROBE)).toEqual({ data: { __typename: 'Query' } });
  });

  it('gives admin keys their own, higher tier', async () => {
    const adminKey = await createApiKey(server.db.platform, MAIN_WORKSPACE_ID, 'ADMIN', 'limits test admin');
    for (let i = 0; i < ADMIN_REQUESTS_PER_KEY; i++) expect((await overHttp(adminKey, PROBE)).status).toBe(200);
    expect(expectHttpRefusal(await overHttp(adminKey, PROBE))).toMatch(/^Too many requests: an admin key may make 20 requests per 3600 seconds; retry after \d+ ms$/);
  });

  it('counts CSV exports as requests: 429 with Retry-After past the burst', async () => {
    const { key } = await memberKey('Export');
    const exportCsv = () => fetch(server.url.replace('/graphql', '/api/export/llm-calls.csv?period=LAST_24H'), { headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < REQUESTS_PER_KEY; i++) {
      const response = await exportCsv();
      expect(response.status).toBe(200);
      await response.text();
    }
    const refused = await exportCsv();
    expectHttpRefusal({ status: refused.status, retryAfter: refused.headers.get('retry-after'), ...((await refused.json()) as OperationAnswer) });
  });

  it('counts METRICS_TOKEN scrapes in a bucket of their own at the admin tier', async () => {
    const scrape = (token: string) => fetch(server.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < ADMIN_REQUESTS_PER_KEY; i++) {
      const response = await scrape(METRICS_TOKEN);
      expect(response.status).toBe(200);
      await response.text();
    }
    const refused = await scrape(METRICS_TOKEN);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.text()).toMatch(/^Too many requests: METRICS_TOKEN may make 20 requests per 3600 seconds; retry after \d+ ms\n$/);
    const adminScrape = await scrape(server.adminKey);
    expect(adminScrape.status).toBe(200);
    await adminScrape.text();
  });
});

describe('calls per workspace', () => {
  const INGEST_MESSAGE = /^Too many calls: a workspace may send 10 calls per 3600 seconds, and this one has sent that many; retry after \d+ ms$/;

  it('takes a workspace its calls over HTTP, then refuses the rest with 429, stores none of them, and serves another workspace', async () => {
    const { workspaceId, key } = await memberKey('Ingest HTTP');
    const other = await memberKey('Ingest HTTP other');
    const batch = await overHttp(key, TRACK_MANY, { inputs: Array.from({ length: 10 }, () => call()) });
    expect(batch).toMatchObject({ status: 200, data: { trackLlmCalls: { accepted: 10, duplicates: 0, rejected: [] } } });
    expect(expectHttpRefusal(await overHttp(key, TRACK_ONE, { input: call() }))).toMatch(INGEST_MESSAGE);
    expectHttpRefusal(await overHttp(key, TRACK_MANY, { inputs: [call()] }));
    expect(await storedFor(workspaceId)).toBe(10);

    expect((await overHttp(other.key, TRACK_ONE, { input: call() })).status).toBe(200);
    expect(await storedFor(other.workspaceId)).toBe(1);
    // Ingest is not a request: the key still has its whole burst of queries.
    for (let i = 0; i < REQUESTS_PER_KEY; i++) expect((await overHttp(key, PROBE)).status).toBe(200);
  });

  it('refuses calls past the rate over WebSocket with retryAfterMs', async () => {
    const { workspaceId, key } = await memberKey('Ingest WS');
    const ws = socket(key);
    const accepted = await ws.run(TRACK_MANY, { inputs: Array.from({ length: 10 }, () => call()) });
    expect(accepted).toEqual({ data: { trackLlmCalls: { accepted: 10, duplicates: 0, rejected: [] } } });
    expect(refusal(await ws.run(TRACK_ONE, { input: call() }))).toMatch(INGEST_MESSAGE);
    expect(await storedFor(workspaceId)).toBe(10);
  });

  it('takes a batch larger than a whole window as that whole window, rather than never', async () => {
    const { workspaceId, key } = await memberKey('Ingest big batch');
    const batch = await overHttp(key, TRACK_MANY, { inputs: Array.from({ length: 25 }, () => call()) });
    expect(batch).toMatchObject({ status: 200, data: { trackLlmCalls: { accepted: 25 } } });
    expectHttpRefusal(await overHttp(key, TRACK_ONE, { input: call() }));
    expect(await storedFor(workspaceId)).toBe(25);
  });
});

describe('subscriptions per socket', () => {
  it('answers the subscription past the limit with an error for its id alone; the socket and its subscriptions go on', async () => {
    const { key } = await memberKey('Subscriptions');
    const ws = socket(key);
    const first = events<{ llmCallTracked: { modelId: string } }>(ws.client, CALLS_TRACKED);
    const second = events<{ llmCallTracked: { modelId: string } }>(ws.client, CALLS_TRACKED);
    const third = await ws.run(CALLS_TRACKED);
    expect(third.errors).toEqual([
      {
        message: 'A socket may hold 2 subscriptions at once, and this one holds 2: complete one, or open another socket',
        extensions: { code: 'RATE_LIMITED' },
      },
    ]);
    expect(await ws.run(PROBE)).toEqual({ data: { __typename: 'Query' } });
    await liveFeeds(server, (live) => live === 2);
    expect((await overHttp(key, TRACK_ONE, { input: call({ modelId: 'heard-by-both' }) })).status).toBe(200);
    expect(await first()).toEqual({ llmCallTracked: { modelId: 'heard-by-both' } });
    expect(await second()).toEqual({ llmCallTracked: { modelId: 'heard-by-both' } });
  });

  it('frees a place when a subscription completes', async () => {
    const { key } = await memberKey('Subscriptions freed');
    const ws = socket(key);
    const stopFirst = ws.client.subscribe({ query: CALLS_TRACKED }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    events(ws.client, CALLS_TRACKED);
    expect((await ws.run(CALLS_TRACKED)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    await liveFeeds(server, (live) => live === 2);
    stopFirst();
    await liveFeeds(server, (live) => live === 1);
    const third = events<{ llmCallTracked: { modelId: string } }>(ws.client, CALLS_TRACKED);
    await liveFeeds(server, (live) => live === 2);
    expect((await overHttp(key, TRACK_ONE, { input: call({ modelId: 'heard-by-the-third' }) })).status).toBe(200);
    expect(await third()).toEqual({ llmCallTracked: { modelId: 'heard-by-the-third' } });
  });
});

describe('sockets per key', () => {
  it('closes the socket past the limit with 4429 and a reason, and opens another key’s', async () => {
    const { key } = await memberKey('Sockets');
    const other = await memberKey('Sockets other');
    const [a, b] = [socket(key), socket(key)];
    await Promise.all([a.connected, b.connected]);
    const refused = socket(key);
    await expect(refused.connected).rejects.toThrow();
    expect(await refused.closed).toEqual({ code: 4429, reason: 'Too many sockets: an API key may hold 2 open at once' });
    expect(await a.run(PROBE)).toEqual({ data: { __typename: 'Query' } });
    const otherSocket = socket(other.key);
    await otherSocket.connected;
  });

  it('gives the place back when a socket closes', async () => {
    const { key } = await memberKey('Sockets freed');
    const [a, b] = [socket(key), socket(key)];
    await Promise.all([a.connected, b.connected]);
    await a.dispose();
    // The gateway learns of the close a moment after the client does: try until it has.
    for (let attempt = 1; ; attempt++) {
      const again = socket(key);
      try {
        await again.connected;
        break;
      } catch (error) {
        expect((await again.closed).code).toBe(4429);
        if (attempt === 50) throw error;
      }
    }
  });

  it('gives admin keys their own, higher tier', async () => {
    const adminKey = await createApiKey(server.db.platform, MAIN_WORKSPACE_ID, 'ADMIN', 'limits test admin sockets');
    const opened = [socket(adminKey), socket(adminKey), socket(adminKey), socket(adminKey)];
    await Promise.all(opened.map((s) => s.connected));
    expect(await socket(adminKey).closed).toEqual({ code: 4429, reason: 'Too many sockets: an admin key may hold 4 open at once' });
  });
});

describe('monitoring', () => {
  it('counts refusals per tracker key in API performance and /metrics, and per API key in /metrics', async () => {
    const { key } = await memberKey('Monitoring');
    const [{ id: keyId }] = await server.db.platform.query(`SELECT id FROM api_keys WHERE key_hash = $1`, [hashKey(key)]);
    for (let i = 0; i <= REQUESTS_PER_KEY; i++) await overHttp(key, 'query LimitedProbe { __typename }');
    const ws = socket(key);
    expect(refusal(await ws.run('query LimitedProbe { __typename }'))).toMatch(REQUEST_MESSAGE);

    const api = await server.gql('{ apiMetrics { key callCount errorCount limitedCount statusCodes { code count } } }');
    const probe = api.data!.apiMetrics.find((e: { key: string }) => e.key === 'graphql query LimitedProbe');
    expect(probe).toEqual({
      key: 'graphql query LimitedProbe',
      callCount: REQUESTS_PER_KEY + 2,
      errorCount: 2,
      limitedCount: 2,
      statusCodes: [
        { code: 200, count: REQUESTS_PER_KEY },
        { code: 429, count: 2 },
      ],
    });

    const metrics = await (await fetch(server.url.replace('/graphql', '/metrics'), { headers: { authorization: `Bearer ${server.adminKey}` } })).text();
    expect(metrics).toContain('tally_api_rate_limited_total{key="graphql query LimitedProbe"} 2');
    expect(metrics).toContain(`tally_rate_limited_total{limit="requests",api_key="${keyId}"} 2`);
  });
});

describe('limits off with 0', () => {
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({
      env: {
        LIMIT_REQUESTS_PER_SECOND: '0',
        LIMIT_SUBSCRIPTIONS_PER_SOCKET: '0',
        LIMIT_SOCKETS_PER_KEY: '0',
        LIMIT_INGEST_CALLS_PER_SECOND: '0',
      },
      limitWindowSeconds: WINDOW_SECONDS,
    });
  });
  afterAll(() => open.dispose());

  it('serves more than every default allows: 120 requests, 110 subscriptions on one socket, 55 sockets and 6,000 calls in one window', async () => {
    const { workspaceId, key } = await open.workspaceWithKey('Unlimited');
    for (let round = 0; round < 12; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => open.gql(PROBE, {}, { key })));
      expect(answers.every((a) => a.status === 200 && !a.errors)).toBe(true);
    }
    for (let batch = 0; batch < 6; batch++) {
      const answer = await open.gql(TRACK_MANY, { inputs: Array.from({ length: 1000 }, () => call()) }, { key });
      expect(answer.data?.trackLlmCalls.accepted).toBe(1000);
    }
    const [row] = await open.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
    expect(row.n).toBe(6000);

    const many = Array.from({ length: 55 }, () => openSocket(open.wsUrl, key));
    sockets.push(...many);
    await Promise.all(many.map((s) => s.connected));
    const listeners = Array.from({ length: 110 }, () => events<{ llmCallTracked: { modelId: string } }>(many[0].client, CALLS_TRACKED));
    await liveFeeds(open, (live) => live === 110);
    expect((await open.gql(TRACK_ONE, { input: call({ modelId: 'heard-by-110' }) }, { key })).status).toBe(200);
    for (const next of listeners) expect(await next()).toEqual({ llmCallTracked: { modelId: 'heard-by-110' } });
  });
});
