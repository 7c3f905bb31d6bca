import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

// A hand-made fortnight, priced by reportedCost so every dollar is known. Now is Wednesday
// 17 June 2026, 15:30 UTC; the last 7 days are [10 Jun 15:30, 17 Jun 15:30).
const NOW = new Date('2026-06-17T15:30:00Z');
const at = (iso: string, extra: Record<string, unknown>) => call({ occurredAt: iso, ...extra });
const gpt4o = { modelId: 'gpt-4o', provider: 'openai' };
const mini = { modelId: 'gpt-4o-mini', provider: 'openai' };
const sonnet = { modelId: 'claude-sonnet-4-5', provider: 'anthropic' };
const flash = { modelId: 'gemini-2.0-flash', provider: 'google' };
const CALLS = [
  at('2026-06-11T10:00:00Z', { ...gpt4o, agentId: 'support-bot', workflow: 'triage', requestType: 'chat', reportedCost: 4, latencyMs: 1000, inputTokens: 1000, outputTokens: 200 }),
  at('2026-06-12T09:00:00Z', { ...gpt4o, agentId: 'support-bot', workflow: 'triage', requestType: 'chat', reportedCost: 2, latencyMs: 3000, status: 'ERROR', errorType: 'timeout' }),
  at('2026-06-15T12:00:00Z', { ...mini, agentId: 'research-agent', workflow: 'research', requestType: 'workflow', reportedCost: 1, latencyMs: 400, isByok: true }),
  at('2026-06-16T08:00:00Z', { ...sonnet, agentId: 'research-agent', workflow: 'research', requestType: 'workflow', reportedCost: 3, latencyMs: 2000 }),
  at('2026-06-16T20:00:00Z', { ...flash, agentId: 'support-bot', requestType: 'chat', reportedCost: 0.25, latencyMs: 300 }),
  at('2026-06-17T14:00:00Z', { ...sonnet, requestType: 'tool_call', reportedCost: 0.5, latencyMs: 1500 }),
  // earlier this month, and last month
  at('2026-06-01T12:00:00Z', { ...gpt4o, agentId: 'research-agent', requestType: 'workflow', reportedCost: 5, latencyMs: 900 }),
  at('2026-05-20T12:00:00Z', { ...gpt4o, requestType: 'chat', reportedCost: 1, latencyMs: 900 }),
];

const CHART = `query Chart($query: String, $presetId: ID, $chartType: ChartType) {
  analyticsChart(query: $query, presetId: $presetId, chartType: $chartType) {
    title chartType summary interpretedAs explanation
    series { id label metric points { x y } }
  }
}`;
const METRICS = `query Metrics($query: MetricsQueryInput!) {
  usageMetrics(query: $query) { rows { bucket dimensions { dimension value label } values { metric value } } }
}`;

let server: TestServer;
let key: string;
let otherKey: string;
let emptyKey: string;
let newYorkKey: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Chart = { title: string; chartType: string; summary: string; interpretedAs: any; explanation: string; series: { id: string; label: string; metric: string; points: { x: string; y: number }[] }[] };

async function chart(variables: Record<string, unknown>, asKey = key): Promise<Chart> {
  const result = await server.gql(CHART, variables, { key: asKey });
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.analyticsChart;
}

async function chartError(variables: Record<string, unknown>, asKey = key): Promise<{ message: string; code?: string }> {
  const result = await server.gql(CHART, variables, { key: asKey });
  expect(result.errors).toHaveLength(1);
  return { message: result.errors![0].message, code: result.errors![0].extensions?.code };
}

beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
  ({ key } = await server.workspaceWithKey('charts'));
  ({ key: otherKey } = await server.workspaceWithKey('other'));
  ({ key: emptyKey } = await server.workspaceWithKey('empty'));
  const newYork = await server.workspaceWithKey('new york');
  newYorkKey = newYork.key;
  await server.db.platform.query(`UPDATE workspaces SET timezone = 'America/New_York' WHERE id = $1`, [newYork.workspaceId]);

  await server.gql(`mutation { a: upsertAgent(input: { id: "support-bot", name: "Support Bot" }) { id } b: upsertAgent(input: { id: "research-agent", name: "Research Agent" }) { id } }`, {}, { key });
  const stored = await server.gql(TRACK_MANY, { inputs: CALLS }, { key });
  expect(stored.data!.trackLlmCalls.accepted).toBe(CALLS.length);
  // Another workspace's model: never a name this workspace's questions may use.
  await server.gql(TRACK_MANY, { inputs: [at('2026-06-16T10:00:00Z', { modelId: 'secret-model-x', provider: 'secretco', reportedCost: 7 })] }, { key: otherKey });
  // 02:00 UTC on the 17th is still the 16th in New York.
  await server.gql(TRACK_MANY, { inputs: [at('2026-06-17T02:00:00Z', { ...gpt4o, reportedCost: 1 })] }, { key: newYorkKey });
});
afterAll(() => server.dispose());

const points = (c: Chart, series = 0) => c.series[series].points.map((p) => [p.x, p.y]);

describe('analyticsChart from a question', () => {
  it('draws cost by model as bars, costliest first, with the total and the largest share in the summary', async () => {
    const c = await chart({ query: 'cost by model last 7 days' });
    expect(c.chartType).toBe('BAR');
    expect(c.title).toBe('Cost by model, last 7 days');
    expect(c.series).toHaveLength(1);
    expect(c.series[0]).toMatchObject({ id: 'TOTAL_COST', label: 'Cost', metric: 'TOTAL_COST' });
    expect(points(c)).toEqual([
      ['gpt-4o', 6],
      ['claude-sonnet-4-5', 3.5],
      ['gpt-4o-mini', 1],
      ['gemini-2.0-flash', 0.25],
    ]);
    expect(c.summary).toBe('Cost over the last 7 days came to $10.75 in total across 4 models. gpt-4o was the largest at $6.00 (55.8% of the total).');
    expect(c.interpretedAs).toEqual({ period: 'LAST_7D', timezone: 'UTC', metrics: ['TOTAL_COST'], groupBy: ['MODEL'] });
  });

  it('answers "which agent spent the most this month?" with agents by name, most first', async () => {
    const c = await chart({ query: 'Which agent spent the most this month?' });
    expect(points(c)).toEqual([
      ['Research Agent', 9],
      ['Support Bot', 6.25],
      ['No agent', 0.5],
    ]);
    expect(c.interpretedAs).toMatchObject({ from: '2026-06-01T00:00:00.000Z', to: NOW.toISOString(), groupBy: ['AGENT'], orderBy: 'TOTAL_COST', descending: true });
    expect(c.summary).toBe('Cost this month came to $15.75 in total across 3 agents. Research Agent was the largest at $9.00 (57.1% of the total).');
  });

  it('draws a daily line over every day of the range, zeros included, with the trend between its halves', async () => {
    const c = await chart({ query: 'daily spend over the last 7 days' });
    expect(c.chartType).toBe('LINE');
    expect(points(c)).toEqual([
      ['2026-06-10T00:00:00.000Z', 0],
      ['2026-06-11T00:00:00.000Z', 4],
      ['2026-06-12T00:00:00.000Z', 2],
      ['2026-06-13T00:00:00.000Z', 0],
      ['2026-06-14T00:00:00.000Z', 0],
      ['2026-06-15T00:00:00.000Z', 1],
      ['2026-06-16T00:00:00.000Z', 3.25],
      ['2026-06-17T00:00:00.000Z', 0.5],
    ]);
    expect(c.summary).toBe(
      'Cost over the last 7 days came to $10.75 in total. The largest day was Thu 11 Jun at $4.00 (37.2% of the total). ' +
        'Cost fell 21% from the first half of the range ($6.00) to the second ($4.75).',
    );
  });

  it('compares the first and last days of an odd number of them, leaving the middle one out, and says so', async () => {
    const c = await chart({ query: 'daily spend from june 10 to june 16' });
    expect(points(c).map(([, y]) => y)).toEqual([0, 4, 2, 0, 0, 1, 3.25]);
    expect(c.summary).toContain('Cost fell 29% from the first 3 days of the range ($6.00) to the last 3 ($4.25).');
  });

  it('stacks daily cost by model as an area, one series per model in order of cost', async () => {
    const c = await chart({ query: 'daily cost by model over the last 7 days' });
    expect(c.chartType).toBe('AREA');
    expect(c.series.map((s) => s.id)).toEqual(['gpt-4o', 'claude-sonnet-4-5', 'gpt-4o-mini', 'gemini-2.0-flash']);
    expect(c.series[1].points.find((p) => p.x === '2026-06-16T00:00:00.000Z')?.y).toBe(3);
    expect(c.series.every((s) => s.points.length === 8)).toBe(true);
  });

  it('draws a share of requests by provider as a pie', async () => {
    const c = await chart({ query: 'share of requests by provider over the last 7 days' });
    expect(c.chartType).toBe('PIE');
    expect(points(c)).toEqual([
      ['openai', 3],
      ['anthropic', 2],
      ['google', 1],
    ]);
    expect(c.summary).toBe('Requests over the last 7 days came to 6 in total across 3 providers. openai was the largest at 3 requests (50.0% of the total).');
  });

  it('writes latency in ms and names the highest, without a share of a total', async () => {
    const c = await chart({ query: 'average latency per model yesterday' });
    expect(points(c)).toEqual([
      ['claude-sonnet-4-5', 2000],
      ['gemini-2.0-flash', 300],
    ]);
    expect(c.summary).toBe('Average latency yesterday was 1,150 ms over all calls across 2 models. claude-sonnet-4-5 was the highest at 2,000 ms.');
  });

  it('keeps the top N and says how many were left out', async () => {
    const c = await chart({ query: 'top 2 models by cost last 7 days' });
    expect(c.title).toBe('Top 2 models by cost, last 7 days');
    expect(points(c)).toEqual([
      ['gpt-4o', 6],
      ['claude-sonnet-4-5', 3.5],
    ]);
    expect(c.interpretedAs).toMatchObject({ orderBy: 'TOTAL_COST', descending: true, limit: 2 });
    expect(c.summary).toContain('Showing the top 2 of 4 models; 2 more are left out.');
  });

  it('ranks whole groups for "top N" over time, filtering the query to them', async () => {
    const c = await chart({ query: 'top 2 models by cost per day last 7 days' });
    expect(c.series.map((s) => s.id)).toEqual(['gpt-4o', 'claude-sonnet-4-5']);
    expect(c.interpretedAs.filter).toEqual({ modelIds: ['gpt-4o', 'claude-sonnet-4-5'] });
    expect(c.interpretedAs.limit).toBeUndefined();
    expect(c.title).toBe('Top 2 models by daily cost, last 7 days');
    expect(c.summary).toContain('Showing the top 2 of 4 models; 2 more are left out.');
  });

  it('ranks workflows for "top N" over time, filtering the query to them', async () => {
    const c = await chart({ query: 'top 2 workflows by cost per day last 7 days' });
    expect(c.series.map((s) => s.id)).toEqual(['triage', 'research']);
    expect(c.interpretedAs.filter).toEqual({ workflows: ['triage', 'research'] });
    expect(c.series.map((s) => s.points.reduce((sum, p) => sum + p.y, 0))).toEqual([6, 4]);
  });

  it.each([
    ['cost for gpt-4o last 7 days', 6, 'Cost for model gpt-4o, last 7 days'],
    ['what did gtp-4o cost in the last 7 days', 6, 'Cost for model gpt-4o, last 7 days'],
    ['only anthropic requests last 7 days', 2, 'Requests for provider anthropic, last 7 days'],
    ['errors only: cost over the last 7 days', 2, 'Cost (errors only), last 7 days'],
    ['BYOK spend, last 7 days', 1, 'Cost (BYOK only), last 7 days'],
    ['requests for agent support-bot this month', 3, 'Requests for agent Support Bot, this month'],
  ])('filters "%s" to %d', async (query, total, title) => {
    const c = await chart({ query });
    expect(c.series[0].points).toEqual([{ x: c.interpretedAs.period ? 'last 7 days' : 'this month', y: total }]);
    expect(c.title).toBe(title);
  });

  it("reads days in the workspace's timezone, and in another when the question names one", async () => {
    const local = await chart({ query: 'requests yesterday' }, newYorkKey);
    expect(local.interpretedAs).toMatchObject({ timezone: 'America/New_York', from: '2026-06-16T04:00:00.000Z', to: '2026-06-17T04:00:00.000Z' });
    expect(local.series[0].points).toEqual([{ x: 'yesterday', y: 1 }]);
    const utc = await chart({ query: 'requests yesterday in UTC' }, newYorkKey);
    expect(utc.series[0].points).toEqual([]);
    expect(utc.summary).toBe('No calls match this question yesterday. A wider period, such as the last 30 days, may have some.');
  });

  it('says so, and suggests a wider period, when nothing matches', async () => {
    const c = await chart({ query: 'cost by model last 7 days' }, emptyKey);
    expect(c.series[0].points).toEqual([]);
    expect(c.summary).toBe('No calls match this question over the last 7 days. A wider period, such as the last 30 days, may have some.');
  });

  it('names two metrics of one kind once in the title, and the measure with the largest day', async () => {
    const c = await chart({ query: 'daily input and output tokens over the last 7 days' });
    expect(c.title).toBe('Daily input and output tokens, last 7 days');
    expect(c.series.map((s) => s.label)).toEqual(['Input tokens', 'Output tokens']);
    expect(c.summary).toContain('The largest day was Tue 16 Jun at 2.0k input tokens (33.3% of the total).');
  });

  it('says which measure ranks when several are asked for', async () => {
    const c = await chart({ query: 'p50 and p95 latency per model yesterday' });
    expect(c.title).toBe('Median and p95 latency by model, yesterday');
    expect(c.series.map((s) => s.metric)).toEqual(['P50_LATENCY_MS', 'P95_LATENCY_MS']);
    expect(c.summary).toMatch(/^Yesterday across 2 models: median latency [\d,]+ ms and p95 latency [\d,]+ ms\. By median latency, claude-sonnet-4-5 was the highest at [\d,]+ ms\.$/);
  });

  it('draws the type the caller forces', async () => {
    expect((await chart({ query: 'cost by model last 7 days', chartType: 'PIE' })).chartType).toBe('PIE');
  });

  it('explains the query it ran in words', async () => {
    const c = await chart({ query: 'top 2 models by cost last 7 days' });
    expect(c.explanation).toBe('Cost, split by model, over the last 7 days (10 Jun 2026, 15:30 to 17 Jun 2026, 15:30, UTC), largest first, the top 2 models.');
  });
});

describe('interpretedAs', () => {
  it.each([
    'cost by model last 7 days',
    'which agent spent the most this month?',
    'daily cost by model over the last 7 days',
    'p95 latency per model yesterday',
    'top 2 models by cost per day last 7 days',
    'hourly requests today',
    'error rate by provider since 2026-06-01',
  ])('re-runs "%s" through usageMetrics unchanged, to the same numbers', async (query) => {
    const c = await chart({ query });
    const { data, errors } = await server.gql(METRICS, { query: c.interpretedAs }, { key });
    expect(errors).toBeUndefined();
    const rows = data!.usageMetrics.rows as { bucket: string | null; dimensions: { label: string }[]; values: { metric: string; value: number }[] }[];
    const metric = c.interpretedAs.metrics[0];
    const valueOf = (row: (typeof rows)[number]) => row.values.find((v) => v.metric === metric)!.value;
    const drawn = c.series.flatMap((s) => s.points.filter((p) => p.y !== 0).map((p) => ({ series: s.label, x: p.x, y: p.y })));
    const rerun = rows
      .filter((row) => valueOf(row) !== 0)
      .map((row) => {
        const label = row.dimensions.map((d) => d.label).join(' · ');
        if (row.bucket) return { series: c.interpretedAs.groupBy ? label : c.series[0].label, x: row.bucket, y: valueOf(row) };
        return { series: c.series[0].label, x: label || c.series[0].points[0].x, y: valueOf(row) };
      });
    const order = (list: { series: string; x: string; y: number }[]) => [...list].sort((a, b) => `${a.series}|${a.x}`.localeCompare(`${b.series}|${b.x}`));
    expect(rows.length).toBeGreaterThan(0);
    expect(order(drawn)).toEqual(order(rerun));
  });
});

describe('questions it cannot read', () => {
  it('names the part it could not place, what it understood, and offers three examples', async () => {
    const error = await chartError({ query: 'banana cost by model' });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(
      'Could not place "banana" in the question "banana cost by model". Understood so far: cost, by model. ' +
        'Try a question like: "cost by model last 7 days", "p95 latency per model yesterday", "which agent spent the most this month?".',
    );
  });

  it('refuses a question with nothing to measure rather than guessing a chart', async () => {
    const error = await chartError({ query: 'models last week' });
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('Found nothing to measure in the question "models last week"');
  });

  it("does not know another workspace's models", async () => {
    const error = await chartError({ query: 'cost for secret-model-x last 7 days' });
    expect(error.message).toContain('Could not place "secret-model-x" (not a model, provider or agent this workspace has used)');
    const own = await chart({ query: 'cost for secret-model-x last 7 days' }, otherKey);
    expect(own.series[0].points).toEqual([{ x: 'last 7 days', y: 7 }]);
  });

  it('takes exactly one of query and presetId', async () => {
    expect(await chartError({ query: 'cost by model', presetId: 'cost-by-model' })).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'give either query or presetId, but got both',
    });
    expect(await chartError({})).toEqual({ code: 'BAD_USER_INPUT', message: 'give a query (a question in plain words) or a presetId, but got neither' });
  });

  it('names the presets when the id is unknown', async () => {
    const error = await chartError({ presetId: 'cost-by-moon' });
    expect(error.message).toBe(
      'presetId must be one of cost-by-model, tokens-over-time, cost-trend-daily, requests-by-provider, latency-by-model, cost-by-request-type, but got "cost-by-moon"',
    );
  });
});

describe('chartPresets', () => {
  it('lists the six presets with their questions and chart types', async () => {
    const { data } = await server.gql(`{ chartPresets { id title description query chartType } }`, {}, { key });
    expect(data!.chartPresets.map((p: { id: string; chartType: string }) => [p.id, p.chartType])).toEqual([
      ['cost-by-model', 'BAR'],
      ['tokens-over-time', 'LINE'],
      ['cost-trend-daily', 'AREA'],
      ['requests-by-provider', 'PIE'],
      ['latency-by-model', 'BAR'],
      ['cost-by-request-type', 'PIE'],
    ]);
    for (const preset of data!.chartPresets) expect(preset.title && preset.description && preset.query).toBeTruthy();
  });

  it.each(['cost-by-model', 'tokens-over-time', 'cost-trend-daily', 'requests-by-provider', 'latency-by-model', 'cost-by-request-type'])(
    'runs the preset %s as its own question, drawn as its chart type',
    async (presetId) => {
      const { data } = await server.gql(`{ chartPresets { id query chartType } }`, {}, { key });
      const preset = data!.chartPresets.find((p: { id: string }) => p.id === presetId);
      const byPreset = await chart({ presetId });
      const byQuestion = await chart({ query: preset.query, chartType: preset.chartType });
      expect(byPreset.chartType).toBe(preset.chartType);
      expect(byPreset).toEqual(byQuestion);
      expect(byPreset.series.some((s) => s.points.some((p) => p.y > 0))).toBe(true);
    },
  );

  it('splits cost by request type over 30 days as a pie of workflows, chat and tool calls', async () => {
    const c = await chart({ presetId: 'cost-by-request-type' });
    expect(points(c)).toEqual([
      ['workflow', 9],
      ['chat', 7.25],
      ['tool_call', 0.5],
    ]);
  });
});
