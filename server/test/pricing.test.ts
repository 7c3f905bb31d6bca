import { call, TRACK_MANY } from './fixtures/calls';
import { periodRange } from '../src/metrics/metrics.model';
import { repriceCalls } from '../src/pricing/prices.service';
import { startTestServer, type TestServer } from './support/server';
import { driftFromRawRows } from './support/stored-calls';

const NOW = new Date('2026-06-15T12:30:00Z');
const PRICE = `query P($m: String!, $p: String) { modelPrice(modelId: $m, provider: $p) { modelId provider inputPerMTok outputPerMTok cacheReadPerMTok source } }`;
const SET = `mutation S($input: ModelPriceInput!) { setModelPrice(input: $input) { modelId provider inputPerMTok outputPerMTok source } }`;
const REPRICE = `mutation R($period: Period, $models: [String!]) { repriceLlmCalls(period: $period, modelIds: $models) { updated costDelta } }`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
});
afterAll(() => server.dispose());

async function sums(workspaceId: string): Promise<{ raw: number; hourly: number; daily: number; unpricedRaw: number; unpricedHourly: number }> {
  const db = server.db.platform;
  const [raw] = await db.query(
    `SELECT sum(total_cost)::float8 AS c, sum(CASE WHEN priced THEN 0 ELSE 1 END)::int AS u FROM llm_usage WHERE workspace_id = $1`,
    [workspaceId],
  );
  const [hourly] = await db.query(`SELECT sum(total_cost)::float8 AS c, sum(unpriced_count)::int AS u FROM llm_usage_hourly WHERE workspace_id = $1`, [workspaceId]);
  const [daily] = await db.query(`SELECT sum(total_cost)::float8 AS c FROM llm_usage_daily WHERE workspace_id = $1`, [workspaceId]);
  return { raw: raw.c, hourly: hourly.c, daily: daily.c, unpricedRaw: raw.u, unpricedHourly: hourly.u };
}

describe('model prices', () => {
  it('answers the registry price when no override exists', async () => {
    const { key } = await server.workspaceWithKey('registry');
    const { data } = await server.gql(PRICE, { m: 'gpt-4o', p: 'openai' }, { key });
    expect(data!.modelPrice).toEqual({ modelId: 'gpt-4o', provider: 'openai', inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25, source: 'REGISTRY' });
  });

  it('answers null for a model no price covers', async () => {
    const { data } = await server.gql(PRICE, { m: 'in-house-7b', p: 'self-hosted' });
    expect(data!.modelPrice).toBeNull();
  });

  it('lets a workspace override win over the registry for that workspace only', async () => {
    const mine = await server.workspaceWithKey('mine');
    const theirs = await server.workspaceWithKey('theirs');
    await server.gql(SET, { input: { modelId: 'gpt-4o', provider: 'OpenAI', inputPerMTok: 5, outputPerMTok: 20 } }, { key: mine.key });
    const own = await server.gql(PRICE, { m: 'gpt-4o', p: 'openai' }, { key: mine.key });
    const other = await server.gql(PRICE, { m: 'gpt-4o', p: 'openai' }, { key: theirs.key });
    expect(own.data!.modelPrice).toMatchObject({ inputPerMTok: 5, outputPerMTok: 20, source: 'OVERRIDE' });
    expect(other.data!.modelPrice).toMatchObject({ inputPerMTok: 2.5, source: 'REGISTRY' });
    const tracked = await server.gql(
      `mutation { trackLlmCall(input: { modelId: "gpt-4o", provider: "openai", inputTokens: 1000000, outputTokens: 0, latencyMs: 10, status: SUCCESS, requestType: "chat" }) { totalCost } }`,
      {},
      { key: mine.key },
    );
    expect(tracked.data!.trackLlmCall.totalCost).toBeCloseTo(5, 10);
  });

  it('lets an admin in scope __all__ set a platform price that a workspace override still beats', async () => {
    const a = await server.workspaceWithKey('platform-a');
    const b = await server.workspaceWithKey('platform-b');
    await server.gql(SET, { input: { modelId: 'llama-local', provider: 'self-hosted', inputPerMTok: 0.1, outputPerMTok: 0.2 } }, { workspace: '__all__' });
    await server.gql(SET, { input: { modelId: 'llama-local', provider: 'self-hosted', inputPerMTok: 0.3, outputPerMTok: 0.4 } }, { key: b.key });
    const seenByA = await server.gql(PRICE, { m: 'llama-local', p: 'self-hosted' }, { key: a.key });
    const seenByB = await server.gql(PRICE, { m: 'llama-local', p: 'self-hosted' }, { key: b.key });
    expect(seenByA.data!.modelPrice).toMatchObject({ inputPerMTok: 0.1, outputPerMTok: 0.2, source: 'OVERRIDE' });
    expect(seenByB.data!.modelPrice).toMatchObject({ inputPerMTok: 0.3, outputPerMTok: 0.4, source: 'OVERRIDE' });
  });

  it.each([
    [{ inputPerMTok: -1, outputPerMTok: 1 }, 'inputPerMTok must be dollars per million tokens from 0 to 100000, but got -1'],
    [{ inputPerMTok: 1, outputPerMTok: 1, cacheReadPerMTok: -0.5 }, 'cacheReadPerMTok must be dollars per million tokens from 0 to 100000, but got -0.5'],
  ])('refuses a bad price %j', async (rates, message) => {
    const { errors } = await server.gql(SET, { input: { modelId: 'gpt-4o', provider: 'openai', ...rates } });
    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0].message).toBe(message);
  });
});

describe('unpricedModels', () => {
  it('lists the models whose calls no price covered', async () => {
    const { key } = await server.workspaceWithKey('unpriced');
    await server.gql(
      TRACK_MANY,
      { inputs: [call({ modelId: 'mystery-model', provider: 'acme', occurredAt: '2026-06-14T10:00:00Z' }), call({ occurredAt: '2026-06-14T10:00:00Z' })] },
      { key },
    );
    const { data } = await server.gql(`{ unpricedModels(period: LAST_7D) { key requests totalCost } }`, {}, { key });
    expect(data!.unpricedModels).toEqual([{ key: 'mystery-model', requests: 1, totalCost: 0 }]);
  });
});

describe('repriceLlmCalls', () => {
  it('changes raw costs, both rollups and agent stats by the same amount, leaving reported costs alone', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('reprice');
    // Two gpt-4o calls at $0.35 each (100k in, 10k out), one with a reported cost, one unpriced.
    await server.gql(
      TRACK_MANY,
      {
        inputs: [
          call({ inputTokens: 100_000, outputTokens: 10_000, agentId: 'writer', occurredAt: '2026-06-10T10:15:00Z', userId: 'ada', tags: ['prod', 'eu'] }),
          call({ inputTokens: 100_000, outputTokens: 10_000, agentId: 'writer', occurredAt: '2026-06-12T18:45:00Z', userId: 'ada', tags: ['prod'] }),
          call({ inputTokens: 100_000, outputTokens: 10_000, reportedCost: 0.5, occurredAt: '2026-06-12T18:50:00Z', userId: 'grace' }),
          call({ modelId: 'house-model', provider: 'self-hosted', inputTokens: 1_000_000, outputTokens: 0, occurredAt: '2026-06-13T08:00:00Z' }),
        ],
      },
      { key },
    );
    const before = await sums(workspaceId);
    expect(before.raw).toBeCloseTo(1.2, 10);
    await server.gql(SET, { input: { modelId: 'gpt-4o', provider: 'openai', inputPerMTok: 5, outputPerMTok: 20 } }, { key });
    await server.gql(SET, { input: { modelId: 'house-model', provider: 'self-hosted', inputPerMTok: 0.25, outputPerMTok: 1 } }, { key });

    const { data } = await server.gql(REPRICE, { period: 'LAST_30D' }, { key });
    expect(data!.repriceLlmCalls.updated).toBe(3);
    expect(data!.repriceLlmCalls.costDelta).toBeCloseTo(0.7 + 0.25, 10);

    const after = await sums(workspaceId);
    expect(after.raw).toBeCloseTo(1.2 + 0.95, 10);
    expect(after.hourly).toBeCloseTo(after.raw, 10);
    expect(after.daily).toBeCloseTo(after.raw, 10);
    expect([after.unpricedRaw, after.unpricedHourly]).toEqual([0, 0]);
    const agents = await server.gql(`{ agents { id modelUsageStats { modelId totalCost } } }`, {}, { key });
    expect(agents.data!.agents[0].modelUsageStats[0].totalCost).toBeCloseTo(1.4, 10);
    const reported = await server.db.platform.query(`SELECT total_cost::float8 AS c FROM llm_usage WHERE workspace_id = $1 AND price_source = 'REPORTED'`, [workspaceId]);
    expect(reported[0].c).toBeCloseTo(0.5, 12);
    // The user and tag rollups moved with the raw rows too.
    expect(await driftFromRawRows(server.db.platform, workspaceId)).toEqual([]);
  });

  it('re-prices only the named models and only in the caller’s workspace', async () => {
    const a = await server.workspaceWithKey('reprice-a');
    const b = await server.workspaceWithKey('reprice-b');
    for (const k of [a.key, b.key]) {
      await server.gql(TRACK_MANY, { inputs: [call({ occurredAt: '2026-06-14T10:00:00Z' }), call({ modelId: 'gpt-4o-mini', occurredAt: '2026-06-14T10:00:00Z' })] }, { key: k });
      await server.gql(SET, { input: { modelId: 'gpt-4o', provider: 'openai', inputPerMTok: 100, outputPerMTok: 100 } }, { key: k });
      await server.gql(SET, { input: { modelId: 'gpt-4o-mini', provider: 'openai', inputPerMTok: 100, outputPerMTok: 100 } }, { key: k });
    }
    const bBefore = await sums(b.workspaceId);
    const { data } = await server.gql(REPRICE, { period: 'LAST_7D', models: ['gpt-4o-mini'] }, { key: a.key });
    expect(data!.repriceLlmCalls.updated).toBe(1);
    expect(await sums(b.workspaceId)).toEqual(bBefore);
  });

  it('leaves, batch by batch, exactly what one transaction over the range leaves', async () => {
    const inBatches = await server.workspaceWithKey('reprice in batches');
    const inOne = await server.workspaceWithKey('reprice at once');
    const calls = Array.from({ length: 9 }, (_, i) =>
      call({
        eventId: `batch-${i}`,
        modelId: ['gpt-4o', 'gpt-4o-mini', 'house-model'][i % 3],
        provider: i % 3 === 2 ? 'self-hosted' : 'openai',
        agentId: i % 4 === 0 ? null : `agent-${i % 2}`,
        reportedCost: i === 4 ? 0.5 : undefined,
        inputTokens: 1000 * (i + 1),
        occurredAt: new Date(NOW.getTime() - i * 5 * 3_600_000).toISOString(),
      }),
    );
    const outcomes = [];
    for (const [{ key, workspaceId }, batchSize] of [
      [inBatches, 2],
      [inOne, 1000],
    ] as const) {
      await server.gql(TRACK_MANY, { inputs: calls }, { key });
      await server.gql(SET, { input: { modelId: 'gpt-4o-mini', provider: 'openai', inputPerMTok: 3, outputPerMTok: 7 } }, { key });
      await server.gql(SET, { input: { modelId: 'house-model', provider: 'self-hosted', inputPerMTok: 0.5, outputPerMTok: 1 } }, { key });
      const scope = { kind: 'workspace', workspaceId } as const;
      outcomes.push(await repriceCalls(server.db.dataSource, scope, { range: periodRange('LAST_7D', NOW), batchSize }, NOW));
      expect(await driftFromRawRows(server.db.platform, workspaceId)).toEqual([]);
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0].updated).toBe(5); // gpt-4o-mini twice (its third call has a reported cost), house-model three times
    const costs = (workspaceId: string) =>
      server.db.platform.query(`SELECT event_id, total_cost::text, price_source FROM llm_usage WHERE workspace_id = $1 ORDER BY event_id`, [workspaceId]);
    expect(await costs(inBatches.workspaceId)).toEqual(await costs(inOne.workspaceId));
  });

  it('asks for a range when none is given', async () => {
    const { errors } = await server.gql(REPRICE, {});
    expect(errors![0].message).toBe('give a period, or both from and to');
  });
});
