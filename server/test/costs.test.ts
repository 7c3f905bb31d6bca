import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

// A hand-made week. Registry prices: gpt-4o $2.50/$10, gpt-4o-mini $0.15/$0.60 per million tokens.
// gpt-4o call: 100k in + 10k out = $0.25 + $0.10 = $0.35; gpt-4o-mini call: 1M in + 100k out = $0.15 + $0.06 = $0.21.
const NOW = new Date('2026-06-15T12:30:00Z');
const gpt4o = (at: string, extra: Record<string, unknown> = {}) =>
  call({ modelId: 'gpt-4o', provider: 'openai', inputTokens: 100_000, outputTokens: 10_000, occurredAt: at, ...extra });
const mini = (at: string, extra: Record<string, unknown> = {}) =>
  call({ modelId: 'gpt-4o-mini', provider: 'openai', inputTokens: 1_000_000, outputTokens: 100_000, occurredAt: at, ...extra });
const WEEK = [
  gpt4o('2026-06-10T10:00:00Z', { agentId: 'support-bot', latencyMs: 1000 }),
  gpt4o('2026-06-10T23:30:00Z', { agentId: 'support-bot', latencyMs: 2000, status: 'ERROR', errorType: 'timeout' }),
  mini('2026-06-11T01:00:00Z', { agentId: 'researcher', latencyMs: 500, isByok: true }),
  mini('2026-06-14T12:00:00Z', { latencyMs: 300 }),
  call({ modelId: 'in-house-7b', provider: 'self-hosted', inputTokens: 1000, outputTokens: 200, latencyMs: 100, occurredAt: '2026-06-14T13:00:00Z' }),
];
const PREVIOUS_WEEK = [gpt4o('2026-06-05T12:00:00Z', { latencyMs: 1000 })];

let server: TestServer;
let key: string;
let emptyKey: string;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
  ({ key } = await server.workspaceWithKey('costs'));
  ({ key: emptyKey } = await server.workspaceWithKey('empty'));
  const other = await server.workspaceWithKey('other');
  const stored = await server.gql(TRACK_MANY, { inputs: [...WEEK, ...PREVIOUS_WEEK] }, { key });
  expect(stored.data!.trackLlmCalls.accepted).toBe(6);
  // Another workspace's spend must never show up in the figures below.
  await server.gql(TRACK_MANY, { inputs: [gpt4o('2026-06-12T09:00:00Z'), mini('2026-06-12T09:00:00Z')] }, { key: other.key });
});
afterAll(() => server.dispose());

describe('llmSummary', () => {
  it('totals the period and compares it with the previous week', async () => {
    const { data } = await server.gql(
      `{ llmSummary(period: LAST_7D) { period totalRequests inputTokens outputTokens totalTokens totalCost avgLatencyMs errorRate
          byokRequests byokSavings unpricedRequests activeAgents topModel
          trends { requestsChangePct tokensChangePct costChangePct latencyChangePct } } }`,
      {},
      { key },
    );
    const s = data!.llmSummary;
    expect(s).toMatchObject({
      period: 'LAST_7D',
      totalRequests: 5,
      inputTokens: 2_201_000,
      outputTokens: 220_200,
      totalTokens: 2_421_200,
      byokRequests: 1,
      unpricedRequests: 1,
      activeAgents: 2,
      topModel: 'gpt-4o',
    });
    expect(s.totalCost).toBeCloseTo(1.12, 10);
    expect(s.byokSavings).toBeCloseTo(0.21, 10);
    expect(s.avgLatencyMs).toBeCloseTo(780, 10);
    expect(s.errorRate).toBeCloseTo(0.2, 10);
    expect(s.trends.requestsChangePct).toBeCloseTo(400, 10);
    expect(s.trends.costChangePct).toBeCloseTo(220, 10);
    expect(s.trends.latencyChangePct).toBeCloseTo(-22, 10);
    expect(s.trends.tokensChangePct).toBeCloseTo(((2_421_200 - 110_000) / 110_000) * 100, 8);
  });

  it('gives null trends, not a division by zero, when the previous period had nothing', async () => {
    // LAST_30D holds all six calls; the thirty days before it hold none.
    const { data } = await server.gql(`{ llmSummary(period: LAST_30D) { totalRequests trends { requestsChangePct costChangePct latencyChangePct } } }`, {}, { key });
    expect(data!.llmSummary.totalRequests).toBe(6);
    expect(data!.llmSummary.trends).toEqual({ requestsChangePct: null, costChangePct: null, latencyChangePct: null });
  });

  it('answers zeros for a workspace with no calls', async () => {
    const { data } = await server.gql(`{ llmSummary(period: LAST_30D) { totalRequests totalCost p95LatencyMs topModel activeAgents } }`, {}, { key: emptyKey });
    expect(data!.llmSummary).toEqual({ totalRequests: 0, totalCost: 0, p95LatencyMs: 0, topModel: null, activeAgents: 0 });
  });
});

describe('llmCosts', () => {
  it('splits cost by model with each share of the total, most expensive first', async () => {
    const { data } = await server.gql(`{ llmCosts(period: LAST_7D, breakdown: MODEL) { key requests inputCost outputCost totalCost share } }`, {}, { key });
    const rows = data!.llmCosts;
    expect(rows.map((r: { key: string }) => r.key)).toEqual(['gpt-4o', 'gpt-4o-mini', 'in-house-7b']);
    expect(rows[0].requests).toBe(2);
    expect(rows[0].inputCost).toBeCloseTo(0.5, 10);
    expect(rows[0].outputCost).toBeCloseTo(0.2, 10);
    expect(rows[0].totalCost).toBeCloseTo(0.7, 10);
    expect(rows[0].share).toBeCloseTo(0.625, 10);
    expect(rows[1].totalCost).toBeCloseTo(0.42, 10);
    expect(rows[1].share).toBeCloseTo(0.375, 10);
    expect(rows[2]).toMatchObject({ totalCost: 0, share: 0 });
  });

  it('splits cost by agent, naming calls without an agent', async () => {
    const { data } = await server.gql(`{ llmCosts(period: LAST_7D, breakdown: AGENT) { key label totalCost } }`, {}, { key });
    const byKey = Object.fromEntries(data!.llmCosts.map((r: { key: string; totalCost: number; label: string }) => [r.key, r]));
    expect(byKey['support-bot'].totalCost).toBeCloseTo(0.7, 10);
    expect(byKey.researcher.totalCost).toBeCloseTo(0.21, 10);
    expect(byKey[''].label).toBe('No agent');
    expect(byKey[''].totalCost).toBeCloseTo(0.21, 10);
  });

  it('splits cost by UTC day', async () => {
    const { data } = await server.gql(`{ llmCosts(period: LAST_7D, breakdown: DAILY) { key totalCost share } }`, {}, { key });
    const byDay = Object.fromEntries(data!.llmCosts.map((r: { key: string; totalCost: number }) => [r.key, r.totalCost]));
    expect(Object.keys(byDay).sort()).toEqual(['2026-06-10', '2026-06-11', '2026-06-14']);
    expect(byDay['2026-06-10']).toBeCloseTo(0.7, 10);
    expect(byDay['2026-06-11']).toBeCloseTo(0.21, 10);
    expect(byDay['2026-06-14']).toBeCloseTo(0.21, 10);
  });
});

describe('llmCostProjections', () => {
  it('averages over the days that had calls, in UTC', async () => {
    const { data } = await server.gql(
      `{ llmCostProjections(period: LAST_7D) { currentPeriodCost daysWithData dailyAverage projectedMonthlyCost previousPeriodCost changePct } }`,
      {},
      { key },
    );
    const p = data!.llmCostProjections;
    expect(p.daysWithData).toBe(3);
    expect(p.currentPeriodCost).toBeCloseTo(1.12, 10);
    expect(p.dailyAverage).toBeCloseTo(1.12 / 3, 10);
    expect(p.projectedMonthlyCost).toBeCloseTo(11.2, 10);
    expect(p.previousPeriodCost).toBeCloseTo(0.35, 10);
    expect(p.changePct).toBeCloseTo(220, 10);
  });

  it('counts days in the requested timezone', async () => {
    const { data } = await server.gql(
      `{ llmCostProjections(period: LAST_7D, timezone: "America/New_York") { daysWithData dailyAverage projectedMonthlyCost } }`,
      {},
      { key },
    );
    // In New York (UTC-4) the 01:00 UTC call of June 11 falls on June 10.
    expect(data!.llmCostProjections.daysWithData).toBe(2);
    expect(data!.llmCostProjections.dailyAverage).toBeCloseTo(0.56, 10);
    expect(data!.llmCostProjections.projectedMonthlyCost).toBeCloseTo(16.8, 10);
  });

  it('answers zeros for no days, without an error', async () => {
    const { data, errors } = await server.gql(`{ llmCostProjections(period: LAST_7D) { daysWithData dailyAverage projectedMonthlyCost changePct } }`, {}, { key: emptyKey });
    expect(errors).toBeUndefined();
    expect(data!.llmCostProjections).toEqual({ daysWithData: 0, dailyAverage: 0, projectedMonthlyCost: 0, changePct: null });
  });

  it('refuses an unknown timezone, naming it', async () => {
    const { errors } = await server.gql(`{ llmCostProjections(period: LAST_7D, timezone: "Mars/Olympus") { daysWithData } }`, {}, { key });
    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0].message).toContain('but got "Mars/Olympus"');
  });
});

describe('llmDailyCostByModel', () => {
  const QUERY = `query Daily($tz: String) { llmDailyCostByModel(period: LAST_7D, timezone: $tz) { models series { date total costs { modelId cost } } } }`;

  it('has every day of the period, zeros included, in UTC', async () => {
    const { data } = await server.gql(QUERY, { tz: 'UTC' }, { key });
    const d = data!.llmDailyCostByModel;
    expect(d.models).toEqual(['gpt-4o', 'gpt-4o-mini', 'in-house-7b']);
    expect(d.series.map((s: { date: string }) => s.date)).toEqual([
      '2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12', '2026-06-13', '2026-06-14', '2026-06-15',
    ]);
    const day = (date: string) => d.series.find((s: { date: string }) => s.date === date);
    expect(day('2026-06-10').total).toBeCloseTo(0.7, 10);
    expect(day('2026-06-11').costs[1]).toEqual({ modelId: 'gpt-4o-mini', cost: expect.closeTo(0.21, 10) });
    expect(day('2026-06-09')).toEqual({ date: '2026-06-09', total: 0, costs: [
      { modelId: 'gpt-4o', cost: 0 }, { modelId: 'gpt-4o-mini', cost: 0 }, { modelId: 'in-house-7b', cost: 0 },
    ] });
  });

  it('moves calls to their local day in another timezone, each day total the sum of its models', async () => {
    const { data } = await server.gql(QUERY, { tz: 'America/New_York' }, { key });
    const series = data!.llmDailyCostByModel.series as { date: string; total: number; costs: { cost: number }[] }[];
    const june10 = series.find((s) => s.date === '2026-06-10')!;
    expect(june10.total).toBeCloseTo(0.91, 10);
    expect(series.find((s) => s.date === '2026-06-11')!.total).toBe(0);
    for (const day of series) expect(day.costs.reduce((sum, c) => sum + c.cost, 0)).toBeCloseTo(day.total, 10);
  });
});

describe('llmModelComparison', () => {
  it('puts registry facts beside usage, and shows a model without calls with zeros', async () => {
    const { data } = await server.gql(
      `{ llmModelComparison(modelIds: ["gpt-4o", "claude-3-5-sonnet"], period: LAST_7D) {
          modelId provider displayName pricing { inputPerMTok outputPerMTok cacheReadPerMTok } contextWindow capabilities
          requests totalTokens totalCost avgCostPerRequest avgLatencyMs errorRate } }`,
      {},
      { key },
    );
    const [gpt, claude] = data!.llmModelComparison;
    expect(gpt).toMatchObject({ modelId: 'gpt-4o', provider: 'openai', requests: 2, totalTokens: 220_000, contextWindow: 128000 });
    expect(gpt.pricing).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 });
    expect(gpt.totalCost).toBeCloseTo(0.7, 10);
    expect(gpt.avgCostPerRequest).toBeCloseTo(0.35, 10);
    expect(gpt.avgLatencyMs).toBeCloseTo(1500, 10);
    expect(gpt.errorRate).toBeCloseTo(0.5, 10);
    expect(gpt.capabilities).toContain('prompt-caching');
    expect(claude).toMatchObject({ modelId: 'claude-3-5-sonnet', provider: 'anthropic', requests: 0, totalCost: 0, avgCostPerRequest: 0, errorRate: 0 });
    expect(claude.pricing).toEqual({ inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3 });
  });

  it.each([
    [[], 0],
    [['a', 'b', 'c', 'd', 'e'], 5],
  ])('refuses %j, saying how many ids arrived', async (modelIds, count) => {
    const { errors } = await server.gql(`query C($ids: [String!]!) { llmModelComparison(modelIds: $ids, period: LAST_7D) { modelId } }`, { ids: modelIds }, { key });
    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0].message).toBe(`modelIds takes 1 to 4 ids, but got ${count}`);
  });
});
