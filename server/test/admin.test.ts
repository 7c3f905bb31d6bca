import { sourceChoiceObservers, useSourcePolicy } from '../src/metrics/metrics.service';
import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

const NOW = new Date('2026-06-15T12:30:00Z');
// gpt-4o: 100k in + 10k out = $0.35; gpt-4o-mini: 1M in + 100k out = $0.21 (registry prices).
const gpt4o = (at: string, extra: Record<string, unknown> = {}) =>
  call({ modelId: 'gpt-4o', inputTokens: 100_000, outputTokens: 10_000, occurredAt: at, ...extra });
const mini = (at: string) => call({ modelId: 'gpt-4o-mini', inputTokens: 1_000_000, outputTokens: 100_000, occurredAt: at });
const DASHBOARD = `{ adminDashboard(period: LAST_7D) {
  totalCost mrrProjection workspaceCount activeWorkspaces apiRequests totalTokens byokSavings
  dailyCostByProvider { date provider cost } byokSplit { byokCost platformCost byokRequests platformRequests }
  workspaces { name plan cost tokens requests isAnomaly } planDistribution { plan count } anomalies { name cost } } }`;

let server: TestServer;
let a: { key: string; workspaceId: string };
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
  a = await server.workspaceWithKey('Alpha', 'MEMBER', 'pro');
  const b = await server.workspaceWithKey('Beta', 'MEMBER', 'free');
  const c = await server.workspaceWithKey('Gamma', 'MEMBER', 'pro');
  await server.gql(TRACK_MANY, { inputs: [gpt4o('2026-06-10T10:00:00Z'), gpt4o('2026-06-11T10:00:00Z')] }, { key: a.key });
  await server.gql(TRACK_MANY, { inputs: [mini('2026-06-11T10:00:00Z')] }, { key: b.key });
  const gamma = Array.from({ length: 10 }, (_, i) => gpt4o('2026-06-12T10:00:00Z', { isByok: i < 2 }));
  await server.gql(TRACK_MANY, { inputs: gamma }, { key: c.key });
});
afterAll(() => server.dispose());

describe('adminDashboard', () => {
  it('shows the platform: totals, MRR over paying plans, BYOK split, workspaces with anomalies', async () => {
    const { data, errors } = await server.gql(DASHBOARD);
    expect(errors).toBeUndefined();
    const d = data!.adminDashboard;
    expect(d.totalCost).toBeCloseTo(4.41, 10);
    // Paying: Main workspace (enterprise, $0) + Alpha ($0.70) + Gamma ($3.50) = $4.20 over 7 days, x 30.
    expect(d.mrrProjection).toBeCloseTo((4.2 / 7) * 30, 10);
    expect(d).toMatchObject({ workspaceCount: 4, activeWorkspaces: 3, apiRequests: 13, totalTokens: 12 * 110_000 + 1_100_000 });
    expect(d.byokSavings).toBeCloseTo(0.7, 10);
    expect(d.byokSplit.byokRequests).toBe(2);
    expect(d.byokSplit.platformRequests).toBe(11);
    expect(d.byokSplit.platformCost).toBeCloseTo(3.71, 10);
    expect(d.dailyCostByProvider).toEqual([
      { date: '2026-06-10', provider: 'openai', cost: expect.closeTo(0.35, 10) },
      { date: '2026-06-11', provider: 'openai', cost: expect.closeTo(0.56, 10) },
      { date: '2026-06-12', provider: 'openai', cost: expect.closeTo(3.5, 10) },
    ]);
    // Average workspace cost $4.41 / 4 = $1.1025; only Gamma is above twice that.
    expect(d.workspaces.map((w: { name: string; isAnomaly: boolean }) => [w.name, w.isAnomaly])).toEqual([
      ['Gamma', true],
      ['Alpha', false],
      ['Beta', false],
      ['Main workspace', false],
    ]);
    expect(d.anomalies.map((w: { name: string }) => w.name)).toEqual(['Gamma']);
    expect(d.planDistribution).toEqual([
      { plan: 'pro', count: 2 },
      { plan: 'enterprise', count: 1 },
      { plan: 'free', count: 1 },
    ]);
  });

  it('gives the same figures from rollups as from raw rows, and the same anomalies and totals when the workspace list is not asked for', async () => {
    const all = (await server.gql(DASHBOARD)).data!.adminDashboard;
    useSourcePolicy('ROLLUP');
    try {
      const fromRollups = (await server.gql(DASHBOARD)).data!.adminDashboard;
      expect(fromRollups).toEqual({ ...all, dailyCostByProvider: all.dailyCostByProvider.map((d: { cost: number }) => ({ ...d, cost: expect.closeTo(d.cost, 10) })) });
    } finally {
      useSourcePolicy('BY_COST');
    }
    const { data, errors } = await server.gql(DASHBOARD.replace('workspaces { name plan cost tokens requests isAnomaly }', ''));
    expect(errors).toBeUndefined();
    const { workspaces, ...rest } = all;
    expect(workspaces.length).toBe(4);
    expect(data!.adminDashboard).toEqual(rest);
  });

  it('stays platform-wide whatever X-Workspace-ID the admin sends', async () => {
    const scoped = await server.gql(`{ adminDashboard(period: LAST_7D) { totalCost workspaceCount } }`, {}, { workspace: a.workspaceId });
    expect(scoped.data!.adminDashboard.totalCost).toBeCloseTo(4.41, 10);
    expect(scoped.data!.adminDashboard.workspaceCount).toBe(4);
  });

  it.each(['adminDashboard(period: LAST_7D) { totalCost }', 'adminCostAnalytics(period: LAST_7D) { totalCost }', 'workspaces { id }'])(
    'refuses a member key for %s, saying why',
    async (field) => {
      const { data, errors } = await server.gql(`{ ${field} }`, {}, { key: a.key });
      expect(data ?? null).toBeNull();
      expect(errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(errors![0].message).toBe('This needs an admin key, but this request uses a member key');
    },
  );
});

describe('adminCostAnalytics', () => {
  it('splits platform cost by provider, model, workspace and day', async () => {
    const { data } = await server.gql(`{ adminCostAnalytics(period: LAST_7D) {
      totalCost byProvider { key totalCost share } byModel { key totalCost } byWorkspace { name cost } daily { key totalCost } } }`);
    const c = data!.adminCostAnalytics;
    expect(c.totalCost).toBeCloseTo(4.41, 10);
    expect(c.byProvider).toEqual([{ key: 'openai', totalCost: expect.closeTo(4.41, 10), share: 1 }]);
    expect(c.byModel.map((r: { key: string }) => r.key)).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(c.byModel[0].totalCost).toBeCloseTo(4.2, 10);
    expect(c.byWorkspace.map((w: { name: string }) => w.name)).toEqual(['Gamma', 'Alpha', 'Beta', 'Main workspace']);
    expect(c.daily.map((r: { key: string }) => r.key)).toEqual(['2026-06-10', '2026-06-11', '2026-06-12']);
  });

  it('reads only the parts a query selects (through fragments too), with the same total and shares', async () => {
    const engineQueries = async (query: string): Promise<{ data: Record<string, unknown>; queries: number }> => {
      let queries = 0;
      const observer = () => queries++;
      sourceChoiceObservers.add(observer);
      try {
        const { data, errors } = await server.gql(query);
        expect(errors).toBeUndefined();
        return { data: data!, queries };
      } finally {
        sourceChoiceObservers.delete(observer);
      }
    };
    const whole = await engineQueries(`{ adminCostAnalytics(period: LAST_7D) { totalCost byProvider { key share } byModel { key } byWorkspace { name } daily { key } } }`);
    const page = await engineQueries(`query Page { adminCostAnalytics(period: LAST_7D) { totalCost ...Providers ... on AdminCostAnalytics { byModel { key } } } }
      fragment Providers on AdminCostAnalytics { byProvider { key share } }`);
    // The whole view: the workspaces, the days, and the total with two breakdowns in one pass; the page: the total and two breakdowns in one pass.
    expect(whole.queries).toBe(3);
    expect(page.queries).toBe(1);
    const { byWorkspace, daily, ...shared } = whole.data.adminCostAnalytics as Record<string, unknown>;
    expect(byWorkspace).toHaveLength(4);
    expect(daily).toHaveLength(3);
    expect(page.data.adminCostAnalytics).toEqual(shared);
    // The total alone: a grouping set with no key at all.
    const totalOnly = await engineQueries(`{ adminCostAnalytics(period: LAST_7D) { totalCost } }`);
    expect(totalOnly.queries).toBe(1);
    expect(totalOnly.data.adminCostAnalytics).toEqual({ totalCost: shared.totalCost });
  });
});

describe('adminWorkspaceCosts (the Admin page table, a page at a time)', () => {
  const PAGE = `query Page($search: String, $orderBy: WorkspaceCostOrder, $descending: Boolean, $limit: Int!, $offset: Int!) {
    adminWorkspaceCosts(period: LAST_7D, search: $search, orderBy: $orderBy, descending: $descending, limit: $limit, offset: $offset) {
      total rows { name plan cost requests isAnomaly } } }`;
  const page = async (variables: Record<string, unknown>) => {
    const { data, errors } = await server.gql(PAGE, { limit: 50, offset: 0, ...variables });
    expect(errors).toBeUndefined();
    return data!.adminWorkspaceCosts as { total: number; rows: { name: string; plan: string; cost: number; requests: number; isAnomaly: boolean }[] };
  };

  it('cuts pages of the whole table in the order asked, anomalies flagged against every workspace', async () => {
    expect((await page({ limit: 2 })).rows.map((r) => [r.name, r.isAnomaly])).toEqual([
      ['Gamma', true],
      ['Alpha', false],
    ]);
    expect(await page({ limit: 2, offset: 2 })).toEqual({
      total: 4,
      rows: [
        { name: 'Beta', plan: 'free', cost: expect.closeTo(0.21, 10), requests: 1, isAnomaly: false },
        { name: 'Main workspace', plan: 'enterprise', cost: 0, requests: 0, isAnomaly: false },
      ],
    });
    expect((await page({ orderBy: 'NAME' })).rows.map((r) => r.name)).toEqual(['Alpha', 'Beta', 'Gamma', 'Main workspace']);
    expect((await page({ orderBy: 'NAME', descending: true })).rows.map((r) => r.name)).toEqual(['Main workspace', 'Gamma', 'Beta', 'Alpha']);
    expect((await page({ orderBy: 'REQUESTS', descending: false })).rows.map((r) => r.requests)).toEqual([0, 1, 2, 10]);
    expect((await page({ offset: 10 })).rows).toEqual([]);
    expect((await page({ offset: 10 })).total).toBe(4);
  });

  it('searches names by any part, in any case, and takes % and _ as themselves', async () => {
    expect(await page({ search: 'AMM' })).toMatchObject({ total: 1, rows: [{ name: 'Gamma', isAnomaly: true }] });
    expect(await page({ search: 'a' })).toMatchObject({ total: 4 });
    expect(await page({ search: '%' })).toEqual({ total: 0, rows: [] });
    expect(await page({ search: '_eta' })).toEqual({ total: 0, rows: [] });
  });

  it('gives a searched workspace the figures of the whole table, whether the search sums only the matches or every workspace', async () => {
    const whole = new Map((await page({})).rows.map((r) => [r.name, r]));
    // One match of four sums only its calls; three of four sum every workspace's.
    for (const search of ['gam', 'bet', 'Main', 'a']) {
      const found = await page({ search });
      expect(found.rows.length).toBeGreaterThan(0);
      for (const row of found.rows) expect(row).toEqual(whole.get(row.name));
    }
  });

  it.each([
    [{ limit: 0 }, 'limit must be from 1 to 200, but got 0'],
    [{ limit: 201 }, 'limit must be from 1 to 200, but got 201'],
    [{ offset: -1 }, 'offset must be 0 or more, but got -1'],
  ])('refuses %j with BAD_USER_INPUT saying what arrived', async (variables, message) => {
    const { data, errors } = await server.gql(PAGE, { limit: 50, offset: 0, ...variables });
    expect(data ?? null).toBeNull();
    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0].message).toBe(message);
  });
});

describe('workspaces (the scope switcher)', () => {
  const LIST = `query List($search: String, $limit: Int, $after: String) { workspaces(search: $search, limit: $limit, after: $after) { name cursor } }`;
  const list = async (variables: Record<string, unknown> = {}) => {
    const { data, errors } = await server.gql(LIST, variables);
    expect(errors).toBeUndefined();
    return data!.workspaces as { name: string; cursor: string }[];
  };

  it('lists every workspace by name without arguments, as before', async () => {
    expect((await list()).map((w) => w.name)).toEqual(['Alpha', 'Beta', 'Gamma', 'Main workspace']);
  });

  it('pages with limit and after, and searches by part of the name', async () => {
    const first = await list({ limit: 2 });
    expect(first.map((w) => w.name)).toEqual(['Alpha', 'Beta']);
    expect((await list({ limit: 2, after: first[1].cursor })).map((w) => w.name)).toEqual(['Gamma', 'Main workspace']);
    expect((await list({ search: 'MA' })).map((w) => w.name)).toEqual(['Gamma', 'Main workspace']);
    expect((await list({ search: 'ma', limit: 1, after: first[0].cursor })).map((w) => w.name)).toEqual(['Gamma']);
  });

  it.each([
    [{ limit: 0 }, 'limit must be from 1 to 1000, but got 0'],
    [{ after: 'not-a-cursor' }, 'after must be the cursor of a workspace from an earlier page, but got "not-a-cursor"'],
  ])('refuses %j with BAD_USER_INPUT saying what arrived', async (variables, message) => {
    const { data, errors } = await server.gql(LIST, variables);
    expect(data ?? null).toBeNull();
    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0].message).toBe(message);
  });
});

describe('the admin views at platform scale', () => {
  it('ask the metrics engine the same few queries whatever the number of workspaces, and count plans in SQL', async () => {
    const statements = async (): Promise<number> => {
      const seen: string[] = [];
      const observer = () => seen.push('choice');
      sourceChoiceObservers.add(observer);
      try {
        const { errors } = await server.gql(DASHBOARD);
        expect(errors).toBeUndefined();
      } finally {
        sourceChoiceObservers.delete(observer);
      }
      return seen.length;
    };
    const before = await statements();
    // Workspaces, BYOK split and daily cost by provider from one pass over the sources.
    expect(before).toBe(1);
    for (let i = 0; i < 20; i++) await server.workspaceWithKey(`Idle ${String(i).padStart(2, '0')}`, 'MEMBER', 'free');
    expect(await statements()).toBe(before);
    const { data } = await server.gql(`{ adminDashboard(period: LAST_7D) { workspaceCount activeWorkspaces planDistribution { plan count } } }`);
    expect(data!.adminDashboard).toEqual({
      workspaceCount: 24,
      activeWorkspaces: 3,
      planDistribution: [
        { plan: 'free', count: 21 },
        { plan: 'pro', count: 2 },
        { plan: 'enterprise', count: 1 },
      ],
    });
  });
});
