import { CALL_BOUNDS } from '../src/ingest/call-bounds';
import { HISTOGRAM_COLUMNS, histogramColumnType, ROLLUP_TABLES } from '../src/ingest/rollup';
import { HISTOGRAM_BUCKETS, HISTOGRAM_RATIO, latencyBucket } from '../src/metrics/latency-histogram';
import { TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

const B = CALL_BOUNDS;
const BATCHES = 3;
const CALLS = BATCHES * 1000;
const ERROR_EVERY = 10;
const MODELS = ['gpt-4o', 'claude-3-5-sonnet-latest'];

/** The largest call the gateway accepts, every figure at its bound. */
function largestCall(i: number, occurredAt: string): Record<string, unknown> {
  return {
    eventId: `largest-${i}`,
    occurredAt,
    modelId: MODELS[i % MODELS.length],
    provider: i % MODELS.length === 0 ? 'openai' : 'anthropic',
    agentId: 'heavy-agent',
    inputTokens: B.maxTokensPerRequest,
    outputTokens: B.maxTokensPerRequest,
    cacheReadTokens: B.maxTokensPerRequest / 2,
    cacheWriteTokens: B.maxTokensPerRequest / 2,
    reasoningTokens: B.maxTokensPerRequest,
    latencyMs: B.maxLatencyMs,
    reportedCost: B.maxReportedCostPerRequest,
    status: i % ERROR_EVERY === 0 ? 'ERROR' : 'SUCCESS',
    errorType: i % ERROR_EVERY === 0 ? 'timeout' : null,
    requestType: 'chat',
  };
}

// The hand computation, from the calls above.
const TOKENS_PER_CALL = 2 * B.maxTokensPerRequest;
const EXPECTED = {
  requests: CALLS,
  inputTokens: CALLS * B.maxTokensPerRequest,
  outputTokens: CALLS * B.maxTokensPerRequest,
  totalTokens: CALLS * TOKENS_PER_CALL,
  totalCost: CALLS * B.maxReportedCostPerRequest,
  errorRate: 1 / ERROR_EVERY,
  perModelRequests: CALLS / MODELS.length,
};
const errorsOf = (modelIndex: number): number =>
  Array.from({ length: CALLS }, (_, i) => i).filter((i) => i % ERROR_EVERY === 0 && i % MODELS.length === modelIndex).length;

let server: TestServer;
let key: string;
beforeAll(async () => {
  // Rollups wherever a range allows: the test reads the rollups' sums and histograms at their bounds,
  // which the engine would otherwise skip for raw rows (3,000 calls in one hour are cheaper raw).
  server = await startTestServer({ env: { LIMIT_INGEST_CALLS_PER_SECOND: '0', LIMIT_REQUESTS_PER_SECOND: '0', METRICS_SOURCES: 'rollup' } });
  ({ key } = await server.workspaceWithKey('largest-values'));
  // All in one hour, so every call lands on the same rollup rows: the rows that would overflow first.
  const occurredAt = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000).toISOString();
  for (let batch = 0; batch < BATCHES; batch++) {
    const inputs = Array.from({ length: 1000 }, (_, j) => largestCall(batch * 1000 + j, occurredAt));
    const result = await server.gql(TRACK_MANY, { inputs }, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.trackLlmCalls).toEqual({ accepted: 1000, duplicates: 0, rejected: [] });
  }
}, 120_000);
afterAll(() => server.dispose());

const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const result = await server.gql(query, variables, { key });
  expect(result.errors).toBeUndefined();
  return result.data!;
};

describe(`${CALLS} calls at every bound, in one hour`, () => {
  it.each(['LAST_24H', 'LAST_7D', 'LAST_90D'])('give llmSummary over %s the hand-computed figures', async (period) => {
    const { llmSummary } = await ask(
      `query($p: Period!) { llmSummary(period: $p) { totalRequests inputTokens outputTokens totalTokens totalCost avgLatencyMs errorRate activeAgents topModel } }`,
      { p: period },
    );
    expect(llmSummary).toMatchObject({
      totalRequests: EXPECTED.requests,
      inputTokens: EXPECTED.inputTokens,
      outputTokens: EXPECTED.outputTokens,
      totalTokens: EXPECTED.totalTokens,
      totalCost: EXPECTED.totalCost,
      avgLatencyMs: B.maxLatencyMs,
      activeAgents: 1,
    });
    expect(llmSummary.errorRate).toBeCloseTo(EXPECTED.errorRate, 10);
  });

  it('give llmUsage and llmCosts each model its half', async () => {
    const { llmUsage, llmCosts } = await ask(`{
      llmUsage(period: LAST_7D, groupBy: MODEL) { key requests totalTokens totalCost avgLatencyMs errorCount }
      llmCosts(period: LAST_7D, breakdown: MODEL) { key requests totalCost share }
    }`);
    for (const [index, modelId] of MODELS.entries()) {
      expect(llmUsage.find((g: { key: string }) => g.key === modelId)).toEqual({
        key: modelId,
        requests: EXPECTED.perModelRequests,
        totalTokens: EXPECTED.perModelRequests * TOKENS_PER_CALL,
        totalCost: EXPECTED.perModelRequests * B.maxReportedCostPerRequest,
        avgLatencyMs: B.maxLatencyMs,
        errorCount: errorsOf(index),
      });
      expect(llmCosts.find((c: { key: string }) => c.key === modelId)).toEqual({
        key: modelId,
        requests: EXPECTED.perModelRequests,
        totalCost: EXPECTED.perModelRequests * B.maxReportedCostPerRequest,
        share: 0.5,
      });
    }
  });

  it("give the agent's lifetime totals the hand-computed figures", async () => {
    const { agents } = await ask(`{ agents { id modelUsageStats { modelId requests totalTokens totalCost avgLatencyMs } } }`);
    expect(agents).toHaveLength(1);
    expect(agents[0].modelUsageStats).toEqual(
      expect.arrayContaining(
        MODELS.map((modelId) => ({
          modelId,
          requests: EXPECTED.perModelRequests,
          totalTokens: EXPECTED.perModelRequests * TOKENS_PER_CALL,
          totalCost: EXPECTED.perModelRequests * B.maxReportedCostPerRequest,
          avgLatencyMs: B.maxLatencyMs,
        })),
      ),
    );
  });

  it("give percentiles from the rollup histograms as the histogram's top bucket, the latencies being above its range", async () => {
    const { usageMetrics } = await ask(`{
      usageMetrics(query: { period: LAST_7D, metrics: [P95_LATENCY_MS, REQUESTS, TOTAL_TOKENS], bucket: DAY }) {
        source rows { values { metric value } }
      }
    }`);
    expect(usageMetrics.source).toBe('ROLLUP');
    const values = Object.fromEntries(
      usageMetrics.rows.flatMap((r: { values: { metric: string; value: number }[] }) => r.values.map((v) => [v.metric, v.value])),
    );
    expect(values.REQUESTS).toBe(EXPECTED.requests);
    expect(values.TOTAL_TOKENS).toBe(EXPECTED.totalTokens);
    // The last bucket holds everything from 1.1^159 ms (about 63 minutes) up; it stands for its lower edge.
    expect(values.P95_LATENCY_MS).toBeCloseTo(Math.pow(HISTOGRAM_RATIO, HISTOGRAM_BUCKETS - 2), 3);
  });

  it('leave every other dashboard query answering', async () => {
    const data = await ask(`{
      llmDailyCostByModel(period: LAST_7D) { models series { date costs { modelId cost } } }
      llmCostProjections(period: LAST_30D) { currentPeriodCost projectedMonthlyCost }
      llmModelComparison(modelIds: ["gpt-4o", "claude-3-5-sonnet-latest"], period: LAST_7D) { modelId requests totalTokens totalCost }
      llmRecommendations { id }
      unpricedModels(period: LAST_7D) { key }
      llmCalls(limit: 500) { totalTokens totalCost latencyMs }
      chartPresets { id }
    }`);
    const daily = data.llmDailyCostByModel.series.flatMap((d: { costs: { cost: number }[] }) => d.costs.map((c) => c.cost));
    expect(daily.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(EXPECTED.totalCost, 6);
    expect(data.llmCostProjections.currentPeriodCost).toBe(EXPECTED.totalCost);
    expect(data.llmModelComparison.map((m: { requests: number }) => m.requests)).toEqual([EXPECTED.perModelRequests, EXPECTED.perModelRequests]);
    expect(data.unpricedModels).toEqual([]);
    expect(data.llmCalls).toHaveLength(500);
    expect(data.llmCalls[0]).toEqual({ totalTokens: TOKENS_PER_CALL, totalCost: B.maxReportedCostPerRequest, latencyMs: B.maxLatencyMs });
    for (const { id } of data.chartPresets) {
      const chart = await server.gql(`query($id: ID) { analyticsChart(presetId: $id) { title summary } }`, { id }, { key });
      expect(chart.errors).toBeUndefined();
    }
  });

  it("leave the admin's views answering with the workspace's figures", async () => {
    const { adminDashboard, adminCostAnalytics } = await server.gql(`{
      adminDashboard(period: LAST_7D) { totalCost totalTokens apiRequests }
      adminCostAnalytics(period: LAST_7D) { totalCost }
    }`).then((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!;
    });
    expect(adminDashboard.totalCost).toBeGreaterThanOrEqual(EXPECTED.totalCost);
    expect(adminDashboard.totalTokens).toBeGreaterThanOrEqual(EXPECTED.totalTokens);
    expect(adminCostAnalytics.totalCost).toBeGreaterThanOrEqual(EXPECTED.totalCost);
  });
});

describe('counters past the widths they had', () => {
  const BIGINT_MAX = '9223372036854775807';
  const INTEGER_MAX = '2147483647';
  const TOP_BUCKET = HISTOGRAM_COLUMNS[latencyBucket(B.maxLatencyMs)];

  it("keep counting a day's histogram past integer and an agent's lifetime totals past bigint", async () => {
    const own = await server.workspaceWithKey('past-bigint');
    const day = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 3 * 86_400_000);
    const one = { ...largestCall(1, day.toISOString()), eventId: 'past-bigint-1' };
    expect((await server.gql(TRACK_MANY, { inputs: [one] }, { key: own.key })).data!.trackLlmCalls.accepted).toBe(1);
    // Each daily rollup now holds one row for this workspace: fill its call's bucket to integer's largest value.
    const daily = ROLLUP_TABLES.filter((t) => histogramColumnType(t) === 'bigint');
    expect(daily).toEqual(['llm_usage_daily', 'llm_usage_daily_compact', 'llm_usage_daily_model', 'llm_usage_daily_workflow', 'llm_usage_daily_user', 'llm_usage_daily_tag']);
    // The user rollup keeps its histogram as one sparse object.
    const sparseTop = `'${HISTOGRAM_COLUMNS.indexOf(TOP_BUCKET)}'`;
    const top = (table: string) => (table === 'llm_usage_daily_user' ? `(latency_histogram ->> ${sparseTop})` : TOP_BUCKET);
    for (const table of daily) {
      const set = table === 'llm_usage_daily_user' ? `latency_histogram = latency_histogram || jsonb_build_object(${sparseTop}, $2::bigint)` : `${TOP_BUCKET} = $2`;
      await server.db.platform.query(`UPDATE ${table} SET ${set} WHERE workspace_id = $1`, [own.workspaceId, INTEGER_MAX]);
    }
    await server.db.platform.query(
      `UPDATE agents SET model_usage_stats = jsonb_set(jsonb_set(model_usage_stats, $3::text[], $2::jsonb), $4::text[], $2::jsonb) WHERE workspace_id = $1`,
      [own.workspaceId, BIGINT_MAX, [MODELS[1], 'totalTokens'], [MODELS[1], 'requests']],
    );

    const result = await server.gql(TRACK_MANY, { inputs: [{ ...one, eventId: 'past-bigint-2' }] }, { key: own.key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.trackLlmCalls.accepted).toBe(1);

    for (const table of daily) {
      const rows: { top: string }[] = await server.db.platform.query(`SELECT ${top(table)}::text AS top FROM ${table} WHERE workspace_id = $1`, [
        own.workspaceId,
      ]);
      expect({ table, rows }).toEqual({ table, rows: [{ top: (BigInt(INTEGER_MAX) + 1n).toString() }] });
    }
    const [agent]: { tokens: string; requests: string }[] = await server.db.platform.query(
      `SELECT model_usage_stats -> $2 ->> 'totalTokens' AS tokens, model_usage_stats -> $2 ->> 'requests' AS requests FROM agents WHERE workspace_id = $1`,
      [own.workspaceId, MODELS[1]],
    );
    expect(agent).toEqual({
      tokens: (BigInt(BIGINT_MAX) + BigInt(TOKENS_PER_CALL)).toString(),
      requests: (BigInt(BIGINT_MAX) + 1n).toString(),
    });
  });
});
