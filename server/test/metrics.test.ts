import fc from 'fast-check';
import { ingestCalls } from '../src/ingest/ingest.service';
import { narrowestRollup, ROLLUP_TABLES } from '../src/ingest/rollup';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { METRICS, type Dimension, type Metric, type MetricsQuery, type TimeBucket, type UsageFilterValues } from '../src/metrics/metrics.model';
import { runMetrics, runMetricsSets, type GroupingSet, type SourcePolicy } from '../src/metrics/metrics.service';
import { planSources } from '../src/metrics/source-plan';
import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The server's clock: every hand-made call lies before it, and periods end at it. */
const NOW = new Date('2026-07-01T12:00:00Z');

let server: TestServer;
beforeAll(async () => {
  // The hand-made cases hold a few calls each: by cost they would read raw rows, and the rollups go untested.
  // The property tests name their policy.
  server = await startTestServer({ now: () => NOW, env: { METRICS_SOURCES: 'rollup' } });
});
afterAll(() => server.dispose());

// ---------------------------------------------------------------------------------------------
// Rollups against raw rows, on random data
// ---------------------------------------------------------------------------------------------

/** Ten days that hold Europe's (Oct 25) and America's (Nov 1) change back from summer time. */
const WINDOW_START = Date.parse('2026-10-24T00:00:00Z');
const WINDOW_MS = 10 * DAY;
const INGEST_NOW = new Date('2026-11-20T00:00:00Z');

const MODELS: [string, string][] = [
  ['gpt-4o', 'openai'],
  ['gpt-4o-mini', 'openai'],
  ['claude-3-5-sonnet-20241022', 'anthropic'],
  ['in-house-7b', 'self-hosted'],
];
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'];
const DIMENSIONS_IN_ONE_WORKSPACE: Dimension[] = ['MODEL', 'PROVIDER', 'AGENT', 'TIER', 'IS_BYOK', 'REQUEST_TYPE', 'STATUS', 'WORKSPACE', 'WORKFLOW', 'USER', 'TAG'];
const FILTERS: (UsageFilterValues | null)[] = [
  null,
  { modelIds: ['gpt-4o', 'in-house-7b'] },
  { providers: ['openai'] },
  { agentIds: ['planner', 'critic'] },
  { agentIds: [''] }, // "No agent", as AGENT groupings name it
  { tiers: ['free'] },
  { tiers: [''] },
  { requestTypes: ['embedding'] },
  { workflows: ['triage'] },
  { workflows: [''] }, // "No workflow"
  { workflows: ['triage', 'nightly report'], status: 'ERROR' },
  { isByok: true },
  { status: 'ERROR' },
  { modelIds: ['gpt-4o'], isByok: false, status: 'SUCCESS' },
  { userIds: ['ada', 'grace'] },
  { userIds: [''] }, // "No user"
  { tags: ['prod'] },
  { tags: ['prod', 'beta'] },
  { metadata: [{ key: 'feature', value: 'search' }] },
  { metadata: [{ key: 'plan', value: '3' }, { key: 'internal', value: 'true' }] },
  { userIds: ['ada'], tags: ['beta'], status: 'SUCCESS' },
];

/** An instant in the window: anywhere, on an hour, or a millisecond before one. */
const instantInWindow = fc.oneof(
  fc.integer({ min: 0, max: WINDOW_MS - 1 }),
  fc.integer({ min: 0, max: WINDOW_MS / HOUR - 1 }).map((h) => h * HOUR),
  fc.integer({ min: 1, max: WINDOW_MS / HOUR - 1 }).map((h) => h * HOUR - 1),
);

const randomCall: fc.Arbitrary<LlmCallInputValues> = fc
  .record({
    model: fc.constantFrom(...MODELS),
    agentId: fc.constantFrom(null, 'planner', 'writer', 'critic'),
    tier: fc.constantFrom(null, 'free', 'pro'),
    workflow: fc.constantFrom(null, 'triage', 'nightly report'),
    userId: fc.constantFrom(null, 'ada', 'grace', 'linus', 'user "quoted"'),
    tags: fc.subarray(['prod', 'beta', 'eu', 'a,b'], { maxLength: 3 }),
    metadata: fc.constantFrom(null, { feature: 'search' }, { feature: 'chat', plan: 3 }, { plan: 3, internal: true }, { plan: '3', feature: 'search', internal: 'true' }),
    isByok: fc.boolean(),
    status: fc.constantFrom('SUCCESS' as const, 'ERROR' as const),
    requestType: fc.constantFrom('chat', 'completion', 'embedding'),
    latencyMs: fc.integer({ min: 50, max: 20_000 }),
    inputTokens: fc.integer({ min: 0, max: 200_000 }),
    cacheShare: fc.double({ min: 0, max: 1, noNaN: true }),
    outputTokens: fc.integer({ min: 0, max: 20_000 }),
    reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
    reportedCost: fc.option(fc.integer({ min: 0, max: 5_000_000_000 }).map((nanos) => nanos / 1e9), { freq: 4 }),
    at: instantInWindow,
  })
  .map((r) => {
    const cacheRead = Math.floor(r.inputTokens * r.cacheShare * 0.6);
    return {
      modelId: r.model[0],
      provider: r.model[1],
      agentId: r.agentId,
      tier: r.tier,
      workflow: r.workflow,
      userId: r.userId,
      tags: r.tags,
      metadata: r.metadata,
      isByok: r.isByok,
      status: r.status,
      requestType: r.requestType,
      latencyMs: r.latencyMs,
      inputTokens: r.inputTokens,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: Math.floor((r.inputTokens - cacheRead) * r.cacheShare * 0.3),
      outputTokens: r.outputTokens,
      reasoningTokens: Math.floor(r.outputTokens * r.reasoningShare),
      reportedCost: r.reportedCost,
      occurredAt: new Date(WINDOW_START + r.at),
    };
  });

const randomQuery: fc.Arbitrary<MetricsQuery> = fc
  .record({
    from: fc.oneof(
      fc.integer({ min: -DAY, max: WINDOW_MS - DAY }),
      fc.integer({ min: -24, max: WINDOW_MS / HOUR - 24 }).map((h) => h * HOUR),
      fc.integer({ min: -1, max: 9 }).map((d) => d * DAY),
    ),
    length: fc.oneof(fc.integer({ min: DAY, max: 12 * DAY }), fc.integer({ min: 24, max: 12 * 24 }).map((h) => h * HOUR)),
    timezone: fc.constantFrom(...ZONES),
    groupBy: fc.subarray(DIMENSIONS_IN_ONE_WORKSPACE, { maxLength: 2 }),
    bucket: fc.constantFrom<TimeBucket | null>(null, 'HOUR', 'DAY', 'WEEK', 'MONTH'),
    filter: fc.constantFrom(...FILTERS),
  })
  .map((q) => ({
    range: { from: new Date(WINDOW_START + q.from), to: new Date(WINDOW_START + q.from + q.length) },
    timezone: q.timezone,
    metrics: [...METRICS],
    groupBy: q.groupBy,
    bucket: q.bucket,
    filter: q.filter,
  }));

/** The workflow rollups keep workflow and status alone: a query that needs the workflow and any other key reads raw rows. */
function workflowBesideOtherKeys(query: MetricsQuery): boolean {
  const f = query.filter;
  const others = [
    ...query.groupBy.filter((d) => d !== 'WORKFLOW' && d !== 'WORKSPACE' && d !== 'STATUS'),
    ...(f ? Object.entries(f).filter(([k, v]) => k !== 'workflows' && k !== 'status' && v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0)) : []),
  ];
  const workflow = query.groupBy.includes('WORKFLOW') || (f?.workflows?.length ?? 0) > 0;
  return workflow && others.length > 0;
}

const BY_HAND_DIMENSION: Record<Dimension, string> = {
  MODEL: 'model_id',
  PROVIDER: 'provider',
  AGENT: "coalesce(agent_id, '')",
  TIER: "coalesce(tier, '')",
  IS_BYOK: 'is_byok::text',
  REQUEST_TYPE: 'request_type',
  STATUS: 'status',
  WORKSPACE: 'workspace_id::text',
  WORKFLOW: "coalesce(workflow, '')",
  USER: "coalesce(user_id, '')",
  TAG: 'tag',
};

type Figures = Record<Metric, number>;

/**
 * The query computed by hand over raw rows only (llm_usage): the reference the engine's
 * rollup plan must agree with. Buckets use PostgreSQL's three-argument date_trunc.
 */
async function byHand(workspaceId: string, query: MetricsQuery): Promise<Map<string, Figures>> {
  const params: unknown[] = [workspaceId, query.range.from.toISOString(), query.range.to.toISOString()];
  const add = (value: unknown): string => `$${params.push(value)}`;
  const where = ['workspace_id = $1', 'occurred_at >= $2::timestamptz', 'occurred_at < $3::timestamptz'];
  const f = query.filter;
  if (f?.modelIds) where.push(`model_id = ANY(${add(f.modelIds)}::text[])`);
  if (f?.providers) where.push(`provider = ANY(${add(f.providers)}::text[])`);
  if (f?.agentIds) where.push(`coalesce(agent_id, '') = ANY(${add(f.agentIds)}::text[])`);
  if (f?.tiers) where.push(`coalesce(tier, '') = ANY(${add(f.tiers)}::text[])`);
  if (f?.requestTypes) where.push(`request_type = ANY(${add(f.requestTypes)}::text[])`);
  if (f?.workflows) where.push(`coalesce(workflow, '') = ANY(${add(f.workflows)}::text[])`);
  if (f?.isByok !== undefined && f?.isByok !== null) where.push(`is_byok = ${add(f.isByok)}`);
  if (f?.status) where.push(`status = ${add(f.status)}`);
  if (f?.userIds) where.push(`coalesce(user_id, '') = ANY(${add(f.userIds)}::text[])`);
  for (const tag of f?.tags ?? []) where.push(`${add(tag)} = ANY(tags)`);
  for (const pair of f?.metadata ?? []) {
    where.push(`jsonb_typeof(metadata -> ${add(pair.key)}) IN ('string', 'number', 'boolean') AND metadata ->> ${add(pair.key)} = ${add(pair.value)}`);
  }
  // A call counts once under each of its tags, a call without tags under ''.
  const from = query.groupBy.includes('TAG') ? `llm_usage, unnest(CASE WHEN cardinality(tags) = 0 THEN ARRAY[''] ELSE tags END) AS t(tag)` : 'llm_usage';
  const keys = [
    query.bucket ? `date_trunc('${query.bucket.toLowerCase()}', occurred_at, ${add(query.timezone)})` : 'NULL::timestamptz',
    ...query.groupBy.map((d) => BY_HAND_DIMENSION[d]),
  ];
  const rows: Record<string, string | Date | null>[] = await server.db.platform.query(
    `SELECT ${keys.map((k, i) => `${k} AS k${i}`).join(', ')},
       count(*)::text AS requests, sum(input_tokens)::text AS input_tokens, sum(output_tokens)::text AS output_tokens,
       sum(cache_read_tokens)::text AS cache_read, sum(cache_write_tokens)::text AS cache_write, sum(reasoning_tokens)::text AS reasoning,
       sum(input_cost)::text AS input_cost, sum(output_cost)::text AS output_cost, sum(total_cost)::text AS total_cost,
       count(*) FILTER (WHERE status = 'ERROR')::text AS errors, count(*) FILTER (WHERE NOT priced)::text AS unpriced,
       sum(latency_ms)::text AS latency_sum, count(latency_ms)::text AS latency_count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99
     FROM ${from} WHERE ${where.join(' AND ')} GROUP BY ${keys.map((_, i) => i + 1).join(', ')}`,
    params,
  );
  const figures = new Map<string, Figures>();
  if (!query.bucket && query.groupBy.length === 0 && rows.length === 0) {
    // An ungrouped total is one row even over nothing: every figure 0, no division by zero.
    figures.set(rowKey(null, []), Object.fromEntries(METRICS.map((m) => [m, 0])) as Figures);
  }
  for (const row of rows) {
    const n = (column: string): number => Number(row[column]);
    const bucket = row.k0 instanceof Date ? row.k0 : null;
    figures.set(rowKey(bucket, query.groupBy.map((_, i) => String(row[`k${i + 1}`]))), {
      REQUESTS: n('requests'),
      INPUT_TOKENS: n('input_tokens'),
      OUTPUT_TOKENS: n('output_tokens'),
      TOTAL_TOKENS: n('input_tokens') + n('output_tokens'),
      CACHE_READ_TOKENS: n('cache_read'),
      CACHE_WRITE_TOKENS: n('cache_write'),
      REASONING_TOKENS: n('reasoning'),
      INPUT_COST: n('input_cost'),
      OUTPUT_COST: n('output_cost'),
      TOTAL_COST: n('total_cost'),
      AVG_LATENCY_MS: n('latency_sum') / n('latency_count'),
      P50_LATENCY_MS: n('p50'),
      P95_LATENCY_MS: n('p95'),
      P99_LATENCY_MS: n('p99'),
      ERROR_COUNT: n('errors'),
      ERROR_RATE: n('errors') / n('requests'),
      UNPRICED_REQUESTS: n('unpriced'),
    });
  }
  return figures;
}

const rowKey = (bucket: Date | null, dimensions: string[]): string => JSON.stringify([bucket?.toISOString() ?? null, ...dimensions]);

const PERCENTILES = new Set<Metric>(['P50_LATENCY_MS', 'P95_LATENCY_MS', 'P99_LATENCY_MS']);
const WITHOUT_STATUS = METRICS.filter((m) => m !== 'ERROR_COUNT' && m !== 'ERROR_RATE');
const MONEY = new Set<Metric>(['INPUT_COST', 'OUTPUT_COST', 'TOTAL_COST']);
const RATIOS = new Set<Metric>(['AVG_LATENCY_MS', 'ERROR_RATE']);

/** Every difference between the engine's figures and the hand-computed ones, described. */
function differences(engine: Map<string, Figures>, reference: Map<string, Figures>, exactPercentiles: boolean, metrics: readonly Metric[]): string[] {
  const found: string[] = [];
  for (const key of new Set([...engine.keys(), ...reference.keys()])) {
    const got = engine.get(key);
    const want = reference.get(key);
    if (!got || !want) {
      found.push(`${key}: ${got ? 'only the engine has this row' : 'the engine misses this row'}`);
      continue;
    }
    for (const metric of metrics) {
      const [g, w] = [got[metric], want[metric]];
      const ok = PERCENTILES.has(metric)
        ? exactPercentiles
          ? Math.abs(g - w) <= 1e-9 * Math.max(1, w)
          : Math.abs(g - w) <= 0.05 * w
        : MONEY.has(metric)
          ? Math.abs(g - w) <= 1e-9
          : RATIOS.has(metric)
            ? Math.abs(g - w) <= 1e-12 * Math.max(1, w)
            : g === w;
      if (!ok) found.push(`${key} ${metric}: engine ${g}, raw rows ${w}`);
    }
  }
  return found;
}

/** Zones whose local hours start on UTC hours throughout the window (Kolkata's do not). */
const WHOLE_HOUR_ZONES = new Set(['UTC', 'America/New_York', 'Europe/Berlin']);

/** A query by user or tag, or filtered by them or by metadata: rollups answer only some of these (by user or one tag, over whole days). */
const attributed = (query: MetricsQuery): boolean =>
  query.groupBy.includes('USER') || query.groupBy.includes('TAG') || !!query.filter?.userIds || !!query.filter?.tags || !!query.filter?.metadata;

/** Sources the engine read, counted over a property's runs. */
type SourceCounts = Record<'RAW' | 'ROLLUP', number>;

/**
 * Ingests the calls into a new workspace and checks every query (and a few of its own that cut
 * rollup hours) against raw rows. With policy ROLLUP the engine must read rollups wherever the
 * range allows; by cost it may read either, after ANALYZE has told the planner about the data.
 */
async function agreesWithRawRows(calls: LlmCallInputValues[], queries: MetricsQuery[], policy: SourcePolicy, sources: SourceCounts): Promise<void> {
  const { workspaceId } = await server.workspaceWithKey('random-data');
  const outcome = await ingestCalls(server.db.dataSource, workspaceId, calls, INGEST_NOW);
  expect(outcome.rejected).toEqual([]);
  if (policy === 'BY_COST') await server.db.dataSource.query(`ANALYZE llm_usage, ${ROLLUP_TABLES.join(', ')}`);
  // The whole window from an odd instant, ungrouped in UTC: raw edges, hourly and daily rollups all take part.
  const wholeWindow: MetricsQuery = {
    range: { from: new Date(WINDOW_START - 37 * 60_000 - 12_345), to: new Date(WINDOW_START + WINDOW_MS + 3_333) },
    timezone: 'UTC',
    metrics: [...METRICS],
    groupBy: [],
  };
  // Ranges that start just after a call early in its hour, or end at a call late in its hour:
  // those hours come from the rollup less the calls outside the range.
  const times = calls.map((c) => c.occurredAt!.getTime()).sort((a, b) => a - b);
  const early = times.find((t) => t % HOUR < HOUR / 2 - 1);
  const late = times.findLast((t) => t % HOUR > HOUR / 2);
  const cutRanges = [
    ...(early !== undefined ? [{ from: new Date(early + 1), to: new Date(WINDOW_START + WINDOW_MS + 3_333) }] : []),
    ...(late !== undefined ? [{ from: new Date(WINDOW_START - 37 * 60_000), to: new Date(late) }] : []),
  ].filter((range) => range.to.getTime() - range.from.getTime() >= DAY);
  const cutQueries = cutRanges.flatMap((range): MetricsQuery[] => [
    { range, timezone: 'UTC', metrics: [...METRICS], groupBy: [] },
    { range, timezone: 'UTC', metrics: [...METRICS], groupBy: ['MODEL', 'AGENT'], bucket: 'HOUR' },
  ]);
  // Every query twice: with every metric, and without the error metrics (which need the
  // status), so the rollups without a status column take part too.
  const asked = [wholeWindow, ...cutQueries, ...queries].flatMap((query) => [query, { ...query, metrics: WITHOUT_STATUS }]);
  for (const query of asked) {
    const scope = { kind: 'workspace' as const, workspaceId };
    const result = await runMetrics(server.db.platform, scope, query, policy);
    const rawOnly = (query.bucket && !WHOLE_HOUR_ZONES.has(query.timezone)) || workflowBesideOtherKeys(query);
    if (rawOnly && result.source !== 'RAW') throw new Error(`expected raw rows only, got ${result.source} for ${JSON.stringify(query)}`);
    if (policy === 'ROLLUP' && !rawOnly && !attributed(query) && result.source !== 'ROLLUP') throw new Error(`expected rollups, got ${result.source} for ${JSON.stringify(query)}`);
    if (!rawOnly) sources[result.source]++;
    const engine = new Map(result.rows.map((r) => [rowKey(r.bucket, r.dimensions.map((d) => d.value)), r.values]));
    const found = differences(engine, await byHand(workspaceId, query), result.source === 'RAW', query.metrics);
    if (found.length > 0) throw new Error(`${JSON.stringify(query)} (${result.source})\n${found.slice(0, 10).join('\n')}`);
    // The first rows by a sum, cut to a limit inside PostgreSQL, are the first rows of the whole answer.
    for (const orderBy of ['TOTAL_COST', 'REQUESTS'] as const) {
      const limited = { ...query, orderBy, limit: 3 };
      const [whole, top] = await Promise.all([runMetrics(server.db.platform, scope, { ...limited, limit: null }, policy), runMetrics(server.db.platform, scope, limited, policy)]);
      expect(top.rows).toEqual(whole.rows.slice(0, 3));
    }
  }
  // The first random query and the queries over cut hours in one pass as grouping sets (all
  // their keys, each dimension alone, none): each set gives what its own query gives on raw rows.
  for (const query of [...queries.slice(0, 1), ...cutQueries].filter((q) => q.groupBy.length > 0)) {
    const candidates: GroupingSet[] = [{ groupBy: query.groupBy, bucket: true }, ...query.groupBy.map((d) => ({ groupBy: [d] })), { groupBy: [] }];
    const sets = candidates.filter((set, i) => candidates.findIndex((other) => JSON.stringify(other) === JSON.stringify(set)) === i);
    const outcomes = await runMetricsSets(server.db.platform, { kind: 'workspace', workspaceId }, query, sets, policy);
    for (const [i, set] of sets.entries()) {
      const setQuery = { ...query, groupBy: set.groupBy, bucket: set.bucket ? query.bucket : null };
      const result = outcomes[i];
      const engine = new Map(result.rows.map((r) => [rowKey(r.bucket, r.dimensions.map((d) => d.value)), r.values]));
      const found = differences(engine, await byHand(workspaceId, setQuery), result.source === 'RAW', query.metrics);
      if (found.length > 0) throw new Error(`set ${JSON.stringify(set)} of ${JSON.stringify(query)} (${result.source})\n${found.slice(0, 10).join('\n')}`);
    }
  }
}

/**
 * Dense data: many calls in six hours of one day, from two models, so each rollup row holds
 * dozens of calls (sparse data, `randomCall`, spreads a few hundred over ten days and every key).
 */
const denseCall: fc.Arbitrary<LlmCallInputValues> = fc
  .tuple(randomCall, fc.integer({ min: 0, max: 6 * HOUR - 1 }), fc.integer({ min: 0, max: 1 }))
  .map(([c, at, model]) => ({
    ...c,
    modelId: MODELS[model][0],
    provider: MODELS[model][1],
    agentId: null,
    tier: null,
    isByok: false,
    requestType: 'chat',
    occurredAt: new Date(WINDOW_START + 3 * DAY + 9 * HOUR + at),
  }));

describe('the metrics engine on random data', () => {
  it('reading rollups wherever it can, agrees with raw rows on every metric: sums exactly, money to 1e-9, percentiles within 5%', async () => {
    const sources: SourceCounts = { RAW: 0, ROLLUP: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(randomCall, { minLength: 1, maxLength: 250 }), fc.array(randomQuery, { minLength: 3, maxLength: 3 }), (calls, queries) =>
        agreesWithRawRows(calls, queries, 'ROLLUP', sources),
      ),
      { numRuns: 12 },
    );
    expect(sources.ROLLUP).toBeGreaterThan(12);
  }, 60_000);

  it('choosing its sources by cost, reads raw rows for sparse data and rollups for dense data, and agrees with raw rows', async () => {
    const sparse: SourceCounts = { RAW: 0, ROLLUP: 0 };
    const dense: SourceCounts = { RAW: 0, ROLLUP: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(randomCall, { minLength: 50, maxLength: 250 }), fc.array(randomQuery, { minLength: 2, maxLength: 2 }), (calls, queries) =>
        agreesWithRawRows(calls, queries, 'BY_COST', sparse),
      ),
      { numRuns: 6 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(denseCall, { minLength: 3000, maxLength: 3000 }), fc.array(randomQuery, { minLength: 2, maxLength: 2 }), (calls, queries) =>
        agreesWithRawRows(calls, queries, 'BY_COST', dense),
      ),
      { numRuns: 3 },
    );
    // Raw rows almost always for sparse data; rollups for dense data wherever a range holds its busy hours.
    expect(sparse.RAW).toBeGreaterThan(3 * sparse.ROLLUP);
    expect(dense.ROLLUP).toBeGreaterThanOrEqual(3 * 2);
  }, 120_000);

  it('asks the planner for its estimates once for a scope and range shape, and again for another scope or range', async () => {
    const explained: string[] = [];
    const counting = {
      query: (sql: string, params?: unknown[]) => {
        if (/^EXPLAIN/.test(sql)) explained.push(sql);
        return server.db.platform.query(sql, params);
      },
    };
    const { workspaceId } = await server.workspaceWithKey('estimates');
    const { workspaceId: otherId } = await server.workspaceWithKey('estimates, other');
    const query = (to: Date, metrics: Metric[] = ['REQUESTS']): MetricsQuery => ({
      range: { from: new Date(to.getTime() - 7 * DAY), to },
      timezone: 'UTC',
      metrics,
      groupBy: ['MODEL'],
    });
    const to = new Date('2026-11-10T12:11:00Z');
    await runMetrics(counting, { kind: 'workspace', workspaceId }, query(to), 'BY_COST');
    expect(explained).toHaveLength(1);
    // The same shape a few seconds on (a dashboard refreshing), and with other metrics: the estimates are reused.
    await runMetrics(counting, { kind: 'workspace', workspaceId }, query(new Date(to.getTime() + 5_000), ['TOTAL_COST', 'INPUT_TOKENS']), 'BY_COST');
    expect(explained).toHaveLength(1);
    await runMetrics(counting, { kind: 'workspace', workspaceId: otherId }, query(to), 'BY_COST');
    await runMetrics(counting, { kind: 'workspace', workspaceId }, query(new Date(to.getTime() + DAY)), 'BY_COST');
    expect(explained).toHaveLength(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Every metric, bucket and dimension on a hand-made data set
// ---------------------------------------------------------------------------------------------

/**
 * Five calls. The models are unknown to the price registry, so a reported cost is split
 * between input and output by token share, and the call with no reported cost is unpriced.
 *
 * | # | when (UTC)       | model      | agent   | tier | BYOK | type       | status  | in   | out | cache r/w | reasoning | ms  | cost |
 * | 1 | 06-01 10:15      | acme-large | planner | pro  | no   | chat       | SUCCESS | 750  | 250 | 100 / 50  | 20        | 100 | 0.4 = 0.3 + 0.1 |
 * | 2 | 06-01 10:45      | acme-large | writer  | pro  | yes  | chat       | ERROR   | 1000 | 0   | 0 / 0     | 0         | 300 | 0.2 = 0.2 + 0   |
 * | 3 | 06-02 08:00      | bolt-mini  | planner | free | no   | completion | SUCCESS | 200  | 200 | 200 / 0   | 100       | 200 | 0.1 = 0.05 + 0.05 |
 * | 4 | 06-09 12:00      | home-7b    | -       | -    | no   | embedding  | SUCCESS | 300  | 0   | 0 / 0     | 0         | 50  | unpriced        |
 * | 5 | 07-01 00:30      | acme-large | writer  | pro  | yes  | chat       | SUCCESS | 100  | 100 | 0 / 100   | 50        | 400 | 0.8 = 0.4 + 0.4 |
 */
const HANDMADE = [
  call({ occurredAt: '2026-06-01T10:15:00Z', modelId: 'acme-large', provider: 'acme', agentId: 'planner', tier: 'pro', isByok: false, requestType: 'chat', status: 'SUCCESS', inputTokens: 750, outputTokens: 250, cacheReadTokens: 100, cacheWriteTokens: 50, reasoningTokens: 20, latencyMs: 100, reportedCost: 0.4 }),
  call({ occurredAt: '2026-06-01T10:45:00Z', modelId: 'acme-large', provider: 'acme', agentId: 'writer', tier: 'pro', isByok: true, requestType: 'chat', status: 'ERROR', inputTokens: 1000, outputTokens: 0, latencyMs: 300, reportedCost: 0.2 }),
  call({ occurredAt: '2026-06-02T08:00:00Z', modelId: 'bolt-mini', provider: 'bolt', agentId: 'planner', tier: 'free', isByok: false, requestType: 'completion', status: 'SUCCESS', inputTokens: 200, outputTokens: 200, cacheReadTokens: 200, reasoningTokens: 100, latencyMs: 200, reportedCost: 0.1 }),
  call({ occurredAt: '2026-06-09T12:00:00Z', modelId: 'home-7b', provider: 'self-hosted', isByok: false, requestType: 'embedding', status: 'SUCCESS', inputTokens: 300, outputTokens: 0, latencyMs: 50 }),
  call({ occurredAt: '2026-07-01T00:30:00Z', modelId: 'acme-large', provider: 'acme', agentId: 'writer', tier: 'pro', isByok: true, requestType: 'chat', status: 'SUCCESS', inputTokens: 100, outputTokens: 100, cacheWriteTokens: 100, reasoningTokens: 50, latencyMs: 400, reportedCost: 0.8 }),
];
const JUNE = { from: '2026-06-01T00:00:00Z', to: '2026-07-02T00:00:00Z' };

const USAGE_METRICS = `query Usage($query: MetricsQueryInput!) {
  usageMetrics(query: $query) { source rows { bucket dimensions { dimension value label } values { metric value } } }
}`;

interface Row {
  bucket: string | null;
  dimensions: { dimension: string; value: string; label: string }[];
  values: { metric: Metric; value: number }[];
}

let handmade: { workspaceId: string; key: string };

async function usage(query: Record<string, unknown>, options: { admin?: boolean } = {}): Promise<{ source: string; rows: Row[] }> {
  const result = await server.gql(
    USAGE_METRICS,
    { query },
    options.admin ? { workspace: handmade.workspaceId } : { key: handmade.key },
  );
  expect(result.errors).toBeUndefined();
  return result.data!.usageMetrics;
}

/** A row as [bucket, [dimension values and labels], {metric: value}]: easy to write out in a test. */
const simplify = (row: Row): [string | null, string[], Record<string, number>] => [
  row.bucket,
  row.dimensions.map((d) => `${d.value}|${d.label}`),
  Object.fromEntries(row.values.map((v) => [v.metric, Math.round(v.value * 1e9) / 1e9])),
];

describe('usageMetrics on a hand-made data set', () => {
  beforeAll(async () => {
    handmade = await server.workspaceWithKey('handmade');
    const agent = await server.gql(`mutation { upsertAgent(input: { id: "planner", name: "Planner Bot" }) { id } }`, {}, { key: handmade.key });
    expect(agent.errors).toBeUndefined();
    const tracked = await server.gql(TRACK_MANY, { inputs: HANDMADE }, { key: handmade.key });
    expect(tracked.data!.trackLlmCalls).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
  });

  describe('every metric over the whole range', () => {
    it.each<[Metric, number]>([
      ['REQUESTS', 5],
      ['INPUT_TOKENS', 2350],
      ['OUTPUT_TOKENS', 550],
      ['TOTAL_TOKENS', 2900],
      ['CACHE_READ_TOKENS', 300],
      ['CACHE_WRITE_TOKENS', 150],
      ['REASONING_TOKENS', 170],
      ['INPUT_COST', 0.95],
      ['OUTPUT_COST', 0.55],
      ['TOTAL_COST', 1.5],
      ['AVG_LATENCY_MS', 210],
      ['ERROR_COUNT', 1],
      ['ERROR_RATE', 0.2],
      ['UNPRICED_REQUESTS', 1],
    ])('%s is %d', async (metric, expected) => {
      const { source, rows } = await usage({ ...JUNE, metrics: [metric] });
      expect(source).toBe('ROLLUP');
      expect(rows).toHaveLength(1);
      expect(rows[0].values[0].metric).toBe(metric);
      expect(rows[0].values[0].value).toBeCloseTo(expected, 9);
    });

    // Latencies 50, 100, 200, 300, 400: exact from raw rows within a day, within 5% from rollups.
    it.each<[Metric, number]>([
      ['P50_LATENCY_MS', 200],
      ['P95_LATENCY_MS', 380],
      ['P99_LATENCY_MS', 396],
    ])('%s is %d within 5% from rollups', async (metric, exact) => {
      const { source, rows } = await usage({ ...JUNE, metrics: [metric] });
      expect(source).toBe('ROLLUP');
      expect(Math.abs(rows[0].values[0].value - exact)).toBeLessThanOrEqual(0.05 * exact);
    });

    it.each<[Metric, number]>([
      ['P50_LATENCY_MS', 200],
      ['P95_LATENCY_MS', 290],
      ['P99_LATENCY_MS', 298],
    ])('%s is exactly %d over raw rows of one day', async (metric, exact) => {
      const { source, rows } = await usage({ from: '2026-06-01T10:00:00Z', to: '2026-06-02T09:00:00Z', metrics: [metric] });
      expect(source).toBe('RAW');
      expect(rows[0].values[0].value).toBeCloseTo(exact, 9);
    });

    it('covers every metric the API offers', async () => {
      const result = await server.gql(`{ __type(name: "Metric") { enumValues { name } } }`);
      const offered = (result.data!.__type.enumValues as { name: string }[]).map((v) => v.name);
      expect(offered.sort()).toEqual([...METRICS].sort());
    });
  });

  describe('every time bucket', () => {
    it.each<[TimeBucket, [string, number, number][]]>([
      [
        'HOUR',
        [
          ['2026-06-01T10:00:00.000Z', 2, 0.6],
          ['2026-06-02T08:00:00.000Z', 1, 0.1],
          ['2026-06-09T12:00:00.000Z', 1, 0],
          ['2026-07-01T00:00:00.000Z', 1, 0.8],
        ],
      ],
      [
        'DAY',
        [
          ['2026-06-01T00:00:00.000Z', 2, 0.6],
          ['2026-06-02T00:00:00.000Z', 1, 0.1],
          ['2026-06-09T00:00:00.000Z', 1, 0],
          ['2026-07-01T00:00:00.000Z', 1, 0.8],
        ],
      ],
      [
        'WEEK',
        [
          ['2026-06-01T00:00:00.000Z', 3, 0.7],
          ['2026-06-08T00:00:00.000Z', 1, 0],
          ['2026-06-29T00:00:00.000Z', 1, 0.8],
        ],
      ],
      [
        'MONTH',
        [
          ['2026-06-01T00:00:00.000Z', 4, 0.7],
          ['2026-07-01T00:00:00.000Z', 1, 0.8],
        ],
      ],
    ])('%s buckets hold their calls, oldest first', async (bucket, expected) => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS', 'TOTAL_COST'], bucket });
      expect(rows.map(simplify)).toEqual(expected.map(([at, requests, cost]) => [at, [], { REQUESTS: requests, TOTAL_COST: cost }]));
    });
  });

  describe('every dimension', () => {
    it.each<[Dimension, [string, string, number, number][]]>([
      [
        'MODEL',
        [
          ['acme-large', 'acme-large', 3, 1.4],
          ['bolt-mini', 'bolt-mini', 1, 0.1],
          ['home-7b', 'home-7b', 1, 0],
        ],
      ],
      [
        'PROVIDER',
        [
          ['acme', 'acme', 3, 1.4],
          ['bolt', 'bolt', 1, 0.1],
          ['self-hosted', 'self-hosted', 1, 0],
        ],
      ],
      [
        'AGENT',
        [
          ['writer', 'writer', 2, 1.0],
          ['planner', 'Planner Bot', 2, 0.5],
          ['', 'No agent', 1, 0],
        ],
      ],
      [
        'TIER',
        [
          ['pro', 'pro', 3, 1.4],
          ['free', 'free', 1, 0.1],
          ['', 'No tier', 1, 0],
        ],
      ],
      [
        'IS_BYOK',
        [
          ['true', 'BYOK', 2, 1.0],
          ['false', 'Platform key', 3, 0.5],
        ],
      ],
      [
        'REQUEST_TYPE',
        [
          ['chat', 'chat', 3, 1.4],
          ['completion', 'completion', 1, 0.1],
          ['embedding', 'embedding', 1, 0],
        ],
      ],
      [
        'STATUS',
        [
          ['SUCCESS', 'Success', 4, 1.3],
          ['ERROR', 'Error', 1, 0.2],
        ],
      ],
    ])('grouping by %s gives each value its label and figures, most expensive first', async (dimension, expected) => {
      const { rows } = await usage({ ...JUNE, metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: [dimension] });
      expect(rows.map(simplify)).toEqual(
        expected.map(([value, label, requests, cost]) => [null, [`${value}|${label}`], { TOTAL_COST: cost, REQUESTS: requests }]),
      );
    });

    it('grouping by WORKSPACE (an admin naming the workspace) gives one row named after it', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: ['WORKSPACE'] }, { admin: true });
      expect(rows.map(simplify)).toEqual([[null, [`${handmade.workspaceId}|handmade`], { TOTAL_COST: 1.5, REQUESTS: 5 }]]);
    });

    it('groups by two dimensions and a bucket at once', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS'], groupBy: ['MODEL', 'STATUS'], bucket: 'MONTH' });
      expect(rows.map(simplify)).toEqual([
        ['2026-06-01T00:00:00.000Z', ['acme-large|acme-large', 'ERROR|Error'], { REQUESTS: 1 }],
        ['2026-06-01T00:00:00.000Z', ['acme-large|acme-large', 'SUCCESS|Success'], { REQUESTS: 1 }],
        ['2026-06-01T00:00:00.000Z', ['bolt-mini|bolt-mini', 'SUCCESS|Success'], { REQUESTS: 1 }],
        ['2026-06-01T00:00:00.000Z', ['home-7b|home-7b', 'SUCCESS|Success'], { REQUESTS: 1 }],
        ['2026-07-01T00:00:00.000Z', ['acme-large|acme-large', 'SUCCESS|Success'], { REQUESTS: 1 }],
      ]);
    });

    it('covers every dimension the API offers', async () => {
      const result = await server.gql(`{ __type(name: "UsageDimension") { enumValues { name } } }`);
      const offered = (result.data!.__type.enumValues as { name: string }[]).map((v) => v.name);
      expect(offered.sort()).toEqual([...DIMENSIONS_IN_ONE_WORKSPACE].sort());
    });
  });

  describe('filters', () => {
    it.each<[string, Record<string, unknown>, number, number]>([
      ['one model', { modelIds: ['acme-large'] }, 3, 1.4],
      ['two providers', { providers: ['acme', 'bolt'] }, 4, 1.5],
      ['an agent and a tier together', { agentIds: ['planner'], tiers: ['free'] }, 1, 0.1],
      ['calls with no agent', { agentIds: [''] }, 1, 0],
      ['calls with no tier', { tiers: [''] }, 1, 0],
      ['a request type', { requestTypes: ['embedding'] }, 1, 0],
      ['BYOK calls', { isByok: true }, 2, 1.0],
      ['platform-key calls', { isByok: false }, 3, 0.5],
      ['failed calls', { status: 'ERROR' }, 1, 0.2],
      ['an empty list, which filters nothing', { modelIds: [] }, 5, 1.5],
    ])('keeps only %s', async (_name, filter, requests, cost) => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS', 'TOTAL_COST'], filter });
      expect(rows.map(simplify)).toEqual([[null, [], { REQUESTS: requests, TOTAL_COST: cost }]]);
    });

    it('gives an ungrouped total of zeros when nothing passes the filter', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS', 'AVG_LATENCY_MS', 'ERROR_RATE', 'P95_LATENCY_MS'], filter: { modelIds: ['no-such-model'] } });
      expect(rows.map(simplify)).toEqual([[null, [], { REQUESTS: 0, AVG_LATENCY_MS: 0, ERROR_RATE: 0, P95_LATENCY_MS: 0 }]]);
    });

    it('gives no rows for a grouping when nothing passes the filter', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS'], groupBy: ['MODEL'], filter: { modelIds: ['no-such-model'] } });
      expect(rows).toEqual([]);
    });
  });

  describe('ordering and limit', () => {
    const models = (rows: Row[]): string[] => rows.map((r) => r.dimensions[0].value);

    it('orders by the metric asked for, ascending when told', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS', 'TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: false });
      expect(models(rows)).toEqual(['home-7b', 'bolt-mini', 'acme-large']);
    });

    it('keeps the first rows up to the limit', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: true, limit: 2 });
      expect(models(rows)).toEqual(['acme-large', 'bolt-mini']);
    });

    it('orders buckets newest first when descending', async () => {
      const { rows } = await usage({ ...JUNE, metrics: ['REQUESTS'], bucket: 'MONTH', descending: true });
      expect(rows.map((r) => r.bucket)).toEqual(['2026-07-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
    });
  });

  describe('period or from/to', () => {
    it.each([
      ['LAST_1H', 0],
      ['LAST_24H', 1],
      ['LAST_7D', 1],
      ['LAST_30D', 3],
      ['LAST_90D', 5],
    ])('%s ends at the server clock and holds %d calls', async (period, requests) => {
      const { rows } = await usage({ period, metrics: ['REQUESTS'] });
      expect(rows.map((r) => r.values[0].value)).toEqual([requests]);
    });

    it('gives the same answer for a period as for the from/to it stands for', async () => {
      const byPeriod = await usage({ period: 'LAST_30D', metrics: ['REQUESTS', 'TOTAL_COST'], groupBy: ['MODEL'] });
      const byRange = await usage({
        from: new Date(NOW.getTime() - 30 * DAY).toISOString(),
        to: NOW.toISOString(),
        metrics: ['REQUESTS', 'TOTAL_COST'],
        groupBy: ['MODEL'],
      });
      expect(byRange).toEqual(byPeriod);
      expect(byPeriod.rows.map(simplify)).toEqual([
        [null, ['acme-large|acme-large'], { REQUESTS: 1, TOTAL_COST: 0.8 }],
        [null, ['bolt-mini|bolt-mini'], { REQUESTS: 1, TOTAL_COST: 0.1 }],
        [null, ['home-7b|home-7b'], { REQUESTS: 1, TOTAL_COST: 0 }],
      ]);
    });
  });

  describe('edge hours read from the rollup', () => {
    // From 10:20 the range covers most of 06-01's 10:00 hour: that hour comes from the rollup,
    // less call 1 (10:15), which lies before the range; likewise 06-09's 12:00 hour up to 12:40.
    const EDGES = { from: '2026-06-01T10:20:00Z', to: '2026-06-09T12:40:00Z' };

    it('count only the calls inside the range', async () => {
      const { source, rows } = await usage({ ...EDGES, metrics: ['REQUESTS', 'TOTAL_COST', 'ERROR_COUNT', 'AVG_LATENCY_MS'] });
      expect(source).toBe('ROLLUP');
      // Calls 2, 3 and 4: 300, 200 and 50 ms.
      expect(rows.map(simplify)).toEqual([[null, [], { REQUESTS: 3, TOTAL_COST: 0.3, ERROR_COUNT: 1, AVG_LATENCY_MS: Math.round((550 / 3) * 1e9) / 1e9 }]]);
    });

    it('leave out a group whose calls in that hour all lie outside the range', async () => {
      const { rows } = await usage({ ...EDGES, metrics: ['REQUESTS', 'TOTAL_COST'], groupBy: ['AGENT'], bucket: 'DAY', timezone: 'UTC' });
      expect(rows.map(simplify)).toEqual([
        ['2026-06-01T00:00:00.000Z', ['writer|writer'], { REQUESTS: 1, TOTAL_COST: 0.2 }],
        ['2026-06-02T00:00:00.000Z', ['planner|Planner Bot'], { REQUESTS: 1, TOTAL_COST: 0.1 }],
        ['2026-06-09T00:00:00.000Z', ['|No agent'], { REQUESTS: 1, TOTAL_COST: 0 }],
      ]);
    });
  });

  describe('bad input', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown timezone', { ...JUNE, timezone: 'Mars/Olympus_Mons' }, 'timezone must be an IANA zone name such as "UTC" or "Europe/Berlin", but got "Mars/Olympus_Mons"'],
      ['an offset for a timezone', { ...JUNE, timezone: '+05:30' }, 'timezone must be an IANA zone name such as "UTC" or "Europe/Berlin", but got "+05:30"'],
      [
        'from after to',
        { from: '2026-06-02T00:00:00Z', to: '2026-06-01T00:00:00Z' },
        'from must be before to, but got from 2026-06-02T00:00:00.000Z and to 2026-06-01T00:00:00.000Z',
      ],
      [
        'from equal to to',
        { from: '2026-06-01T00:00:00Z', to: '2026-06-01T00:00:00Z' },
        'from must be before to, but got from 2026-06-01T00:00:00.000Z and to 2026-06-01T00:00:00.000Z',
      ],
      ['a limit of 0', { ...JUNE, limit: 0 }, 'limit must be from 1 to 10000, but got 0'],
      ['a limit of 10001', { ...JUNE, limit: 10_001 }, 'limit must be from 1 to 10000, but got 10001'],
      ['a period and from/to together', { ...JUNE, period: 'LAST_7D' }, 'give either period or from/to, but got both'],
      ['from without to', { from: JUNE.from }, 'from and to go together, but got only one of them'],
      ['neither a period nor from/to', {}, 'give a period or from/to, but got neither'],
      ['no metrics', { ...JUNE, metrics: [] }, 'metrics must name at least one metric, but got an empty list'],
      ['a repeated dimension', { ...JUNE, groupBy: ['MODEL', 'MODEL'] }, 'groupBy must not repeat a dimension, but got MODEL, MODEL'],
      ['a member grouping by workspace', { ...JUNE, groupBy: ['WORKSPACE'] }, 'groupBy WORKSPACE needs an admin key, but this key is a member key'],
    ])('refuses %s with BAD_USER_INPUT saying what arrived', async (_name, query, message) => {
      const result = await server.gql(USAGE_METRICS, { query: { metrics: ['REQUESTS'], ...query } }, { key: handmade.key });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toBe(message);
      expect(result.data ?? null).toBeNull();
    });
  });
});

describe('the rollup a query reads', () => {
  it('is the one with the fewest keys that holds every key the query groups, filters or counts errors by', () => {
    expect(narrowestRollup('day', [])).toBe('llm_usage_daily_model');
    expect(narrowestRollup('day', ['model_id', 'provider'])).toBe('llm_usage_daily_model');
    expect(narrowestRollup('day', ['model_id', 'status'])).toBe('llm_usage_daily_compact');
    expect(narrowestRollup('day', ['is_byok'])).toBe('llm_usage_daily_compact');
    expect(narrowestRollup('day', ['agent_id'])).toBe('llm_usage_daily');
    expect(narrowestRollup('hour', ['model_id'])).toBe('llm_usage_hourly_compact');
    expect(narrowestRollup('hour', ['tier', 'status'])).toBe('llm_usage_hourly');
    // The attribution rollups answer only queries by their own key: users by the day alone.
    expect(narrowestRollup('day', ['user_id', 'status'])).toBe('llm_usage_daily_user');
    expect(narrowestRollup('hour', ['user_id'])).toBeNull();
    expect(narrowestRollup('hour', ['tag'])).toBe('llm_usage_hourly_tag');
    expect(narrowestRollup('day', ['tag', 'model_id'])).toBeNull();
    // Status alone: the narrowest rollup keeping it that counts every call once (the workflow one, under '' for no workflow), never a tag's.
    expect(narrowestRollup('day', ['status'])).toBe('llm_usage_daily_workflow');
    expect(narrowestRollup('day', ['workflow'])).toBe('llm_usage_daily_workflow');
    expect(narrowestRollup('hour', ['workflow', 'status'])).toBe('llm_usage_hourly_workflow');
    expect(narrowestRollup('day', ['workflow', 'model_id'])).toBeNull();
  });
});

describe('the sources of a range', () => {
  const at = (iso: string) => new Date(iso);
  const plan = (from: string, to: string, now = Date.parse('2026-11-01T00:00:00Z')) =>
    planSources({ from: at(from), to: at(to) }, { rawOnly: false, allowDaily: false, now });
  const hours = (from: string, to: string) => ({ from: at(from), to: at(to) });

  it('reads an edge hour the range covers less than half of from raw rows', () => {
    expect(plan('2026-10-01T10:40:00Z', '2026-10-03T10:20:00Z')).toEqual({
      raw: [hours('2026-10-01T10:40:00Z', '2026-10-01T11:00:00Z'), hours('2026-10-03T10:00:00Z', '2026-10-03T10:20:00Z')],
      rawOutside: [],
      hourly: [hours('2026-10-01T11:00:00Z', '2026-10-03T10:00:00Z')],
      daily: [],
    });
  });

  it('reads an edge hour the range covers more than half of from the rollup, less the raw rows outside', () => {
    expect(plan('2026-10-01T10:20:00Z', '2026-10-03T10:40:00Z')).toEqual({
      raw: [],
      rawOutside: [hours('2026-10-01T10:00:00Z', '2026-10-01T10:20:00Z'), hours('2026-10-03T10:40:00Z', '2026-10-03T11:00:00Z')],
      hourly: [hours('2026-10-01T10:00:00Z', '2026-10-03T11:00:00Z')],
      daily: [],
    });
  });

  it('reads the last hour of a range that ends now from the rollup, however little of it has passed', () => {
    const now = Date.parse('2026-10-03T10:05:00Z');
    expect(plan('2026-10-01T11:00:00Z', '2026-10-03T10:05:00Z', now)).toEqual({
      raw: [],
      rawOutside: [hours('2026-10-03T10:05:00Z', '2026-10-03T11:00:00Z')],
      hourly: [hours('2026-10-01T11:00:00Z', '2026-10-03T11:00:00Z')],
      daily: [],
    });
  });
});

describe('a range that ends now', () => {
  it('leaves out the calls sent with clocks ahead, though its last hour comes from the rollup', async () => {
    const { workspaceId } = await server.workspaceWithKey('ends now');
    const now = Date.now();
    const hourEnd = Math.ceil((now + 1) / HOUR) * HOUR;
    const ahead = now + Math.min(3 * 60_000, Math.floor((hourEnd - now) / 2));
    const tracked = (at: number, reportedCost: number): LlmCallInputValues => ({
      modelId: 'gpt-4o',
      provider: 'openai',
      requestType: 'chat',
      status: 'SUCCESS',
      latencyMs: 100,
      inputTokens: 10,
      outputTokens: 5,
      reportedCost,
      occurredAt: new Date(at),
    });
    const calls = [tracked(now - 1000, 0.25), tracked(now - 2 * DAY, 0.5), tracked(ahead, 4)];
    expect((await ingestCalls(server.db.dataSource, workspaceId, calls, new Date(now))).rejected).toEqual([]);
    const query: MetricsQuery = { range: { from: new Date(now - 7 * DAY), to: new Date(now) }, timezone: 'UTC', metrics: ['REQUESTS', 'TOTAL_COST'], groupBy: [] };
    const { source, rows } = await runMetrics(server.db.platform, { kind: 'workspace', workspaceId }, query);
    expect(source).toBe('ROLLUP');
    expect(rows.map((r) => r.values)).toEqual([{ REQUESTS: 2, TOTAL_COST: 0.75 }]);
  });
});
