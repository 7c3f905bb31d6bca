import fc from 'fast-check';
import { call, TRACK_MANY } from './fixtures/calls';
import { events } from './support/events';
import { driftFromRawRows } from './support/stored-calls';
import { startTestServer, type GqlResult, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

const NOW = new Date('2026-06-15T12:00:00Z');
const at = (minutesAgo: number, ms = 0) => new Date(NOW.getTime() - minutesAgo * 60_000 + ms).toISOString();

const RUN_FIELDS = `id workflow startedAt endedAt durationMs callCount inputTokens outputTokens totalCost errorCount status models agents { id name }`;
const RUN = `query R($id: ID!) { run(id: $id) { ${RUN_FIELDS} calls { eventId occurredAt workflow executionId } } }`;
const RUNS = `query Runs($period: Period!, $filter: RunFilter, $orderBy: RunOrder, $descending: Boolean, $limit: Int, $after: String) {
  runs(period: $period, filter: $filter, orderBy: $orderBy, descending: $descending, limit: $limit, after: $after) { runs { id totalCost callCount } nextCursor }
}`;
const WORKFLOWS = `query W($period: Period!) { workflowStats(period: $period) { workflow runs successRate avgDurationMs p95DurationMs totalCost costPerRun } }`;
const AGENTS = `query A($period: Period!) { agentAnalytics(period: $period) {
  agent { id name } requests totalCost totalTokens errorRate p95LatencyMs runs lastCallAt
  models { key requests totalCost } dailyCost { date cost } tools { actionName } memory { memoryCount }
} }`;
const SET_PRICE = `mutation S($input: ModelPriceInput!) { setModelPrice(input: $input) { modelId } }`;
const REPRICE = `mutation R($period: Period) { repriceLlmCalls(period: $period) { updated costDelta } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
});
afterAll(() => server.dispose());

async function track(key: string, inputs: Record<string, unknown>[]) {
  const result = await server.gql(TRACK_MANY, { inputs }, { key });
  expect(result.errors).toBeUndefined();
  return result.data!.trackLlmCalls;
}

/** Three calls in two batches, two agents, two models, one failure, exact reported costs. */
function handMadeRun(id: string, workflow = 'nightly report') {
  return [
    [
      call({ eventId: `${id}-1`, executionId: id, occurredAt: at(10), latencyMs: 2000, inputTokens: 100, outputTokens: 10, reportedCost: 0.125, agentId: 'planner' }),
      call({ eventId: `${id}-2`, executionId: id, workflow, occurredAt: at(9), latencyMs: 500, inputTokens: 200, outputTokens: 20, reportedCost: 0.25, agentId: 'writer', modelId: 'gpt-4o-mini' }),
    ],
    [
      call({ eventId: `${id}-3`, executionId: id, workflow: 'ignored later name', occurredAt: at(8), latencyMs: 1000, inputTokens: 300, outputTokens: 30, reportedCost: 0.5, status: 'ERROR', errorType: 'timeout', agentId: 'planner' }),
    ],
  ];
}

describe('a run', () => {
  it('sums its calls across batches: start, end, duration, tokens, cost, errors, agents, models, workflow, calls oldest first', async () => {
    const { key } = await server.workspaceWithKey('Runs by hand');
    for (const batch of handMadeRun('exec-hand')) await track(key, batch);
    const { data, errors } = await server.gql(RUN, { id: 'exec-hand' }, { key });
    expect(errors).toBeUndefined();
    expect(data!.run).toEqual({
      id: 'exec-hand',
      // the first workflow given, by the oldest call naming one
      workflow: 'nightly report',
      // the first call started 2 s before it ended, 10 minutes ago
      startedAt: at(10, -2000),
      endedAt: at(8),
      durationMs: 2 * 60_000 + 2000,
      callCount: 3,
      inputTokens: 600,
      outputTokens: 60,
      totalCost: 0.875,
      errorCount: 1,
      status: 'ERROR',
      models: ['gpt-4o', 'gpt-4o-mini'],
      agents: [
        { id: 'planner', name: 'planner' },
        { id: 'writer', name: 'writer' },
      ],
      calls: [
        { eventId: 'exec-hand-1', occurredAt: at(10), workflow: null, executionId: 'exec-hand' },
        { eventId: 'exec-hand-2', occurredAt: at(9), workflow: 'nightly report', executionId: 'exec-hand' },
        { eventId: 'exec-hand-3', occurredAt: at(8), workflow: 'ignored later name', executionId: 'exec-hand' },
      ],
    });
  });

  it('is unchanged by resent calls, alone or in a batch with new ones', async () => {
    const { key } = await server.workspaceWithKey('Runs resent');
    const [first, second] = handMadeRun('exec-resent');
    await track(key, first);
    await track(key, second);
    const before = (await server.gql(RUN, { id: 'exec-resent' }, { key })).data!.run;
    expect(await track(key, [...first, ...second])).toMatchObject({ accepted: 0, duplicates: 3 });
    expect((await server.gql(RUN, { id: 'exec-resent' }, { key })).data!.run).toEqual(before);
    await track(key, [first[0], call({ eventId: 'exec-resent-4', executionId: 'exec-resent', occurredAt: at(7), latencyMs: 0, reportedCost: 1 })]);
    const after = (await server.gql(RUN, { id: 'exec-resent' }, { key })).data!.run;
    expect(after).toMatchObject({ callCount: 4, totalCost: 1.875, endedAt: at(7) });
  });

  it('is null for an executionId the workspace has none of', async () => {
    const { key } = await server.workspaceWithKey('Runs none');
    expect((await server.gql(RUN, { id: 'nothing' }, { key })).data).toEqual({ run: null });
  });

  it('rejects a call whose workflow is too long alone, storing the others of its batch', async () => {
    const { key } = await server.workspaceWithKey('Runs long workflow');
    const result = await track(key, [call({ executionId: 'w', workflow: 'x'.repeat(257) }), call({ executionId: 'w', workflow: 'ok' })]);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([{ index: 0, message: 'workflow must be at most 256 characters, but got 257' }]);
  });
});

describe('runs', () => {
  it('filters by workflow, agent and status and orders by each column', async () => {
    const { key } = await server.workspaceWithKey('Runs lists');
    await track(key, [
      call({ executionId: 'a', workflow: 'triage', occurredAt: at(30), latencyMs: 100, reportedCost: 0.3, agentId: 'sorter' }),
      call({ executionId: 'b', workflow: 'triage', occurredAt: at(20), latencyMs: 900_000, reportedCost: 0.1, status: 'ERROR' }),
      call({ executionId: 'b', workflow: 'triage', occurredAt: at(19), latencyMs: 100, reportedCost: 0.1 }),
      call({ executionId: 'c', workflow: 'research', occurredAt: at(10), latencyMs: 100, reportedCost: 0.2, agentId: 'sorter' }),
      call({ executionId: 'c', occurredAt: at(9), latencyMs: 100, reportedCost: 0.2, userId: 'ada' }),
      call({ executionId: 'c', occurredAt: at(8), latencyMs: 100, reportedCost: 0.2, userId: 'grace' }),
    ]);
    const ids = async (variables: Record<string, unknown>) => {
      const { data, errors } = await server.gql(RUNS, { period: 'LAST_24H', ...variables }, { key });
      expect(errors).toBeUndefined();
      return data!.runs.runs.map((r: { id: string }) => r.id);
    };
    expect(await ids({})).toEqual(['c', 'a', 'b']);
    expect(await ids({ descending: false })).toEqual(['b', 'a', 'c']);
    expect(await ids({ orderBy: 'COST' })).toEqual(['c', 'a', 'b']);
    expect(await ids({ orderBy: 'DURATION' })).toEqual(['b', 'c', 'a']);
    expect(await ids({ orderBy: 'CALLS', descending: false })).toEqual(['a', 'b', 'c']);
    expect(await ids({ filter: { workflow: 'triage' } })).toEqual(['a', 'b']);
    expect(await ids({ filter: { agentId: 'sorter' } })).toEqual(['c', 'a']);
    expect(await ids({ filter: { status: 'ERROR' } })).toEqual(['b']);
    expect(await ids({ filter: { status: 'SUCCESS', workflow: 'triage' } })).toEqual(['a']);
    expect(await ids({ filter: { userId: 'grace' } })).toEqual(['c']);
    expect(await ids({ filter: { userId: 'anyone' } })).toEqual([]);
  });

  it('orders costs as numbers, not as their text', async () => {
    const { key } = await server.workspaceWithKey('Runs cost order');
    await track(key, [call({ executionId: 'nine', reportedCost: 9 }), call({ executionId: 'ten', reportedCost: 10 }), call({ executionId: 'half', reportedCost: 0.5 })]);
    const { data } = await server.gql(RUNS, { period: 'LAST_24H', orderBy: 'COST' }, { key });
    expect(data!.runs.runs.map((r: { id: string }) => r.id)).toEqual(['ten', 'nine', 'half']);
  });

  it.each(['STARTED_AT', 'COST', 'DURATION', 'CALLS'])('pages by cursor in %s order, each run once', async (orderBy) => {
    const { key } = await server.workspaceWithKey(`Runs pages ${orderBy}`);
    // equal costs and counts: the execution id breaks ties
    await track(key, Array.from({ length: 7 }, (_, i) => call({ executionId: `p${i}`, occurredAt: at(60 - i), latencyMs: 100 * (i % 3), reportedCost: 0.1 * (i % 2) })));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const { data, errors }: GqlResult = await server.gql(RUNS, { period: 'LAST_24H', orderBy, limit: 3, after }, { key });
      expect(errors).toBeUndefined();
      seen.push(...data!.runs.runs.map((r: { id: string }) => r.id));
      after = data!.runs.nextCursor;
    } while (after);
    expect(seen.sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('in start order neither skips nor repeats runs while calls land between pages', async () => {
    const { key } = await server.workspaceWithKey('Runs pages live');
    await track(key, Array.from({ length: 10 }, (_, i) => call({ executionId: `live${i}`, occurredAt: at(100 - i * 5), latencyMs: 1000 })));
    const seen: string[] = [];
    let after: string | null = null;
    let round = 0;
    do {
      const { data }: GqlResult = await server.gql(RUNS, { period: 'LAST_24H', limit: 3, after }, { key });
      seen.push(...data!.runs.runs.map((r: { id: string }) => r.id));
      after = data!.runs.nextCursor;
      // new runs, and new calls in runs on both sides of the cursor (later than their starts)
      round += 1;
      await track(key, [
        call({ executionId: `new${round}`, occurredAt: at(1), latencyMs: 10 }),
        call({ executionId: 'live0', occurredAt: at(2 + round), latencyMs: 10 }),
        call({ executionId: 'live9', occurredAt: at(2 + round), latencyMs: 10 }),
      ]);
    } while (after);
    expect(seen).toEqual(['live9', 'live8', 'live7', 'live6', 'live5', 'live4', 'live3', 'live2', 'live1', 'live0']);
  });

  it('refuses a cursor of another order, a cursor that is none and a limit over 200, saying what it expected', async () => {
    const { key } = await server.workspaceWithKey('Runs bad input');
    await track(key, [call({ executionId: 'x1' }), call({ executionId: 'x2' })]);
    const { data } = await server.gql(RUNS, { period: 'LAST_24H', limit: 1 }, { key });
    const refused = async (variables: Record<string, unknown>) => {
      const { errors } = await server.gql(RUNS, { period: 'LAST_24H', ...variables }, { key });
      expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      return errors![0].message;
    };
    expect(await refused({ after: data!.runs.nextCursor, orderBy: 'COST' })).toMatch(/^after must be the nextCursor of a page of runs in the same order, but got ".+" \(made for STARTED_AT descending, asked COST descending\)$/);
    expect(await refused({ after: 'nonsense' })).toMatch(/\(not a cursor\)$/);
    expect(await refused({ limit: 201 })).toBe('limit must be from 1 to 200, but got 201');
  });
});

describe('workflows and agents', () => {
  it('workflowStats: runs, success rate, durations and cost per workflow', async () => {
    const { key } = await server.workspaceWithKey('Workflow stats');
    for (const batch of handMadeRun('w1')) await track(key, batch);
    await track(key, [
      call({ executionId: 'w2', workflow: 'nightly report', occurredAt: at(50), latencyMs: 1000, reportedCost: 0.125 }),
      call({ executionId: 'w3', workflow: 'triage', occurredAt: at(40), latencyMs: 3000, reportedCost: 0.5 }),
      call({ executionId: 'w4', occurredAt: at(40), latencyMs: 3000, reportedCost: 5 }),
    ]);
    const { data, errors } = await server.gql(WORKFLOWS, { period: 'LAST_24H' }, { key });
    expect(errors).toBeUndefined();
    const durations = [122_000, 1000];
    expect(data!.workflowStats).toEqual([
      {
        workflow: 'nightly report',
        runs: 2,
        successRate: 0.5,
        avgDurationMs: 61_500,
        // interpolated: 1000 + 0.95 × (122000 − 1000)
        p95DurationMs: durations[1] + 0.95 * (durations[0] - durations[1]),
        totalCost: 1,
        costPerRun: 0.5,
      },
      { workflow: 'triage', runs: 1, successRate: 1, avgDurationMs: 3000, p95DurationMs: 3000, totalCost: 0.5, costPerRun: 0.5 },
    ]);
  });

  it('workflowStats over whole days: counts, success, average and cost exact, p95 within 5% of the exact one', async () => {
    const { key } = await server.workspaceWithKey('Workflow days');
    // Twelve runs of one workflow over four days (some started before the period's first whole day), 1 to 12 calls each, the third failing.
    const durations: number[] = [];
    for (let r = 0; r < 12; r++) {
      const start = (r * 9 + 3) * 60 + 7;
      const calls = Array.from({ length: r + 1 }, (_, c) =>
        call({ executionId: `d${r}`, workflow: 'nightly report', occurredAt: at(start - c * 2), latencyMs: 1500 + 700 * r, reportedCost: 0.01 * (r + 1), status: r === 2 && c === 0 ? 'ERROR' : 'SUCCESS' }),
      );
      await track(key, calls);
      durations.push(r * 2 * 60_000 + 1500 + 700 * r);
    }
    const { data, errors } = await server.gql(WORKFLOWS, { period: 'LAST_7D' }, { key });
    expect(errors).toBeUndefined();
    const [stats] = data!.workflowStats;
    const sorted = [...durations].sort((a, b) => a - b);
    const rank = 0.95 * (sorted.length - 1);
    const exactP95 = sorted[Math.floor(rank)] + (rank - Math.floor(rank)) * (sorted[Math.ceil(rank)] - sorted[Math.floor(rank)]);
    expect(stats).toMatchObject({ workflow: 'nightly report', runs: 12, successRate: 11 / 12, avgDurationMs: durations.reduce((a, b) => a + b) / 12 });
    expect(stats.totalCost).toBeCloseTo(6.5, 12);
    expect(Math.abs(stats.p95DurationMs - exactP95) / exactP95).toBeLessThan(0.05);
  });

  it('agentAnalytics: each agent’s figures, its runs, its models and every day of the period', async () => {
    const { key } = await server.workspaceWithKey('Agent analytics');
    for (const batch of handMadeRun('g1')) await track(key, batch);
    await track(key, [call({ executionId: 'g2', agentId: 'planner', occurredAt: at(3 * 24 * 60), latencyMs: 100, reportedCost: 2 })]);
    const { data, errors } = await server.gql(AGENTS, { period: 'LAST_7D' }, { key });
    expect(errors).toBeUndefined();
    const [planner, writer] = data!.agentAnalytics;
    expect(planner).toMatchObject({
      agent: { id: 'planner', name: 'planner' },
      requests: 3,
      totalCost: 2.625,
      totalTokens: 1200 + 110 + 330,
      errorRate: 1 / 3,
      runs: 2,
      lastCallAt: at(8),
      models: [{ key: 'gpt-4o', requests: 3, totalCost: 2.625 }],
      tools: [],
      memory: null,
    });
    expect(planner.dailyCost).toHaveLength(8);
    expect(planner.dailyCost[0].date).toBe('2026-06-08');
    expect(planner.dailyCost[7]).toEqual({ date: '2026-06-15', cost: 0.625 });
    expect(planner.dailyCost[4]).toEqual({ date: '2026-06-12', cost: 2 });
    expect(planner.dailyCost.reduce((sum: number, d: { cost: number }) => sum + d.cost, 0)).toBe(2.625);
    expect(writer).toMatchObject({ agent: { id: 'writer' }, requests: 1, totalCost: 0.25, runs: 1, errorRate: 0, models: [{ key: 'gpt-4o-mini' }] });
  });
});

describe('isolation', () => {
  it('shows no run, workflow or agent of another workspace', async () => {
    const mine = await server.workspaceWithKey('Runs mine', 'VIEWER');
    const other = await server.workspaceWithKey('Runs other');
    for (const batch of handMadeRun('secret')) await track(other.key, batch);
    expect((await server.gql(RUN, { id: 'secret' }, { key: mine.key })).data).toEqual({ run: null });
    expect((await server.gql(RUNS, { period: 'LAST_24H' }, { key: mine.key })).data!.runs).toEqual({ runs: [], nextCursor: null });
    expect((await server.gql(WORKFLOWS, { period: 'LAST_24H' }, { key: mine.key })).data!.workflowStats).toEqual([]);
    expect((await server.gql(AGENTS, { period: 'LAST_24H' }, { key: mine.key })).data!.agentAnalytics).toEqual([]);
  });
});

describe('runUpdated', () => {
  it('pushes a run each time its calls land, to subscribers of its workflow and its workspace only', async () => {
    const mine = await server.workspaceWithKey('Runs live');
    const other = await server.workspaceWithKey('Runs live other');
    const query = `subscription S($workflow: String) { runUpdated(workflow: $workflow) { id workflow callCount totalCost agents { id } } }`;
    const triage = events<{ runUpdated: Record<string, unknown> }>(server.wsClient({ authorization: `Bearer ${mine.key}` }), query, { workflow: 'triage' });
    const all = events<{ runUpdated: Record<string, unknown> }>(server.wsClient({ authorization: `Bearer ${mine.key}` }), query);
    await countReaches(server.gateway.services.pubsub.subscribers, 'RUN_UPDATED', 2);
    await track(other.key, [call({ executionId: 'elsewhere', workflow: 'triage' })]);
    await track(mine.key, [call({ executionId: 'r1', workflow: 'research', reportedCost: 1 })]);
    await track(mine.key, [call({ executionId: 't1', workflow: 'triage', reportedCost: 1, agentId: 'sorter' })]);
    await track(mine.key, [call({ executionId: 't1', reportedCost: 0.5 })]);
    expect((await all()).runUpdated).toEqual({ id: 'r1', workflow: 'research', callCount: 1, totalCost: 1, agents: [] });
    expect((await all()).runUpdated).toMatchObject({ id: 't1', callCount: 1 });
    expect((await triage()).runUpdated).toEqual({ id: 't1', workflow: 'triage', callCount: 1, totalCost: 1, agents: [{ id: 'sorter' }] });
    expect((await triage()).runUpdated).toEqual({ id: 't1', workflow: 'triage', callCount: 2, totalCost: 1.5, agents: [{ id: 'sorter' }] });
  });
});

describe('the runs table', () => {
  /** Every run as the raw calls make it, and as the runs table holds it. */
  async function compare(workspaceId: string) {
    const fromRaw = await server.db.platform.query(
      `SELECT execution_id, min(occurred_at - coalesce(latency_ms, 0) * interval '1 millisecond') AS started_at, max(occurred_at) AS ended_at,
         count(*)::int AS calls, (count(*) FILTER (WHERE status = 'ERROR'))::int AS errors, sum(input_tokens)::text AS input_tokens,
         sum(output_tokens)::text AS output_tokens, sum(total_cost)::text AS total_cost,
         coalesce(array_agg(DISTINCT agent_id ORDER BY agent_id) FILTER (WHERE agent_id IS NOT NULL), '{}') AS agent_ids,
         array_agg(DISTINCT model_id ORDER BY model_id) AS models,
         (array_agg(workflow ORDER BY id) FILTER (WHERE workflow IS NOT NULL))[1] AS workflow
       FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY execution_id ORDER BY execution_id`,
      [workspaceId],
    );
    const table = await server.db.platform.query(
      `SELECT execution_id, started_at, ended_at, calls, errors, input_tokens::text, output_tokens::text, total_cost::text, agent_ids, models, workflow
       FROM runs WHERE workspace_id = $1 ORDER BY execution_id`,
      [workspaceId],
    );
    const normal = (rows: Record<string, unknown>[]) => rows.map((r) => ({ ...r, total_cost: Number(r.total_cost).toFixed(12) }));
    expect(normal(table)).toEqual(normal(fromRaw));
    // The rollups and the workflows' days too: a run whose start moves to an earlier day moves its workflow's day.
    expect(await driftFromRawRows(server.db.platform, workspaceId)).toEqual([]);
  }

  it('equals sums over the raw calls for random batches with resends and re-pricing', async () => {
    let round = 0;
    const callArbitrary = fc.record({
      event: fc.integer({ min: 0, max: 40 }),
      execution: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
      // Over a UTC midnight (now is noon): a later batch can move a run's start to the day before.
      minutesAgo: fc.integer({ min: 1, max: 1400 }),
      latencyMs: fc.integer({ min: 0, max: 120_000 }),
      inputTokens: fc.integer({ min: 0, max: 5000 }),
      outputTokens: fc.integer({ min: 0, max: 500 }),
      failed: fc.boolean(),
      agent: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: null }),
      model: fc.constantFrom('gpt-4o', 'gpt-4o-mini'),
      workflow: fc.option(fc.constantFrom('triage', 'research'), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(callArbitrary, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }), fc.double({ min: 0.1, max: 20, noNaN: true }), async (batches, price) => {
        round += 1;
        const { workspaceId, key } = await server.workspaceWithKey(`Runs property ${round}`);
        for (const batch of batches) {
          await track(
            key,
            batch.map((c) =>
              call({
                eventId: `e${c.event}`,
                executionId: c.execution === null ? null : `x${c.execution}`,
                occurredAt: at(c.minutesAgo),
                latencyMs: c.latencyMs,
                inputTokens: c.inputTokens,
                outputTokens: c.outputTokens,
                status: c.failed ? 'ERROR' : 'SUCCESS',
                agentId: c.agent,
                modelId: c.model,
                workflow: c.workflow,
              }),
            ),
          );
          await compare(workspaceId);
        }
        const set = await server.gql(SET_PRICE, { input: { modelId: 'gpt-4o', provider: 'openai', inputPerMTok: price, outputPerMTok: price * 3 } }, { key });
        expect(set.errors).toBeUndefined();
        const repriced = await server.gql(REPRICE, { period: 'LAST_24H' }, { key });
        expect(repriced.errors).toBeUndefined();
        await compare(workspaceId);
      }),
      { numRuns: 15 },
    );
  });
});

describe('usageMetrics by WORKFLOW', () => {
  const METRICS_QUERY = `query M($query: MetricsQueryInput!) { usageMetrics(query: $query) { source rows { dimensions { value label } values { metric value } } } }`;

  it.each([
    ['raw rows', 'LAST_1H'],
    ['rollups', 'LAST_30D'],
  ])('groups and filters by workflow from %s, calls naming none as "No workflow"', async (_source, period) => {
    const { key } = await server.workspaceWithKey(`Workflow metrics ${period}`);
    await track(key, [
      call({ workflow: 'triage', occurredAt: at(20), reportedCost: 0.5 }),
      call({ workflow: 'triage', occurredAt: at(10), reportedCost: 0.25 }),
      call({ workflow: 'research', occurredAt: at(5), reportedCost: 2 }),
      call({ occurredAt: at(5), reportedCost: 1 }),
    ]);
    const grouped = await server.gql(METRICS_QUERY, { query: { period, metrics: ['REQUESTS', 'TOTAL_COST'], groupBy: ['WORKFLOW'], orderBy: 'TOTAL_COST' } }, { key });
    expect(grouped.errors).toBeUndefined();
    const rows = grouped.data!.usageMetrics.rows.map((r: { dimensions: { label: string }[]; values: { value: number }[] }) => [r.dimensions[0].label, r.values.map((v) => v.value)]);
    expect(rows).toEqual([
      ['research', [1, 2]],
      ['No workflow', [1, 1]],
      ['triage', [2, 0.75]],
    ]);
    const filtered = await server.gql(METRICS_QUERY, { query: { period, metrics: ['REQUESTS'], filter: { workflows: ['triage', ''] } } }, { key });
    expect(filtered.data!.usageMetrics.rows[0].values[0].value).toBe(3);
  });
});
