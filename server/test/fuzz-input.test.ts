import fc from 'fast-check';
import { CALL_BOUNDS } from '../src/ingest/call-bounds';
import { TRACK_MANY } from './fixtures/calls';
import { startTestServer, type GqlResult, type TestServer } from './support/server';

/**
 * Hostile values for every field of LlmCallInput and of the other mutations' inputs, mixed with
 * good ones, against a real gateway: never INTERNAL_SERVER_ERROR, each bad call rejected alone,
 * each good one stored (the dashboards' figures equal the sums of the good calls), and the
 * dashboards still answering afterwards.
 */

const B = CALL_BOUNDS;
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { LIMIT_INGEST_CALLS_PER_SECOND: '0', LIMIT_REQUESTS_PER_SECOND: '0' } });
});
afterAll(() => server.dispose());

const expectNoServerError = (result: GqlResult, what: string): void => {
  const codes = (result.errors ?? []).map((e) => e.extensions?.code);
  expect({ what, status: result.status < 500, codes: codes.filter((c) => c !== 'BAD_USER_INPUT') }).toEqual({ what, status: true, codes: [] });
};

// ---- strings ----------------------------------------------------------------------------------

/** Text a person might send: any graphemes, emoji and scripts included, none of them NUL, not blank. */
const goodText = (maxLength: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: Math.min(maxLength, 24) })
    .map((s) => s.replaceAll('\u0000', '').trim())
    .filter((s) => s.length > 0 && s.length <= maxLength && !/\p{Cs}/u.test(s));

/** Text PostgreSQL cannot hold: a NUL or a lone surrogate anywhere in otherwise good text. */
const unstorableText = (maxLength: number): fc.Arbitrary<string> =>
  fc.tuple(goodText(maxLength - 1), fc.nat(), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff')).map(([s, at, bad]) => {
    const i = at % (s.length + 1);
    return `${s.slice(0, i)}${bad}${s.slice(i)}`;
  });

/** Text that breaks a field's rules: unstorable, or longer than the field takes. */
const badText = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(unstorableText(maxLength), fc.integer({ min: maxLength + 1, max: maxLength + 40 }).map((n) => 'x'.repeat(n)));

/** Any string at all: good, bad, blank or huge. */
const anyText = (maxLength = 256): fc.Arbitrary<string> =>
  fc.oneof(goodText(maxLength), badText(maxLength), fc.constantFrom('', ' ', '\t\n'), fc.string({ unit: 'binary', maxLength: 40 }));

/** JSON whose keys or strings may be hostile, nested or not. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    anyText(64),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyText(32), tie('value'), { maxKeys: 4 }),
  ),
})).value;

// ---- calls ------------------------------------------------------------------------------------

interface GoodCall {
  modelId: string;
  provider: string;
  requestType: string;
  agentId: string | null;
  tier: string | null;
  executionId: string | null;
  errorType: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  latencyMs: number;
  reportedCost: number;
  occurredAt: string;
  status: 'SUCCESS' | 'ERROR';
  metadata: unknown;
}

const NOW = Date.now();

const goodCall: fc.Arbitrary<GoodCall> = fc
  .record({
    modelId: fc.oneof(fc.constantFrom('gpt-4o', 'claude-3-5-haiku-latest'), goodText(B.maxTextLength)),
    provider: fc.oneof(fc.constantFrom('openai', 'anthropic'), goodText(B.maxTextLength)),
    requestType: goodText(B.maxTextLength),
    agentId: fc.option(goodText(B.maxAgentIdLength)),
    tier: fc.option(goodText(B.maxTextLength)),
    executionId: fc.option(goodText(B.maxTextLength)),
    errorType: fc.option(goodText(B.maxTextLength)),
    inputTokens: fc.oneof(fc.nat({ max: 100_000 }), fc.constant(B.maxTokensPerRequest)),
    outputTokens: fc.oneof(fc.nat({ max: 100_000 }), fc.constant(B.maxTokensPerRequest)),
    cacheShare: fc.double({ min: 0, max: 1, noNaN: true }),
    reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
    latencyMs: fc.oneof(fc.nat({ max: 60_000 }), fc.constant(B.maxLatencyMs)),
    cents: fc.oneof(fc.nat({ max: 100_000 }), fc.constant(B.maxReportedCostPerRequest * 100)),
    ageMs: fc.integer({ min: 60_000, max: 20 * 3_600_000 }),
    status: fc.constantFrom('SUCCESS' as const, 'ERROR' as const),
    metadata: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })).filter((v) => !JSON.stringify(v).includes('\\u0000') && !/\p{Cs}/u.test(JSON.stringify(v)))),
  })
  .map(({ cacheShare, reasoningShare, cents, ageMs, ...c }) => ({
    ...c,
    cacheReadTokens: Math.floor((c.inputTokens * cacheShare) / 2),
    cacheWriteTokens: Math.floor((c.inputTokens * cacheShare) / 2),
    reasoningTokens: Math.floor(c.outputTokens * reasoningShare),
    reportedCost: cents / 100,
    occurredAt: new Date(NOW - ageMs).toISOString(),
  }));

/** A good call with exactly one field made hostile: the gateway must reject this call alone. */
const badCall: fc.Arbitrary<Record<string, unknown>> = fc.tuple(goodCall, fc.integer({ min: 0, max: 12 }), fc.nat()).chain(([call, which]) => {
  const withField = (field: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> => value.map((v) => ({ ...call, [field]: v }));
  const textFields = ['modelId', 'provider', 'requestType', 'tier', 'executionId', 'errorType', 'eventId'];
  switch (which) {
    case 0:
      return fc.constantFrom(...textFields).chain((field) => withField(field, badText(B.maxTextLength)));
    case 1:
      return withField('agentId', badText(B.maxAgentIdLength));
    case 2:
      return fc.constantFrom('modelId', 'provider', 'requestType').chain((field) => withField(field, fc.constantFrom('', '   ')));
    case 3:
      return fc
        .constantFrom('inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens')
        .chain((field) => withField(field, fc.oneof(fc.integer({ min: B.maxTokensPerRequest + 1, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }))));
    case 4:
      return withField('latencyMs', fc.oneof(fc.integer({ min: B.maxLatencyMs + 1, max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: -1 })));
    case 5:
      return withField(
        'reportedCost',
        fc.oneof(
          fc.double({ min: B.maxReportedCostPerRequest, max: Number.MAX_VALUE, noNaN: true, minExcluded: true }),
          fc.double({ min: -Number.MAX_VALUE, max: 0, noNaN: true, maxExcluded: true }),
        ),
      );
    case 6:
      return withField(
        'occurredAt',
        fc.oneof(
          fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date(B.earliestOccurredAt.getTime() - 1), noInvalidDate: true }),
          fc.date({ min: new Date(NOW + 3_600_000), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        ).map((d) => d.toISOString()),
      );
    case 7:
      return fc.integer({ min: 1, max: 1000 }).map((extra) => ({ ...call, cacheReadTokens: call.inputTokens + extra - call.cacheWriteTokens }));
    case 8:
      return fc.integer({ min: 1, max: 1000 }).map((extra) => ({ ...call, reasoningTokens: call.outputTokens + extra }));
    case 9:
      return fc.tuple(unstorableText(32), anyJson).map(([key, value]) => ({ ...call, metadata: { ok: 1, nested: [{ [key]: value }] } }));
    case 10:
      return unstorableText(64).map((text) => ({ ...call, metadata: { note: ['fine', { deeper: text }] } }));
    case 11: {
      let deep: unknown = 'leaf';
      for (let i = 0; i < 40; i++) deep = { d: deep };
      return fc.constant({ ...call, metadata: deep });
    }
    default:
      return fc.integer({ min: 1, max: 4 }).map((kb) => ({ ...call, metadata: { blob: 'é'.repeat(kb * 9000) } }));
  }
});

/** A batch of good and bad calls, with which are which. */
const mixedBatch = fc.array(fc.oneof(goodCall.map((call) => ({ good: true as const, call })), badCall.map((call) => ({ good: false as const, call }))), {
  minLength: 1,
  maxLength: 12,
});

const sum = (calls: GoodCall[], figure: (c: GoodCall) => number): number => calls.reduce((total, c) => total + figure(c), 0);

describe('fuzzed calls', () => {
  it('reject each hostile call alone, store each good one, and the dashboards agree with the good calls', async () => {
    await fc.assert(
      fc.asyncProperty(mixedBatch, async (batch) => {
        const { key } = await server.workspaceWithKey('fuzz');
        const result = await server.gql(TRACK_MANY, { inputs: batch.map((b) => b.call) }, { key });
        expectNoServerError(result, 'trackLlmCalls');
        expect(result.errors).toBeUndefined();
        const outcome = result.data!.trackLlmCalls;
        const badIndexes = batch.flatMap((b, i) => (b.good ? [] : [i]));
        expect(outcome.rejected.map((r: { index: number }) => r.index)).toEqual(badIndexes);
        const good = batch.filter((b) => b.good).map((b) => b.call as GoodCall);
        expect(outcome.accepted).toBe(good.length);

        for (const period of ['LAST_24H', 'LAST_7D']) {
          const summary = await server.gql(
            `query($p: Period!) { llmSummary(period: $p) { totalRequests inputTokens outputTokens totalCost } }`,
            { p: period },
            { key },
          );
          expect(summary.errors).toBeUndefined();
          expect(summary.data!.llmSummary).toEqual({
            totalRequests: good.length,
            inputTokens: sum(good, (c) => c.inputTokens),
            outputTokens: sum(good, (c) => c.outputTokens),
            totalCost: expect.closeTo(sum(good, (c) => c.reportedCost), 6),
          });
        }
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});

// ---- the other mutations and queries ----------------------------------------------------------

const anyNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -1, 1e308, -1e308, 5e-324));
const anyInt = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, -1, 2 ** 31 - 1));
const anySafeInt = fc.oneof(fc.maxSafeInteger(), fc.maxSafeNat(), fc.constantFrom(0, -1));
const anyDate = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());

/** Each mutation or query that takes input, with arbitrary hostile variables for it. */
const OPERATIONS: [string, string, fc.Arbitrary<Record<string, unknown>>][] = [
  ['createWorkspace', `mutation($n: String!, $p: String) { createWorkspace(name: $n, plan: $p) { id } }`, fc.record({ n: anyText(), p: fc.option(anyText()) })],
  ['upsertAgent', `mutation($id: ID, $n: String!) { upsertAgent(input: { id: $id, name: $n }) { id } }`, fc.record({ id: fc.option(anyText(130)), n: anyText(210) })],
  [
    'heartbeat',
    `mutation($s: String!, $i: String!, $n: Int, $m: JSON) { heartbeat(service: $s, instanceId: $i, intervalSeconds: $n, meta: $m) { status } }`,
    fc.record({ s: anyText(), i: anyText(), n: fc.option(anyInt), m: fc.option(anyJson) }),
  ],
  ['stopHeartbeat', `mutation($s: String!, $i: String!) { stopHeartbeat(service: $s, instanceId: $i) { status } }`, fc.record({ s: anyText(), i: anyText() })],
  [
    'recordComposioConnection',
    `mutation($a: String!, $d: SafeInt) { recordComposioConnection(input: { appName: $a, status: ACTIVE, documentsSynced: $d }) { appName } }`,
    fc.record({ a: anyText(70), d: fc.option(anySafeInt) }),
  ],
  [
    'recordComposioAction',
    `mutation($g: ID!, $a: String!, $x: String!, $c: Int, $t: DateTime) { recordComposioAction(input: { agentId: $g, appName: $a, actionName: $x, count: $c, occurredAt: $t }) { usageCount } }`,
    fc.record({ g: anyText(130), a: anyText(70), x: anyText(), c: fc.option(anyInt), t: fc.option(anyDate) }),
  ],
  [
    'recordMemory',
    `mutation($g: ID, $c: String!, $i: Float!, $t: String!, $l: String) { recordMemory(input: { agentId: $g, content: $c, importance: $i, memoryType: $t, memoryLevel: $l }) { id } }`,
    fc.record({ g: fc.option(anyText(130)), c: anyText(), i: anyNumber, t: anyText(70), l: fc.option(anyText(70)) }),
  ],
  [
    'setModelPrice',
    `mutation($m: String!, $p: String!, $i: Float!, $o: Float!, $r: Float) { setModelPrice(input: { modelId: $m, provider: $p, inputPerMTok: $i, outputPerMTok: $o, cacheReadPerMTok: $r }) { modelId } }`,
    fc.record({ m: anyText(), p: anyText(), i: anyNumber, o: anyNumber, r: fc.option(anyNumber) }),
  ],
  [
    'setBudget',
    `mutation($a: Float!, $g: ID, $m: String, $t: [Float!]) { setBudget(input: { amount: $a, window: MONTH, agentId: $g, modelId: $m, thresholds: $t }) { id } }`,
    fc.record({ a: anyNumber, g: fc.option(anyText(130)), m: fc.option(anyText()), t: fc.option(fc.array(anyNumber, { maxLength: 12 })) }),
  ],
  ['deleteBudget', `mutation($id: ID!) { deleteBudget(id: $id) }`, fc.record({ id: anyText() })],
  ['setProviderKey', `mutation($p: String!, $k: String!) { setProviderKey(provider: $p, key: $k) { provider } }`, fc.record({ p: anyText(70), k: anyText(300) })],
  ['deleteProviderKey', `mutation($p: String!) { deleteProviderKey(provider: $p) }`, fc.record({ p: anyText(70) })],
  [
    'repriceLlmCalls',
    `mutation($f: DateTime, $t: DateTime, $m: [String!]) { repriceLlmCalls(from: $f, to: $t, modelIds: $m) { updated } }`,
    fc.record({ f: anyDate, t: anyDate, m: fc.option(fc.array(anyText(), { maxLength: 3 })) }),
  ],
  [
    'llmCalls',
    `query($b: ID, $l: Int, $m: [String!], $g: [ID!]) { llmCalls(before: $b, limit: $l, filter: { modelIds: $m, agentIds: $g }) { id } }`,
    fc.record({ b: fc.option(anyText()), l: fc.option(anyInt), m: fc.option(fc.array(anyText(), { maxLength: 3 })), g: fc.option(fc.array(anyText(), { maxLength: 3 })) }),
  ],
  [
    'usageMetrics',
    `query($f: DateTime, $t: DateTime, $z: String, $l: Int, $m: [String!]) { usageMetrics(query: { from: $f, to: $t, timezone: $z, metrics: [REQUESTS, P95_LATENCY_MS], groupBy: [MODEL], bucket: DAY, limit: $l, filter: { modelIds: $m } }) { source } }`,
    fc.record({ f: anyDate, t: anyDate, z: fc.option(anyText()), l: fc.option(anyInt), m: fc.option(fc.array(anyText(), { maxLength: 3 })) }),
  ],
  ['modelPrice', `query($m: String!, $p: String) { modelPrice(modelId: $m, provider: $p) { modelId } }`, fc.record({ m: anyText(), p: fc.option(anyText()) })],
  ['llmModelComparison', `query($m: [String!]!) { llmModelComparison(modelIds: $m, period: LAST_7D) { modelId } }`, fc.record({ m: fc.array(anyText(), { maxLength: 6 }) })],
  ['analyticsChart', `query($q: String) { analyticsChart(query: $q) { title } }`, fc.record({ q: fc.option(anyText(300)) })],
  ['llmDailyCostByModel', `query($z: String) { llmDailyCostByModel(period: LAST_7D, timezone: $z) { models } }`, fc.record({ z: fc.option(anyText()) })],
  ['recentMemories', `query($l: Int) { recentMemories(limit: $l) { id } }`, fc.record({ l: fc.option(anyInt) })],
  ['composioActions', `query($d: Int) { composioActions(days: $d) { actionName } }`, fc.record({ d: fc.option(anyInt) })],
];

describe('fuzzed inputs of the other operations', () => {
  it.each(OPERATIONS)('never make %s fail with a server error', async (name, query, variables) => {
    await fc.assert(
      fc.asyncProperty(variables, async (vars) => {
        expectNoServerError(await server.gql(query, vars), name);
      }),
      { numRuns: 60 },
    );
  });

  it('leave every dashboard query answering afterwards', async () => {
    const result = await server.gql(`{
      llmSummary(period: LAST_7D) { totalRequests totalTokens totalCost }
      llmUsage(period: LAST_7D, groupBy: AGENT) { key requests }
      llmCosts(period: LAST_7D, breakdown: PROVIDER) { key totalCost }
      llmDailyCostByModel(period: LAST_7D) { models }
      llmCostProjections(period: LAST_30D) { projectedMonthlyCost }
      llmRecommendations { id }
      unpricedModels(period: LAST_7D) { key }
      agents { id modelUsageStats { requests totalTokens } }
      budgets { id spent }
      composioApps { appName }
      memoryStats { totalMemories }
      heartbeats { service }
      adminDashboard(period: LAST_7D) { totalCost }
      llmCalls(limit: 500) { id metadata: requestType }
    }`);
    expect(result.errors).toBeUndefined();
  });
});
