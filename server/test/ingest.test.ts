import { createDataSource } from '../src/db/data-source';
import { ingestCalls, INGEST_STATEMENT, prepareIngest } from '../src/ingest/ingest.service';
import { LLM_CALL_COLUMNS, toLlmCallRecord } from '../src/ingest/llm-call.record';
import type { CallValues } from '../src/ingest/validate-call';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

const future = new Date(Date.now() + 10 * 60_000).toISOString();

describe('trackLlmCalls validation', () => {
  it.each([
    ['negative input tokens', { inputTokens: -1 }, 'inputTokens must be a whole number from 0 to 100,000,000, but got -1'],
    ['negative output tokens', { outputTokens: -5 }, 'outputTokens must be a whole number from 0 to 100,000,000, but got -5'],
    ['negative latency', { latencyMs: -3 }, 'latencyMs must be a whole number from 0 to 86400000 (24 hours), but got -3'],
    ['an empty model', { modelId: '  ' }, 'modelId must not be empty'],
    ['an empty provider', { provider: '' }, 'provider must not be empty'],
    ['occurredAt ten minutes ahead', { occurredAt: future }, 'occurredAt must be at most 5 minutes in the future'],
    ['cache tokens above input', { inputTokens: 100, cacheReadTokens: 80, cacheWriteTokens: 40 }, 'cacheReadTokens + cacheWriteTokens must be at most inputTokens (100), but got 80 + 40'],
    ['reasoning above output', { outputTokens: 10, reasoningTokens: 11 }, 'reasoningTokens must be at most outputTokens (10), but got 11'],
    ['an agent id over 128 characters', { agentId: 'a'.repeat(129) }, 'agentId must be at most 128 characters, but got 129'],
  ])('rejects %s with its index and reason, and keeps the others', async (_name, bad, message) => {
    const result = await server.gql(TRACK_MANY, { inputs: [call(), call(bad), call()] });
    expect(result.errors).toBeUndefined();
    expect(result.data!.trackLlmCalls.accepted).toBe(2);
    expect(result.data!.trackLlmCalls.rejected).toHaveLength(1);
    expect(result.data!.trackLlmCalls.rejected[0].index).toBe(1);
    expect(result.data!.trackLlmCalls.rejected[0].message).toContain(message);
  });

  it('refuses a batch of more than 1000 calls as a whole, saying how many arrived', async () => {
    const inputs = Array.from({ length: 1001 }, () => call());
    const result = await server.gql(TRACK_MANY, { inputs });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe('inputs takes at most 1000 calls, but got 1001');
  });

  it('answers a single bad call with BAD_USER_INPUT and the reason', async () => {
    const result = await server.gql(TRACK_ONE, { input: call({ inputTokens: -2 }) });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toContain('inputTokens must be a whole number from 0 to 100,000,000, but got -2');
  });
});

describe('pricing at ingest', () => {
  it('prices a known model from the registry, cache reads at their own rate', async () => {
    const { key } = await server.workspaceWithKey('pricing');
    // gpt-4o: $2.50 input, $1.25 cache read, $10 output per million tokens
    const result = await server.gql(TRACK_ONE, { input: call({ inputTokens: 1_000_000, cacheReadTokens: 400_000, outputTokens: 100_000 }) }, { key });
    const tracked = result.data!.trackLlmCall;
    expect(tracked.priced).toBe(true);
    expect(tracked.inputCost).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25, 10);
    expect(tracked.outputCost).toBeCloseTo(1.0, 10);
    expect(tracked.totalCost).toBeCloseTo(3.0, 10);
  });

  it('stores a model no price covers as unpriced at zero cost', async () => {
    const result = await server.gql(TRACK_ONE, { input: call({ modelId: 'in-house-llm-7b', provider: 'self-hosted' }) });
    expect(result.data!.trackLlmCall).toMatchObject({ priced: false, totalCost: 0, inputCost: 0, outputCost: 0 });
  });

  it('uses a reported cost over the registry', async () => {
    const result = await server.gql(TRACK_ONE, { input: call({ reportedCost: 0.123 }) });
    expect(result.data!.trackLlmCall.totalCost).toBeCloseTo(0.123, 12);
    expect(result.data!.trackLlmCall.priced).toBe(true);
  });
});

describe('duplicates', () => {
  it('stores a resent call once in raw rows, rollups and agent stats', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('dupes');
    const batch = [call({ eventId: 'evt-1', agentId: 'writer' }), call({ eventId: 'evt-2', agentId: 'writer' })];
    const first = await server.gql(TRACK_MANY, { inputs: batch }, { key });
    const again = await server.gql(TRACK_MANY, { inputs: [...batch, call({ eventId: 'evt-1', agentId: 'writer' })] }, { key });
    expect(first.data!.trackLlmCalls).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(again.data!.trackLlmCalls).toMatchObject({ accepted: 0, duplicates: 3 });

    const db = server.db.platform;
    const [raw] = await db.query(`SELECT count(*)::int AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
    const [hourly] = await db.query(`SELECT sum(request_count)::int AS n FROM llm_usage_hourly WHERE workspace_id = $1`, [workspaceId]);
    const [daily] = await db.query(`SELECT sum(request_count)::int AS n FROM llm_usage_daily WHERE workspace_id = $1`, [workspaceId]);
    const [agent] = await db.query(`SELECT model_usage_stats FROM agents WHERE workspace_id = $1 AND id = 'writer'`, [workspaceId]);
    expect([raw.n, hourly.n, daily.n, agent.model_usage_stats['gpt-4o'].requests]).toEqual([2, 2, 2, 2]);
  });

  it('hands over each stored call as its row reads, duplicates left out, whether or not calls carry event ids', async () => {
    const { workspaceId } = await server.workspaceWithKey('stored records');
    const values = (overrides: Parameters<typeof call>[0]) => ({ ...call(overrides), occurredAt: new Date(Date.now() - 60_000) }) as unknown as CallValues;
    const now = new Date();
    await ingestCalls(server.db.dataSource, workspaceId, [values({ eventId: 'rec-old' })], now);
    const batch = [
      values({ eventId: null, inputTokens: 11 }),
      values({ eventId: 'rec-old', inputTokens: 12 }),
      values({ eventId: 'rec-new', inputTokens: 13, agentId: 'rec-agent', reportedCost: 0.25 }),
      values({ eventId: 'rec-new', inputTokens: 14 }),
      values({ eventId: null, inputTokens: 15, latencyMs: 7 }),
    ];
    const outcome = await ingestCalls(server.db.dataSource, workspaceId, batch, now);
    expect(outcome).toMatchObject({ accepted: 3, duplicates: 2 });
    expect(outcome.stored.map((c) => c.inputTokens)).toEqual([11, 13, 15]);
    const rows = await server.db.platform.query(`SELECT ${LLM_CALL_COLUMNS} FROM llm_usage WHERE workspace_id = $1 AND id = ANY($2::bigint[]) ORDER BY id`, [
      workspaceId,
      outcome.stored.map((c) => c.id),
    ]);
    expect(outcome.stored).toEqual(rows.map(toLlmCallRecord));
  });

  it('returns the stored call when trackLlmCall repeats an event id', async () => {
    const first = await server.gql(TRACK_ONE, { input: call({ eventId: 'single-1' }) });
    const second = await server.gql(TRACK_ONE, { input: call({ eventId: 'single-1' }) });
    expect(second.data!.trackLlmCall.id).toBe(first.data!.trackLlmCall.id);
  });

  it('creates an unknown agent named after its id rather than losing the call', async () => {
    const result = await server.gql(TRACK_ONE, { input: call({ agentId: 'brand-new-agent' }) });
    expect(result.data!.trackLlmCall.agent).toEqual({ id: 'brand-new-agent', name: 'brand-new-agent' });
  });
});

describe('llmCalls', () => {
  it('lists calls without an agent for the agent id "" (the "No agent" group)', async () => {
    const { key } = await server.workspaceWithKey('no-agent');
    await server.gql(TRACK_MANY, { inputs: [call({ agentId: 'helper' }), call({ eventId: 'lonely' })] }, { key });
    const { data } = await server.gql(`{ llmCalls(filter: { agentIds: [""] }) { eventId agent { id } } }`, {}, { key });
    expect(data!.llmCalls).toEqual([{ eventId: 'lonely', agent: null }]);
  });

  it("gives every call its agent, with the agent's usage stats as the agents query has them", async () => {
    const { key } = await server.workspaceWithKey('calls with agents');
    const inputs = [
      call({ eventId: 'w1', agentId: 'writer', modelId: 'gpt-4o' }),
      call({ eventId: 'r1', agentId: 'reader', modelId: 'gpt-4o-mini' }),
      call({ eventId: 'w2', agentId: 'writer', modelId: 'gpt-4o-mini' }),
      call({ eventId: 'none' }),
      call({ eventId: 'w3', agentId: 'writer', modelId: 'gpt-4o' }),
    ];
    await server.gql(TRACK_MANY, { inputs }, { key });
    await server.gql(`mutation { upsertAgent(input: { id: "reader", name: "Reader" }) { id } }`, {}, { key });
    const agentFields = 'id name modelUsageStats { modelId requests totalTokens totalCost }';
    const { data } = await server.gql(`{ llmCalls(limit: 10) { eventId agent { ${agentFields} } } agents { ${agentFields} } }`, {}, { key });
    type AgentAnswer = { id: string; name: string; modelUsageStats: { requests: number }[] };
    const agents = new Map<string, AgentAnswer>(data!.agents.map((a: AgentAnswer) => [a.id, a]));
    expect(agents.get('writer')!.modelUsageStats.map((s) => s.requests).sort()).toEqual([1, 2]);
    expect(agents.get('reader')!.name).toBe('Reader');
    const byEvent = Object.fromEntries(data!.llmCalls.map((c: { eventId: string; agent: unknown }) => [c.eventId, c.agent]));
    expect(byEvent).toEqual({ w1: agents.get('writer'), w2: agents.get('writer'), w3: agents.get('writer'), r1: agents.get('reader'), none: null });
  });
});

describe('concurrent batches', () => {
  it('never deadlock on the agents and rollup rows they share, and count every call once', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('concurrent batches');
    const agents = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'h8'];
    const deadlocks = async () =>
      Number((await server.db.platform.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`))[0].deadlocks);
    const before = await deadlocks();
    // Each batch names the agents in another order, as independent trackers would.
    const batches = Array.from({ length: 16 }, (_, b) =>
      Array.from({ length: 24 }, (_, i) => call({ agentId: agents[(i * (b % 2 ? 3 : 5) + b) % agents.length], modelId: i % 2 ? 'gpt-4o' : 'gpt-4o-mini' })),
    );
    const results = await Promise.all(batches.map((inputs) => server.gql(TRACK_MANY, { inputs }, { key })));
    expect(results.map((r) => r.errors ?? r.data!.trackLlmCalls.accepted)).toEqual(batches.map(() => 24));
    expect(await deadlocks()).toBe(before);
    const [stored] = await server.db.platform.query(
      `SELECT (SELECT count(*) FROM llm_usage WHERE workspace_id = $1)::int AS raw,
              (SELECT sum(request_count) FROM llm_usage_hourly WHERE workspace_id = $1)::int AS hourly,
              (SELECT sum((s.value ->> 'requests')::int) FROM agents a, jsonb_each(a.model_usage_stats) s WHERE a.workspace_id = $1)::int AS agents`,
      [workspaceId],
    );
    expect(stored).toEqual({ raw: 384, hourly: 384, agents: 384 });
  });
});

describe('new database connections', () => {
  it('are handed out with the ingest statement prepared, outside the preparation’s transaction', async () => {
    const dataSource = createDataSource(server.db.url, 2, { prepareConnection: prepareIngest });
    await dataSource.initialize();
    try {
      const [first] = await dataSource.query(
        `SELECT current_user <> 'tally_app' AS own_role, now() = statement_timestamp() AS own_transaction, array(SELECT name FROM pg_prepared_statements) AS prepared`,
      );
      expect(first).toEqual({ own_role: true, own_transaction: true, prepared: [INGEST_STATEMENT] });
    } finally {
      await dataSource.destroy();
    }
  });
});
