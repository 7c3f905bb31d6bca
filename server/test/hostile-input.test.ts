import { CALL_BOUNDS } from '../src/ingest/call-bounds';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

const NUL = 'a\u0000b';
const LONE_HIGH = 'x\ud800y';
const LONE_LOW = '\udc00';
const NUL_MESSAGE = 'must not contain the NUL character (\\u0000), but got one at position 1';
const SURROGATE_MESSAGE = 'must be valid Unicode text, but got a lone surrogate';
const surrogateAt = (code: string, position: number): string => `${SURROGATE_MESSAGE} \\u${code} at position ${position} (lone surrogates are refused, not replaced)`;

/** Sends a good call, the bad one and another good call; answers the batch's result. */
async function trackBeside(bad: Record<string, unknown>, key?: string): Promise<{ accepted: number; rejected: { index: number; message: string }[] }> {
  const result = await server.gql(TRACK_MANY, { inputs: [call(), call(bad), call()] }, { key });
  expect(result.errors).toBeUndefined();
  return result.data!.trackLlmCalls;
}

describe('text PostgreSQL cannot store, in a call', () => {
  it.each([
    ['agentId', { agentId: NUL }, `agentId ${NUL_MESSAGE}`],
    ['modelId', { modelId: NUL }, `modelId ${NUL_MESSAGE}`],
    ['provider', { provider: NUL }, `provider ${NUL_MESSAGE}`],
    ['requestType', { requestType: NUL }, `requestType ${NUL_MESSAGE}`],
    ['errorType', { errorType: NUL }, `errorType ${NUL_MESSAGE}`],
    ['executionId', { executionId: NUL }, `executionId ${NUL_MESSAGE}`],
    ['eventId', { eventId: NUL }, `eventId ${NUL_MESSAGE}`],
    ['tier', { tier: NUL }, `tier ${NUL_MESSAGE}`],
    ['a metadata key', { metadata: { ['k\u0000']: 1 } }, `metadata has a key that ${NUL_MESSAGE}`],
    ['a metadata value', { metadata: { note: NUL } }, `metadata.note ${NUL_MESSAGE}`],
    ['a nested metadata value', { metadata: { list: [1, { 'odd key': NUL }] } }, `metadata.list[1]["odd key"] ${NUL_MESSAGE}`],
    ['a lone high surrogate in modelId', { modelId: LONE_HIGH }, `modelId ${SURROGATE_MESSAGE} \\ud800 at position 1 (lone surrogates are refused, not replaced)`],
    ['a lone low surrogate in agentId', { agentId: LONE_LOW }, `agentId ${SURROGATE_MESSAGE} \\udc00 at position 0`],
    ['a lone surrogate in a metadata value', { metadata: { v: LONE_HIGH } }, `metadata.v ${SURROGATE_MESSAGE}`],
  ])('rejects a NUL or lone surrogate in %s alone, keeping the calls beside it', async (_field, bad, message) => {
    const { key } = await server.workspaceWithKey('text');
    const outcome = await trackBeside(bad, key);
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected).toEqual([{ index: 1, message: expect.stringContaining(message) }]);
    const stored = await server.gql('{ llmSummary(period: LAST_24H) { totalRequests } }', {}, { key });
    expect(stored.data!.llmSummary.totalRequests).toBe(2);
  });

  it('stores text with emoji, accents and scripts exactly as sent', async () => {
    const { key } = await server.workspaceWithKey('unicode');
    const agentId = 'agent-😀-é-日本';
    const outcome = await trackBeside({ agentId, metadata: { 'clé 🔑': 'värde ✓', nested: ['ok'] } }, key);
    expect(outcome).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const agents = await server.gql('{ agents { id name } }', {}, { key });
    expect(agents.data!.agents).toEqual([{ id: agentId, name: agentId }]);
  });

  it('rejects metadata nested deeper than the stated depth alone', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = [deep];
    const outcome = await trackBeside({ metadata: { deep } });
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected[0]).toMatchObject({ index: 1, message: expect.stringContaining('must nest at most 32 arrays or objects deep') });
  });

  it('answers trackLlmCall with BAD_USER_INPUT naming the field', async () => {
    const result = await server.gql(TRACK_ONE, { input: call({ executionId: NUL }) });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe(`executionId ${NUL_MESSAGE}`);
  });
});

describe('the bounds of a call', () => {
  const max = CALL_BOUNDS;
  it.each([
    ['inputTokens', { inputTokens: max.maxTokensPerRequest + 1 }, 'inputTokens must be a whole number from 0 to 100,000,000, but got 100000001'],
    ['outputTokens', { outputTokens: 2 ** 53 - 1 }, 'outputTokens must be a whole number from 0 to 100,000,000, but got 9007199254740991'],
    ['cacheReadTokens', { inputTokens: 10, cacheReadTokens: max.maxTokensPerRequest + 1 }, 'cacheReadTokens must be a whole number from 0 to 100,000,000'],
    ['latencyMs', { latencyMs: max.maxLatencyMs + 1 }, 'latencyMs must be a whole number from 0 to 86400000 (24 hours), but got 86400001'],
    ['reportedCost above', { reportedCost: 10_000.01 }, 'reportedCost must be from 0 to 10000 dollars, but got 10000.01'],
    ['reportedCost below', { reportedCost: -0.5 }, 'reportedCost must be from 0 to 10000 dollars, but got -0.5'],
    ['occurredAt before 2000', { occurredAt: '1999-12-31T23:59:59Z' }, 'occurredAt must be 2000-01-01T00:00:00.000Z or later, but got 1999-12-31T23:59:59.000Z'],
    ['occurredAt in year 1', { occurredAt: '0001-01-01T00:00:00Z' }, 'occurredAt must be 2000-01-01T00:00:00.000Z or later'],
    ['metadata over 16 KB', { metadata: { text: 'é'.repeat(9000) } }, 'metadata must be at most 16384 bytes of JSON, but got 18011'],
    ['modelId over 256 characters', { modelId: 'm'.repeat(257) }, 'modelId must be at most 256 characters, but got 257'],
  ])('rejects %s past its bound alone', async (_name, bad, message) => {
    const outcome = await trackBeside(bad);
    expect(outcome.accepted).toBe(2);
    expect(outcome.rejected).toEqual([{ index: 1, message: expect.stringContaining(message) }]);
  });

  it('accepts every figure at its bound, and stores it as sent', async () => {
    const { key } = await server.workspaceWithKey('at-bounds');
    const atBounds = call({
      inputTokens: max.maxTokensPerRequest,
      outputTokens: max.maxTokensPerRequest,
      cacheReadTokens: max.maxTokensPerRequest / 2,
      cacheWriteTokens: max.maxTokensPerRequest / 2,
      reasoningTokens: max.maxTokensPerRequest,
      latencyMs: max.maxLatencyMs,
      reportedCost: max.maxReportedCostPerRequest,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const result = await server.gql(TRACK_ONE, { input: atBounds }, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.trackLlmCall).toMatchObject({ totalTokens: 2 * max.maxTokensPerRequest, totalCost: 10_000 });
    const early = await server.gql(TRACK_ONE, { input: call({ occurredAt: '2000-01-01T00:00:00Z' }) }, { key });
    expect(early.errors).toBeUndefined();
  });

  it('states each bound in the schema the integrator reads', async () => {
    const result = await server.gql(`{ __type(name: "LlmCallInput") { inputFields { name description } } }`);
    const described = Object.fromEntries(result.data!.__type.inputFields.map((f: { name: string; description: string }) => [f.name, f.description]));
    expect(described.inputTokens).toContain('from 0 to 100,000,000');
    expect(described.latencyMs).toContain('from 0 to 86,400,000 (24 hours)');
    expect(described.reportedCost).toContain('from 0 to 10,000 dollars');
    expect(described.occurredAt).toContain('From 2000-01-01T00:00:00.000Z to 5 minutes ahead');
    expect(described.agentId).toContain('At most 128 characters; no NUL character or lone surrogate');
    expect(described.metadata).toContain('up to 16,384 bytes, nested at most 32 deep');
  });
});

describe('text PostgreSQL cannot store, elsewhere', () => {
  it.each([
    ['setModelPrice', `mutation($m: String!) { setModelPrice(input: { modelId: $m, provider: "openai", inputPerMTok: 1, outputPerMTok: 2 }) { modelId } }`, { m: NUL }, `input.modelId ${NUL_MESSAGE}`],
    ['setBudget', `mutation($m: String) { setBudget(input: { amount: 5, window: DAY, modelId: $m }) { id } }`, { m: LONE_HIGH }, `input.modelId ${surrogateAt('d800', 1)}`],
    ['createWorkspace', `mutation($n: String!) { createWorkspace(name: $n) { id } }`, { n: NUL }, `name ${NUL_MESSAGE}`],
    ['createApiKey', `mutation($w: ID!, $l: String) { createApiKey(workspaceId: $w, role: MEMBER, label: $l) }`, { w: '00000000-0000-0000-0000-000000000000', l: NUL }, `label ${NUL_MESSAGE}`],
    ['upsertAgent', `mutation($n: String!) { upsertAgent(input: { id: "a1", name: $n }) { id } }`, { n: NUL }, `input.name ${NUL_MESSAGE}`],
    ['heartbeat', `mutation($s: String!) { heartbeat(service: $s, instanceId: "i1") { status } }`, { s: NUL }, `service ${NUL_MESSAGE}`],
    ['heartbeat meta', `mutation($m: JSON) { heartbeat(service: "svc", instanceId: "i1", meta: $m) { status } }`, { m: { ['k\u0000']: 1 } }, `meta has a key that ${NUL_MESSAGE}`],
    ['recordMemory', `mutation($c: String!) { recordMemory(input: { content: $c, memoryType: "fact", importance: 0.5 }) { id } }`, { c: NUL }, `input.content ${NUL_MESSAGE}`],
    ['recordComposioAction', `mutation($a: String!) { recordComposioAction(input: { agentId: "a1", appName: "SLACK", actionName: $a }) { usageCount } }`, { a: LONE_LOW }, `input.actionName ${surrogateAt('dc00', 0)}`],
    ['setProviderKey', `mutation($k: String!) { setProviderKey(provider: "openai", key: $k) { provider } }`, { k: `${NUL}-0123456789abcdef` }, `key ${NUL_MESSAGE}`],
    ['llmCalls before', `query($b: ID) { llmCalls(before: $b) { id } }`, { b: NUL }, `before ${NUL_MESSAGE}`],
    ['a usage filter', `query($m: [String!]) { llmUsage(period: LAST_24H, groupBy: MODEL, filter: { modelIds: $m }) { key } }`, { m: ['gpt-4o', NUL] }, `filter.modelIds[1] ${NUL_MESSAGE}`],
    ['modelPrice', `query($m: String!) { modelPrice(modelId: $m) { modelId } }`, { m: NUL }, `modelId ${NUL_MESSAGE}`],
    ['analyticsChart', `query($q: String) { analyticsChart(query: $q) { title } }`, { q: NUL }, `query ${NUL_MESSAGE}`],
  ])('answers %s with BAD_USER_INPUT naming the argument', async (_name, query, variables, message) => {
    const result = await server.gql(query, variables);
    expect(result.status).toBe(200);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe(message);
  });

  it('refuses the same text in a subscription argument', async () => {
    const client = server.wsClient({ authorization: `Bearer ${server.adminKey}` });
    const errors = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: 'subscription($m: [String!]) { llmCallTracked(filter: { modelIds: $m }) { id } }', variables: { m: [NUL] } },
        { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve('completed with nothing') },
      );
    });
    expect(errors).toEqual([expect.objectContaining({ message: `filter.modelIds[0] ${NUL_MESSAGE}`, extensions: { code: 'BAD_USER_INPUT' } })]);
  });
});

describe('amounts and query inputs out of range', () => {
  it.each([
    ['a budget of 1e308', `mutation { setBudget(input: { amount: 1e308, window: DAY }) { id } }`, 'amount must be more than 0 and at most 100000000 dollars, but got 1e+308'],
    ['a price above the range', `mutation { setModelPrice(input: { modelId: "m", provider: "p", inputPerMTok: 1e300, outputPerMTok: 1 }) { modelId } }`, 'inputPerMTok must be dollars per million tokens from 0 to 100000, but got 1e+300'],
    ['a range whose start is after its end', `{ usageMetrics(query: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z", metrics: [REQUESTS] }) { source } }`, 'from must be before to, but got from 2026-02-01T00:00:00.000Z and to 2026-01-01T00:00:00.000Z'],
    // A day bucket rounds the end out to the year 10000, which PostgreSQL cannot read (the fuzz test found it).
    ['a range ending in the year 9999', `{ usageMetrics(query: { from: "2020-01-01T00:00:00Z", to: "9999-12-31T23:00:00.001Z", metrics: [REQUESTS], bucket: DAY }) { source } }`, 'to must be from 1970-01-01T00:00:00.000Z to 9999-01-01T00:00:00.000Z, but got 9999-12-31T23:00:00.001Z'],
    ['a limit of 0', `{ usageMetrics(query: { period: LAST_24H, metrics: [REQUESTS], limit: 0 }) { source } }`, 'limit must be from 1 to 10000, but got 0'],
    ['a limit above the maximum', `{ llmCalls(limit: 501) { id } }`, 'limit must be from 1 to 500, but got 501'],
    ['an unknown time zone', `{ llmDailyCostByModel(period: LAST_7D, timezone: "Mars/Olympus") { models } }`, 'timezone must be an IANA zone name such as "UTC" or "Europe/Berlin", but got "Mars/Olympus"'],
    ['a repeated metric', `{ usageMetrics(query: { period: LAST_24H, metrics: [REQUESTS, REQUESTS] }) { source } }`, 'metrics must not repeat a metric, but got REQUESTS, REQUESTS'],
    ['a repeated group', `{ usageMetrics(query: { period: LAST_24H, metrics: [REQUESTS], groupBy: [MODEL, MODEL] }) { source } }`, 'groupBy must not repeat a dimension, but got MODEL, MODEL'],
  ])('answers %s with BAD_USER_INPUT saying what was expected', async (_name, query, message) => {
    const result = await server.gql(query);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe(message);
  });

  it('refuses an API key label of more than 200 characters', async () => {
    const { workspaceId } = await server.workspaceWithKey('labels');
    const result = await server.gql(`mutation($w: ID!, $l: String) { createApiKey(workspaceId: $w, role: MEMBER, label: $l) }`, { w: workspaceId, l: 'l'.repeat(201) });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe('label must be at most 200 characters, but got 201');
  });

  it('refuses a filter list of more than 100 values, naming it', async () => {
    const modelIds = Array.from({ length: 101 }, (_, i) => `m${i}`);
    const result = await server.gql(`query($m: [String!]) { llmCalls(filter: { modelIds: $m }) { id } }`, { m: modelIds });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe('filter.modelIds takes at most 100 values, but got 101');
  });
});
