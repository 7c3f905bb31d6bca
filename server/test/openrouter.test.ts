import { startStandIn, type SeenRequest, type StandIn, type StandInAnswer } from './support/stand-in';
import { startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

/** The gateway's clock; the activity below is of the two days before. */
const NOW = new Date('2025-06-15T12:00:00.000Z');
const TIMEOUT_MS = 300;

const CREDITS = `{ openRouterCredits { totalCredits totalUsage remaining usedFraction } }`;
const KEY_INFO = `{ openRouterKeyInfo { label limit limitRemaining usage usageDaily usageWeekly usageMonthly isFreeTier rateLimit { requests interval } } }`;
const SYNC = `mutation { syncOpenRouterActivity { fetchedRows inserted skippedDuplicates } }`;
const SET_KEY = `mutation S($provider: String!, $key: String!) { setProviderKey(provider: $provider, key: $key) { provider last4 } }`;

const creditsBody = { data: { total_credits: 50, total_usage: 12.5 } };
const keyBody = {
  data: {
    label: 'sk-or-v1-abc...xyz',
    limit: 100,
    limit_remaining: 87.5,
    usage: 12.5,
    usage_daily: 0.75,
    usage_weekly: 4.25,
    usage_monthly: 12.5,
    is_free_tier: false,
    rate_limit: { requests: 200, interval: '10s' },
  },
};

function activityRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    date: '2025-06-14',
    model: 'openai/gpt-4o',
    model_permaslug: 'openai/gpt-4o-2024-08-06',
    endpoint_id: 'ep-openai-1',
    provider_name: 'OpenAI',
    usage: 0.42,
    byok_usage_inference: 0,
    requests: 12,
    prompt_tokens: 12000,
    completion_tokens: 3000,
    reasoning_tokens: 0,
    ...overrides,
  };
}

/** Three rows: gpt-4o on two days, and Claude through two providers on one day. */
const activityBody = {
  data: [
    activityRow(),
    activityRow({ date: '2025-06-13', usage: 0.1, requests: 3, prompt_tokens: 3000, completion_tokens: 700 }),
    activityRow({ model: 'anthropic/claude-sonnet-4', provider_name: 'Anthropic', endpoint_id: 'ep-anthropic', usage: 1.5, requests: 20, prompt_tokens: 40000, completion_tokens: 9000, reasoning_tokens: 2000 }),
    activityRow({ model: 'anthropic/claude-sonnet-4', provider_name: 'Amazon Bedrock', endpoint_id: 'ep-bedrock', usage: 0.02, byok_usage_inference: 0.35, requests: 5, prompt_tokens: 8000, completion_tokens: 1000 }),
  ],
};

/** Answers as OpenRouter does, to every key the test has handed out. */
function openRouter(request: SeenRequest): StandInAnswer {
  if (!request.authorization?.startsWith('Bearer sk-or-')) return { status: 401, json: { error: { message: 'No auth credentials found', code: 401 } } };
  if (request.path === '/api/v1/credits') return { json: creditsBody };
  if (request.path === '/api/v1/key') return { json: keyBody };
  if (request.path === '/api/v1/activity') return { json: activityBody };
  return { status: 404, json: { error: { message: 'Not Found', code: 404 } } };
}

let upstream: StandIn;
let server: TestServer;

beforeAll(async () => {
  upstream = await startStandIn(openRouter);
  server = await startTestServer({
    now: () => NOW,
    env: { OPENROUTER_BASE_URL: `${upstream.url}/api/v1`, OPENROUTER_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
});
afterAll(async () => {
  await server.dispose();
  await upstream.close();
});
beforeEach(() => upstream.answer(openRouter));

/** A workspace with its own OpenRouter key. */
async function workspaceWithOpenRouterKey(label: string) {
  const workspace = await server.workspaceWithKey(`openrouter-${label}`);
  const orKey = `sk-or-v1-${label}-0123456789abcdef`;
  const set = await server.gql(SET_KEY, { provider: 'openrouter', key: orKey }, { key: workspace.key });
  expect(set.errors).toBeUndefined();
  return { ...workspace, orKey };
}

async function storedRows(workspaceId: string) {
  return server.db.platform.query(
    `SELECT event_id, occurred_at, model_id, provider, input_tokens, output_tokens, reasoning_tokens, total_cost::float8 AS total_cost, latency_ms,
       request_count, request_type, is_byok, priced, metadata
     FROM llm_usage WHERE workspace_id = $1 ORDER BY occurred_at, model_id, provider`,
    [workspaceId],
  );
}

describe('openRouterCredits', () => {
  it("answers with the workspace's credits, what is left and the fraction used", async () => {
    const { key, orKey } = await workspaceWithOpenRouterKey('credits');
    const result = await server.gql(CREDITS, {}, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.openRouterCredits).toEqual({ totalCredits: 50, totalUsage: 12.5, remaining: 37.5, usedFraction: 0.25 });
    expect(upstream.seen.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/credits', authorization: `Bearer ${orKey}` });
  });

  it('gives a used fraction of 0 when no credits were bought', async () => {
    const { key } = await workspaceWithOpenRouterKey('no-credits');
    upstream.answer(() => ({ json: { data: { total_credits: 0, total_usage: 0 } } }));
    const result = await server.gql(CREDITS, {}, { key });
    expect(result.data!.openRouterCredits).toEqual({ totalCredits: 0, totalUsage: 0, remaining: 0, usedFraction: 0 });
  });

  it('is NOT_CONFIGURED without a workspace key or a server key, saying where to set one', async () => {
    const { key } = await server.workspaceWithKey('openrouter-none');
    const before = upstream.seen.length;
    for (const query of [CREDITS, KEY_INFO]) {
      const result = await server.gql(query, {}, { key });
      expect(result.errors?.[0].extensions?.code).toBe('NOT_CONFIGURED');
      expect(result.errors?.[0].message).toBe(
        'No OpenRouter key: set one with setProviderKey(provider: "openrouter", key: …) in Settings → Provider keys, or set OPENROUTER_API_KEY on the server',
      );
    }
    expect(upstream.seen.length).toBe(before);
  });
});

describe('openRouterKeyInfo', () => {
  it('maps every field of GET /key', async () => {
    const { key } = await workspaceWithOpenRouterKey('key-info');
    const result = await server.gql(KEY_INFO, {}, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.openRouterKeyInfo).toEqual({
      label: 'sk-or-v1-abc...xyz',
      limit: 100,
      limitRemaining: 87.5,
      usage: 12.5,
      usageDaily: 0.75,
      usageWeekly: 4.25,
      usageMonthly: 12.5,
      isFreeTier: false,
      rateLimit: { requests: 200, interval: '10s' },
    });
    expect(upstream.seen.at(-1)!.path).toBe('/api/v1/key');
  });

  it('answers null for a key with no label, no limit and no rate limit', async () => {
    const { key } = await workspaceWithOpenRouterKey('key-unlimited');
    upstream.answer(() => ({ json: { data: { ...keyBody.data, label: null, limit: null, limit_remaining: null, rate_limit: undefined, is_free_tier: true } } }));
    const result = await server.gql(KEY_INFO, {}, { key });
    expect(result.data!.openRouterKeyInfo).toMatchObject({ label: null, limit: null, limitRemaining: null, rateLimit: null, isFreeTier: true });
  });
});

describe('upstream failures', () => {
  const shapeOf: Record<string, string> = { '/credits': 'an object', '/key': 'an object', '/activity': 'a list' };
  const failures: [string, StandInAnswer, string, (path: string) => string][] = [
    ['a timeout', 'hang', 'UPSTREAM_ERROR', (p) => `OpenRouter did not answer GET ${p} within ${TIMEOUT_MS} ms; retry later`],
    [
      'a refused key (401)',
      { status: 401, json: { error: { message: 'User not found.', code: 401 } } },
      'UPSTREAM_ERROR',
      (p) => `OpenRouter refused the API key for GET ${p} (HTTP 401: User not found.); set a valid key in Settings → Provider keys`,
    ],
    [
      'rate limiting (429)',
      { status: 429, json: { error: { message: 'Rate limit exceeded', code: 429 } }, headers: { 'retry-after': '17' } },
      'RATE_LIMITED',
      (p) => `OpenRouter is rate-limiting this key for GET ${p} (HTTP 429); retry after 17 s`,
    ],
    ['a server error (502)', { status: 502, text: '<html>Bad gateway</html>' }, 'UPSTREAM_ERROR', (p) => `OpenRouter failed on GET ${p} with HTTP 502; retry later`],
    [
      'malformed JSON',
      { status: 200, text: '{"data": {"total_credits": 5' },
      'UPSTREAM_ERROR',
      (p) => `OpenRouter answered GET ${p} with malformed JSON (28 bytes that do not parse)`,
    ],
    [
      'JSON of another shape',
      { status: 200, json: { credits: 5 } },
      'UPSTREAM_ERROR',
      (p) => `OpenRouter answered GET ${p} without ${shapeOf[p]} at data (got nothing)`,
    ],
  ];

  describe.each([
    ['openRouterCredits', CREDITS, '/credits'],
    ['openRouterKeyInfo', KEY_INFO, '/key'],
    ['syncOpenRouterActivity', SYNC, '/activity'],
  ])('%s', (_name, query, path) => {
    it.each(failures)('answers %s with a clear error, and stores nothing', async (_failure, answer, code, message) => {
      const { key, workspaceId } = await workspaceWithOpenRouterKey('failing');
      upstream.answer(() => answer);
      const result = await server.gql(query, {}, { key });
      expect(result.errors?.[0].extensions?.code).toBe(code);
      expect(result.errors?.[0].message).toBe(message(path));
      expect(result.data ?? null).toBeNull();
      expect(await storedRows(workspaceId)).toEqual([]);
    });
  });

  it("says which field of GET /activity is wrong and stores none of the rows before it", async () => {
    const { key, workspaceId } = await workspaceWithOpenRouterKey('bad-row');
    upstream.answer(() => ({ json: { data: [activityRow(), activityRow({ date: '2025-06-13' }), activityRow({ requests: 'many' })] } }));
    const result = await server.gql(SYNC, {}, { key });
    expect(result.errors?.[0].extensions?.code).toBe('UPSTREAM_ERROR');
    expect(result.errors?.[0].message).toBe('OpenRouter answered GET /activity without a whole number of at least 0 at data[2].requests (got "many")');
    expect(await storedRows(workspaceId)).toEqual([]);
  });

  it('stores none of the rows when one of them cannot be a call', async () => {
    const { key, workspaceId } = await workspaceWithOpenRouterKey('bad-call');
    upstream.answer(() => ({ json: { data: [activityRow(), activityRow({ date: '2025-06-13', completion_tokens: 10, reasoning_tokens: 50 })] } }));
    const result = await server.gql(SYNC, {}, { key });
    expect(result.errors?.[0].extensions?.code).toBe('UPSTREAM_ERROR');
    expect(result.errors?.[0].message).toBe(
      "OpenRouter's activity for 2025-06-13 openai/gpt-4o (OpenAI) cannot be stored: reasoningTokens must be at most outputTokens (10), but got 50",
    );
    expect(await storedRows(workspaceId)).toEqual([]);
  });
});

describe('syncOpenRouterActivity', () => {
  it('stores one call row per date, model and provider, with the reported cost, tokens and request count', async () => {
    const { key, workspaceId, orKey } = await workspaceWithOpenRouterKey('sync');
    const result = await server.gql(SYNC, {}, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.syncOpenRouterActivity).toEqual({ fetchedRows: 4, inserted: 4, skippedDuplicates: 0 });
    expect(upstream.seen.at(-1)).toMatchObject({ path: '/api/v1/activity', authorization: `Bearer ${orKey}` });
    const rows = await storedRows(workspaceId);
    expect(rows.map((r: Record<string, unknown>) => [r.model_id, r.provider, new Date(r.occurred_at as string).toISOString(), r.request_count])).toEqual([
      ['openai/gpt-4o', 'openai', '2025-06-13T00:00:00.000Z', 3],
      ['anthropic/claude-sonnet-4', 'amazon bedrock', '2025-06-14T00:00:00.000Z', 5],
      ['anthropic/claude-sonnet-4', 'anthropic', '2025-06-14T00:00:00.000Z', 20],
      ['openai/gpt-4o', 'openai', '2025-06-14T00:00:00.000Z', 12],
    ]);
    const claude = rows.find((r: Record<string, unknown>) => r.provider === 'anthropic');
    expect(claude).toMatchObject({
      event_id: 'openrouter-activity:2025-06-14:anthropic:anthropic/claude-sonnet-4',
      input_tokens: '40000',
      output_tokens: '9000',
      reasoning_tokens: '2000',
      total_cost: 1.5,
      latency_ms: null,
      request_type: 'activity_sync',
      priced: true,
      is_byok: false,
    });
  });

  it('keeps byok_usage_inference as dollars and marks the row BYOK, the cost staying what OpenRouter billed', async () => {
    const { key, workspaceId } = await workspaceWithOpenRouterKey('byok');
    await server.gql(SYNC, {}, { key });
    const bedrock = (await storedRows(workspaceId)).find((r: Record<string, unknown>) => r.provider === 'amazon bedrock');
    expect(bedrock.is_byok).toBe(true);
    expect(bedrock.total_cost).toBe(0.02);
    expect(bedrock.metadata).toMatchObject({ byokUsageInference: 0.35, modelPermaslug: 'openai/gpt-4o-2024-08-06', endpointIds: ['ep-bedrock'] });
  });

  it('adds up two endpoints of one provider for one model on one day into one row', async () => {
    const { key, workspaceId } = await workspaceWithOpenRouterKey('endpoints');
    upstream.answer(() => ({
      json: { data: [activityRow({ endpoint_id: 'ep-a', requests: 4, usage: 0.25 }), activityRow({ endpoint_id: 'ep-b', requests: 6, usage: 0.5 })] },
    }));
    const result = await server.gql(SYNC, {}, { key });
    expect(result.data!.syncOpenRouterActivity).toEqual({ fetchedRows: 2, inserted: 1, skippedDuplicates: 0 });
    const [row] = await storedRows(workspaceId);
    expect(row).toMatchObject({ request_count: 10, total_cost: 0.75, input_tokens: '24000' });
    expect(row.metadata.endpointIds).toEqual(['ep-a', 'ep-b']);
  });

  it('stores nothing twice when the same days are synced again', async () => {
    const { key, workspaceId } = await workspaceWithOpenRouterKey('resync');
    await server.gql(SYNC, {}, { key });
    const again = await server.gql(SYNC, {}, { key });
    expect(again.data!.syncOpenRouterActivity).toEqual({ fetchedRows: 4, inserted: 0, skippedDuplicates: 4 });
    expect(await storedRows(workspaceId)).toHaveLength(4);
    const [rollup] = await server.db.platform.query(
      `SELECT sum(request_count)::int AS requests FROM llm_usage_daily WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(rollup.requests).toBe(40);
  });

  it("counts the activity's requests in usage metrics, from raw rows and rollups alike, and leaves latency out", async () => {
    const { key, workspaceId } = await workspaceWithOpenRouterKey('metrics');
    await server.gql(SYNC, {}, { key });
    const [sums] = await server.db.platform.query(
      `SELECT (SELECT sum(request_count)::int FROM llm_usage WHERE workspace_id = $1) AS raw,
              (SELECT sum(request_count)::int FROM llm_usage_hourly WHERE workspace_id = $1) AS hourly,
              (SELECT sum(request_count)::int FROM llm_usage_daily WHERE workspace_id = $1) AS daily,
              (SELECT sum(latency_count)::int FROM llm_usage_daily WHERE workspace_id = $1) AS latencies`,
      [workspaceId],
    );
    expect(sums).toEqual({ raw: 40, hourly: 40, daily: 40, latencies: 0 });
    const metrics = await server.gql(
      `query M($query: MetricsQueryInput!) { usageMetrics(query: $query) { rows { values { metric value } } } }`,
      { query: { period: 'LAST_7D', metrics: ['REQUESTS', 'TOTAL_COST', 'AVG_LATENCY_MS'], filter: { requestTypes: ['activity_sync'] } } },
      { key },
    );
    expect(metrics.errors).toBeUndefined();
    const values = Object.fromEntries(metrics.data!.usageMetrics.rows[0].values.map((v: { metric: string; value: number }) => [v.metric, v.value]));
    expect(values.REQUESTS).toBe(40);
    expect(values.TOTAL_COST).toBeCloseTo(0.42 + 0.1 + 1.5 + 0.02, 10);
    expect(values.AVG_LATENCY_MS).toBe(0);
  });

  it("tells subscribers about the imported rows like any tracked call", async () => {
    const { key } = await workspaceWithOpenRouterKey('publish');
    const client = server.wsClient({ authorization: `Bearer ${key}` });
    const events: { llmCallTracked: { requestType: string } }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ llmCallTracked: { requestType: string } }>(
        { query: `subscription { llmCallTracked { requestType } }` },
        {
          next: (value) => {
            events.push(value.data!);
            if (events.length === 4) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await countReaches(server.gateway.services.pubsub.subscribers, 'LLM_CALL_TRACKED');
    await server.gql(SYNC, {}, { key });
    await done;
    expect(events.every((e) => e.llmCallTracked.requestType === 'activity_sync')).toBe(true);
  });

  it("is NOT_CONFIGURED for a workspace without its own key, and asks OpenRouter nothing", async () => {
    const { key } = await server.workspaceWithKey('openrouter-sync-none');
    const before = upstream.seen.length;
    const result = await server.gql(SYNC, {}, { key });
    expect(result.errors?.[0].extensions?.code).toBe('NOT_CONFIGURED');
    expect(result.errors?.[0].message).toBe(
      'Syncing OpenRouter activity needs this workspace\'s own OpenRouter key, and it has none: set one with setProviderKey(provider: "openrouter", key: …) in Settings → Provider keys',
    );
    expect(upstream.seen.length).toBe(before);
  });
});

describe('with OPENROUTER_API_KEY on the server', () => {
  let serverWithKey: TestServer;
  beforeAll(async () => {
    serverWithKey = await startTestServer({
      now: () => NOW,
      env: { OPENROUTER_BASE_URL: `${upstream.url}/api/v1`, OPENROUTER_API_KEY: 'sk-or-server-fallback-key' },
    });
  });
  afterAll(() => serverWithKey.dispose());

  it("answers credits and key info with the server's key for a workspace without one", async () => {
    const { key } = await serverWithKey.workspaceWithKey('fallback');
    expect((await serverWithKey.gql(CREDITS, {}, { key })).data!.openRouterCredits.totalCredits).toBe(50);
    expect(upstream.seen.at(-1)!.authorization).toBe('Bearer sk-or-server-fallback-key');
    expect((await serverWithKey.gql(KEY_INFO, {}, { key })).data!.openRouterKeyInfo.usage).toBe(12.5);
    expect(upstream.seen.at(-1)!.authorization).toBe('Bearer sk-or-server-fallback-key');
  });

  it("prefers the workspace's own key to the server's", async () => {
    const { key } = await serverWithKey.workspaceWithKey('own-key');
    await serverWithKey.gql(SET_KEY, { provider: 'OpenRouter', key: 'sk-or-workspace-own-key' }, { key });
    await serverWithKey.gql(CREDITS, {}, { key });
    expect(upstream.seen.at(-1)!.authorization).toBe('Bearer sk-or-workspace-own-key');
  });

  it("never syncs with the server's key", async () => {
    const { key } = await serverWithKey.workspaceWithKey('no-sync');
    const before = upstream.seen.length;
    const result = await serverWithKey.gql(SYNC, {}, { key });
    expect(result.errors?.[0].extensions?.code).toBe('NOT_CONFIGURED');
    expect(upstream.seen.length).toBe(before);
  });
});

describe('workspace isolation', () => {
  it("never uses one workspace's key for another", async () => {
    const alpha = await workspaceWithOpenRouterKey('iso-alpha');
    const beta = await server.workspaceWithKey('openrouter-iso-beta');
    for (const query of [CREDITS, KEY_INFO, SYNC]) {
      const before = upstream.seen.length;
      const result = await server.gql(query, {}, { key: beta.key });
      expect(result.errors?.[0].extensions?.code).toBe('NOT_CONFIGURED');
      expect(upstream.seen.slice(before).some((r) => r.authorization?.includes(alpha.orKey))).toBe(false);
    }
  });

  it("stores a sync in the caller's workspace only", async () => {
    const alpha = await workspaceWithOpenRouterKey('iso-sync-alpha');
    const beta = await workspaceWithOpenRouterKey('iso-sync-beta');
    await server.gql(SYNC, {}, { key: alpha.key });
    expect(await storedRows(alpha.workspaceId)).toHaveLength(4);
    expect(await storedRows(beta.workspaceId)).toEqual([]);
    const calls = await server.gql(`{ llmCalls(limit: 50) { workspaceId } }`, {}, { key: beta.key });
    expect(calls.data!.llmCalls).toEqual([]);
    const betaSync = await server.gql(SYNC, {}, { key: beta.key });
    expect(betaSync.data!.syncOpenRouterActivity).toEqual({ fetchedRows: 4, inserted: 4, skippedDuplicates: 0 });
  });

  it("uses the named workspace's key when an admin names one", async () => {
    const gamma = await workspaceWithOpenRouterKey('iso-admin');
    await server.gql(CREDITS, {}, { workspace: gamma.workspaceId });
    expect(upstream.seen.at(-1)!.authorization).toBe(`Bearer ${gamma.orKey}`);
  });
});
