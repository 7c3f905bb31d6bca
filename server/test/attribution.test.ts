import { call, TRACK_MANY } from './fixtures/calls';
import { events } from './support/events';
import { startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

const NOW = new Date('2026-06-15T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

const METRICS = `query M($query: MetricsQueryInput!) {
  usageMetrics(query: $query) { source overlapping rows { dimensions { value label } values { metric value } } }
}`;
const CALLS = `query C($filter: UsageFilter) { llmCalls(limit: 100, filter: $filter) { eventId userId sessionId tags metadata } }`;

let server: TestServer;
beforeAll(async () => {
  // Long periods read rollups wherever the range allows, so the attribution rollups are the ones answering.
  server = await startTestServer({ now: () => NOW, env: { METRICS_SOURCES: 'rollup' } });
});
afterAll(() => server.dispose());

async function track(key: string, inputs: Record<string, unknown>[]) {
  const result = await server.gql(TRACK_MANY, { inputs }, { key });
  expect(result.errors).toBeUndefined();
  return result.data!.trackLlmCalls as { accepted: number; rejected: { index: number; message: string }[] };
}

type MetricsRow = { dimensions: { value: string; label: string }[]; values: { metric: string; value: number }[] };
async function metrics(key: string, query: Record<string, unknown>) {
  const result = await server.gql(METRICS, { query }, { key });
  expect(result.errors).toBeUndefined();
  const answer = result.data!.usageMetrics as { source: string; overlapping: boolean; rows: MetricsRow[] };
  return { ...answer, rows: answer.rows.map((r) => [r.dimensions.map((d) => d.label).join(' / '), ...r.values.map((v) => v.value)]) };
}

describe('attribution limits', () => {
  const long = (n: number) => 'x'.repeat(n);
  it.each([
    ['a userId over 200 characters', { userId: long(201) }, 'userId must be at most 200 characters, but got 201'],
    ['a sessionId over 200 characters', { sessionId: long(201) }, 'sessionId must be at most 200 characters, but got 201'],
    ['an empty userId', { userId: '  ' }, 'userId must be left out or not empty, but got "  "'],
    ['51 different tags', { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags takes at most 50 different tags, but got 51'],
    ['an empty tag', { tags: ['prod', '   '] }, 'tags[1] must be 1 to 200 characters, but got "   "'],
    ['a tag over 200 characters', { tags: [long(201)] }, 'tags[0] must be at most 200 characters, but got 201'],
    ['metadata that is an array', { metadata: ['a'] }, 'metadata must be a JSON object, but got an array'],
    ['metadata that is a string', { metadata: 'plan=pro' }, 'metadata must be a JSON object, but got a string'],
    ['metadata over 16 KB', { metadata: { blob: long(16_400) } }, 'metadata must be at most 16384 bytes of JSON, but got 16411'],
  ])('rejects %s with its index and reason, and keeps the rest of the batch', async (_name, bad, message) => {
    const { key } = await server.workspaceWithKey(`limits ${_name}`);
    const outcome = await track(key, [call({ userId: 'ok' }), call(bad), call({ tags: ['fine'] })]);
    expect(outcome).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, message }] });
  });

  it('keeps ids and tags at their limits, tags trimmed and each once in the order first given', async () => {
    const { key } = await server.workspaceWithKey('limits kept');
    const fifty = Array.from({ length: 50 }, (_, i) => `tag-${i}`);
    const outcome = await track(key, [
      call({ eventId: 'edge', userId: 'u'.repeat(200), sessionId: 's'.repeat(200), tags: [...fifty, ' tag-0 ', 'tag-1'], metadata: { plan: 'pro' } }),
      call({ eventId: 'trimmed', userId: ' ada ', tags: [' prod ', 'prod', 'beta', 'prod'] }),
    ]);
    expect(outcome.rejected).toEqual([]);
    const { data } = await server.gql(CALLS, {}, { key });
    const byEvent = new Map(data!.llmCalls.map((c: { eventId: string }) => [c.eventId, c]));
    expect(byEvent.get('edge')).toMatchObject({ userId: 'u'.repeat(200), tags: fifty, metadata: { plan: 'pro' } });
    expect(byEvent.get('trimmed')).toMatchObject({ userId: 'ada', sessionId: null, tags: ['prod', 'beta'], metadata: null });
  });
});

describe('usageMetrics by user and tag', () => {
  let key: string;
  beforeAll(async () => {
    ({ key } = await server.workspaceWithKey('Attribution metrics'));
    // Every call an hour ago (LAST_1H and LAST_24H) or days ago (LAST_30D), exact reported costs.
    const at = (ms: number) => [ago(ms), ago(5 * DAY + ms)];
    const calls = at(20 * 60_000).flatMap((occurredAt) => [
      call({ occurredAt, reportedCost: 1, userId: 'ada', tags: ['prod', 'eu'], metadata: { feature: 'search', plan: 3 } }),
      call({ occurredAt, reportedCost: 2, userId: 'ada', tags: ['prod'], metadata: { feature: 'chat', beta: true } }),
      call({ occurredAt, reportedCost: 4, userId: 'grace', tags: ['staging', 'eu'], metadata: { feature: 'search', plan: '3.0' } }),
      call({ occurredAt, reportedCost: 8, status: 'ERROR' }),
    ]);
    await track(key, calls);
  });

  it.each([
    ['raw rows', 'LAST_1H', 'RAW'],
    ['the daily user rollup', 'LAST_30D', 'ROLLUP'],
  ])('groups by user from %s, calls without a user as "No user", in cost order', async (_source, period, source) => {
    const days = period === 'LAST_30D' ? 2 : 1;
    const answer = await metrics(key, { period, metrics: ['TOTAL_COST', 'REQUESTS', 'ERROR_RATE'], groupBy: ['USER'] });
    expect(answer.source).toBe(source);
    expect(answer.overlapping).toBe(false);
    expect(answer.rows).toEqual([
      ['No user', 8 * days, days, 1],
      ['grace', 4 * days, days, 0],
      ['ada', 3 * days, 2 * days, 0],
    ]);
  });

  it.each([
    ['raw rows', 'LAST_1H', 'RAW'],
    ['the tag rollups', 'LAST_30D', 'ROLLUP'],
  ])('groups by tag from %s, a call under each of its tags, and says the groups overlap', async (_source, period, source) => {
    const days = period === 'LAST_30D' ? 2 : 1;
    const answer = await metrics(key, { period, metrics: ['TOTAL_COST'], groupBy: ['TAG'], orderBy: 'TOTAL_COST', limit: 3 });
    expect(answer.source).toBe(source);
    expect(answer.overlapping).toBe(true);
    expect(answer.rows).toEqual([
      ['No tag', 8 * days],
      ['eu', 5 * days],
      ['staging', 4 * days],
    ]);
  });

  it.each([
    [{ userIds: ['ada', 'grace'] }, 7],
    [{ userIds: [''] }, 8],
    [{ tags: ['prod'] }, 3],
    [{ tags: ['prod', 'eu'] }, 1],
    [{ tags: ['eu'], userIds: ['grace'] }, 4],
    [{ metadata: [{ key: 'feature', value: 'search' }] }, 5],
    [{ metadata: [{ key: 'plan', value: '3' }] }, 1],
    [{ metadata: [{ key: 'plan', value: '3.0' }] }, 4],
    [{ metadata: [{ key: 'beta', value: 'true' }] }, 2],
    [{ metadata: [{ key: 'feature', value: 'search' }, { key: 'plan', value: '3' }] }, 1],
    [{ metadata: [{ key: 'feature', value: 'Search' }] }, 0],
  ])('filters by %j over raw rows and rollups alike', async (filter, cost) => {
    for (const [period, days] of [['LAST_1H', 1], ['LAST_30D', 2]] as const) {
      const answer = await metrics(key, { period, metrics: ['TOTAL_COST'], filter });
      expect(answer.rows).toEqual([['', cost * days]]);
    }
  });

  it('gives every metric by user per day in a zone, as by model', async () => {
    const answer = await metrics(key, {
      period: 'LAST_30D',
      timezone: 'Europe/Berlin',
      metrics: ['REQUESTS', 'P95_LATENCY_MS', 'AVG_LATENCY_MS'],
      groupBy: ['USER'],
      bucket: 'DAY',
      filter: { userIds: ['ada'] },
    });
    expect(answer.rows).toEqual([
      ['ada', 2, expect.closeTo(850, -2), 850],
      ['ada', 2, expect.closeTo(850, -2), 850],
    ]);
  });
});

describe('calls, the live feed and the export by attribution', () => {
  it('lists, streams and exports only the calls a filter keeps', async () => {
    const { key } = await server.workspaceWithKey('Attribution calls');
    const feed = events<{ llmCallTracked: { eventId: string } }>(
      server.wsClient({ authorization: `Bearer ${key}` }),
      `subscription($filter: UsageFilter) { llmCallTracked(filter: $filter) { eventId } }`,
      { filter: { tags: ['prod'], metadata: [{ key: 'feature', value: 'search' }] } },
    );
    await countReaches(server.gateway.services.subscriptions.live, 'llmCallTracked', 1);
    await track(key, [
      call({ eventId: 'kept', occurredAt: ago(HOUR), userId: 'ada', tags: ['prod', 'eu'], metadata: { feature: 'search' } }),
      call({ eventId: 'other-tag', occurredAt: ago(HOUR), userId: 'ada', tags: ['staging'], metadata: { feature: 'search' } }),
      call({ eventId: 'other-feature', occurredAt: ago(HOUR), userId: 'grace', tags: ['prod'], metadata: { feature: 'chat' } }),
    ]);
    expect((await feed()).llmCallTracked.eventId).toBe('kept');

    const listed = await server.gql(CALLS, { filter: { userIds: ['ada'], tags: ['prod'] } }, { key });
    expect(listed.data!.llmCalls.map((c: { eventId: string }) => c.eventId)).toEqual(['kept']);

    const url = server.url.replace('/graphql', '/api/export/llm-calls.csv');
    const response = await fetch(`${url}?period=LAST_24H&tag=prod&metadata=feature%3Dsearch`, { headers: { authorization: `Bearer ${key}` } });
    const [header, ...rows] = (await response.text()).trimEnd().split('\n');
    expect(header.split(',').slice(-5)).toEqual(['workflow', 'user_id', 'session_id', 'tags', 'metadata']);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('kept');
    expect(rows[0].endsWith(',ada,,"[""prod"",""eu""]","{""feature"": ""search""}"')).toBe(true);

    const refused = await fetch(`${url}?period=LAST_24H&metadata=feature`, { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: { message: string }[] }).errors[0].message).toBe('metadata must be key=value, but got "feature"');
  });
});

describe('attribution across workspaces', () => {
  it("shows one workspace none of another's users, tags or metadata", async () => {
    const a = await server.workspaceWithKey('Attribution A');
    const b = await server.workspaceWithKey('Attribution B');
    await track(a.key, [call({ occurredAt: ago(2 * DAY), userId: 'secret-user', tags: ['secret-tag'], metadata: { secret: 'yes' }, reportedCost: 5 })]);
    await track(b.key, [call({ occurredAt: ago(2 * DAY), userId: 'b-user', reportedCost: 1 })]);
    for (const groupBy of ['USER', 'TAG']) {
      const answer = await metrics(b.key, { period: 'LAST_30D', metrics: ['TOTAL_COST'], groupBy: [groupBy] });
      expect(JSON.stringify(answer.rows)).not.toContain('secret');
    }
    for (const filter of [{ userIds: ['secret-user'] }, { tags: ['secret-tag'] }, { metadata: [{ key: 'secret', value: 'yes' }] }]) {
      expect((await metrics(b.key, { period: 'LAST_30D', metrics: ['TOTAL_COST'], filter })).rows).toEqual([['', 0]]);
      const listed = await server.gql(CALLS, { filter }, { key: b.key });
      expect(listed.data!.llmCalls).toEqual([]);
    }
  });
});

describe('a budget for one end user', () => {
  const SET = `mutation S($input: BudgetInput!) { setBudget(input: $input) { id userId spent } }`;

  it("counts only that user's calls, replaces the same user's budget, and alerts as other budgets do", async () => {
    const { key } = await server.workspaceWithKey('User budget');
    await track(key, [
      call({ occurredAt: ago(HOUR), userId: 'acme', reportedCost: 0.85 }),
      call({ occurredAt: ago(HOUR), userId: 'globex', reportedCost: 5 }),
      call({ occurredAt: ago(HOUR), reportedCost: 5 }),
    ]);
    const first = await server.gql(SET, { input: { amount: 10, window: 'DAY', userId: 'acme' } }, { key });
    expect(first.data!.setBudget).toMatchObject({ userId: 'acme', spent: 0.85 });
    const replaced = await server.gql(SET, { input: { amount: 1, window: 'DAY', userId: ' acme ' } }, { key });
    expect(replaced.data!.setBudget.id).toBe(first.data!.setBudget.id);
    const { data } = await server.gql(`{ budgets { userId amount } alerts(limit: 10) { kind message } }`, {}, { key });
    expect(data!.budgets).toEqual([{ userId: 'acme', amount: 1 }]);
    expect(data!.alerts).toEqual([{ kind: 'BUDGET_THRESHOLD', message: 'Budget $1.00 per day for user acme: 85% spent ($0.85), past the 80% threshold' }]);
  });

  it('refuses a userId over 200 characters', async () => {
    const { key } = await server.workspaceWithKey('User budget limit');
    const result = await server.gql(SET, { input: { amount: 1, window: 'DAY', userId: 'u'.repeat(201) } }, { key });
    expect(result.errors![0].message).toBe('userId must be at most 200 characters, but got 201');
  });
});

describe("an end user's sessions", () => {
  const SESSIONS = `query S($userId: String!, $period: Period!, $limit: Int) {
    userSessions(userId: $userId, period: $period, limit: $limit) { total sessions { sessionId calls errors totalCost models firstCallAt lastCallAt } }
  }`;

  it('sums each session in the database, the latest first and the calls without one last, for that user of that workspace only', async () => {
    const { key } = await server.workspaceWithKey('sessions');
    const other = await server.workspaceWithKey('sessions elsewhere');
    const at = (hoursAgo: number) => ago(hoursAgo * HOUR);
    // Costs that floating point adds badly: 0.1 + 0.2 is not 0.3 in a double.
    const costing = (tenthsOfADollar: number) => ({ reportedCost: tenthsOfADollar / 10 });
    await track(key, [
      call({ userId: 'ada', sessionId: 's-1', occurredAt: at(30), modelId: 'gpt-4o-mini', ...costing(1) }),
      call({ userId: 'ada', sessionId: 's-1', occurredAt: at(29), modelId: 'gpt-4o', ...costing(2) }),
      call({ userId: 'ada', sessionId: 's-1', occurredAt: at(28), modelId: 'gpt-4o-mini', ...costing(0), status: 'ERROR', errorType: 'timeout' }),
      call({ userId: 'ada', sessionId: 's-2', occurredAt: at(2), modelId: 'gpt-4o', ...costing(5) }),
      call({ userId: 'ada', occurredAt: at(1), modelId: 'gpt-4o', ...costing(7) }),
      call({ userId: 'grace', sessionId: 's-3', occurredAt: at(3), ...costing(9) }),
      call({ userId: 'ada', sessionId: 's-old', occurredAt: at(24 * 40), ...costing(4) }),
    ]);
    await track(other.key, [call({ userId: 'ada', sessionId: 's-elsewhere', occurredAt: at(1), ...costing(3) })]);

    const result = await server.gql(SESSIONS, { userId: 'ada', period: 'LAST_7D' }, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.userSessions).toEqual({
      total: 2,
      sessions: [
        { sessionId: 's-2', calls: 1, errors: 0, totalCost: 0.5, models: ['gpt-4o'], firstCallAt: at(2), lastCallAt: at(2) },
        { sessionId: 's-1', calls: 3, errors: 1, totalCost: 0.3, models: ['gpt-4o-mini', 'gpt-4o'], firstCallAt: at(30), lastCallAt: at(28) },
        { sessionId: null, calls: 1, errors: 0, totalCost: 0.7, models: ['gpt-4o'], firstCallAt: at(1), lastCallAt: at(1) },
      ],
    });
    const latest = await server.gql(SESSIONS, { userId: 'ada', period: 'LAST_7D', limit: 1 }, { key });
    expect(latest.data!.userSessions).toEqual({ total: 2, sessions: [expect.objectContaining({ sessionId: 's-2' })] });
    const nobody = await server.gql(SESSIONS, { userId: 'nobody', period: 'LAST_7D' }, { key });
    expect(nobody.data!.userSessions).toEqual({ total: 0, sessions: [] });
  });

  it.each([
    [{ limit: 0 }, 'limit must be from 1 to 200, but got 0'],
    [{ limit: 201 }, 'limit must be from 1 to 200, but got 201'],
    [{ userId: 'u'.repeat(201) }, 'userId must be at most 200 characters, but got 201'],
  ])('refuses %j with BAD_USER_INPUT', async (variables, message) => {
    const result = await server.gql(SESSIONS, { userId: 'ada', period: 'LAST_7D', ...variables });
    expect(result.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('the summary and the cost breakdown under a filter', () => {
  const SUMMARY = `query S($filter: UsageFilter) { llmSummary(period: LAST_7D, filter: $filter) {
    totalRequests totalCost totalTokens byokRequests byokSavings activeAgents topModel trends { requestsChangePct costChangePct } } }`;
  const COSTS = `query C($filter: UsageFilter) { llmCosts(period: LAST_7D, breakdown: MODEL, filter: $filter) { key requests totalCost share } }`;

  it('counts only the calls the filter keeps, in the period and the one before', async () => {
    const { key } = await server.workspaceWithKey('filtered summary');
    const cost = (dollars: number) => ({ reportedCost: dollars });
    await track(key, [
      call({ userId: 'ada', tags: ['prod'], agentId: 'planner', modelId: 'gpt-4o', occurredAt: ago(2 * HOUR), ...cost(3) }),
      call({ userId: 'ada', tags: ['prod'], agentId: 'writer', modelId: 'gpt-4o-mini', occurredAt: ago(3 * HOUR), isByok: true, ...cost(1) }),
      call({ userId: 'grace', tags: ['beta'], agentId: 'critic', modelId: 'gpt-4o-mini', occurredAt: ago(4 * HOUR), ...cost(10) }),
      call({ userId: 'ada', tags: ['prod'], agentId: 'planner', modelId: 'gpt-4o', occurredAt: ago(8 * DAY), ...cost(2) }),
    ]);
    const summary = async (filter: Record<string, unknown> | null) => {
      const result = await server.gql(SUMMARY, { filter }, { key });
      expect(result.errors).toBeUndefined();
      return result.data!.llmSummary;
    };
    expect(await summary({ tags: ['prod'] })).toEqual({
      totalRequests: 2,
      totalCost: 4,
      totalTokens: 2400,
      byokRequests: 1,
      byokSavings: 1,
      activeAgents: 2,
      topModel: 'gpt-4o',
      trends: { requestsChangePct: 100, costChangePct: 100 },
    });
    expect(await summary({ userIds: ['grace'] })).toMatchObject({ totalRequests: 1, totalCost: 10, activeAgents: 1, topModel: 'gpt-4o-mini', trends: { requestsChangePct: null } });
    expect(await summary({ tags: ['prod'], isByok: false })).toMatchObject({ totalRequests: 1, byokRequests: 0, byokSavings: 0 });
    expect(await summary(null)).toMatchObject({ totalRequests: 3, totalCost: 14 });

    const costs = await server.gql(COSTS, { filter: { userIds: ['ada'] } }, { key });
    expect(costs.errors).toBeUndefined();
    expect(costs.data!.llmCosts).toEqual([
      { key: 'gpt-4o', requests: 1, totalCost: 3, share: 0.75 },
      { key: 'gpt-4o-mini', requests: 1, totalCost: 1, share: 0.25 },
    ]);
  });

  it('refuses a filter over its limits with BAD_USER_INPUT', async () => {
    const tooMany = { metadata: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })) };
    for (const query of [SUMMARY, COSTS]) {
      const result = await server.gql(query, { filter: tooMany });
      expect(result.errors?.[0]).toMatchObject({ message: 'filter.metadata takes at most 20 pairs, but got 21', extensions: { code: 'BAD_USER_INPUT' } });
    }
  });
});
