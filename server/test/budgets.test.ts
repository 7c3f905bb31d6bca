import { checkBudgets } from '../src/budgets/budgets.service';
import { call, TRACK_ONE } from './fixtures/calls';
import { collect, startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

const NOW = new Date('2026-06-15T12:30:00Z'); // a Monday
const SET = `mutation S($input: BudgetInput!) { setBudget(input: $input) { id amount window agentId modelId thresholds spent spentFraction windowStart } }`;
// gpt-4o: 100k in + 10k out = $0.35 at registry prices.
const spend = (extra: Record<string, unknown> = {}) => call({ inputTokens: 100_000, outputTokens: 10_000, occurredAt: '2026-06-15T09:00:00Z', ...extra });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
});
afterAll(() => server.dispose());

describe('budgets', () => {
  it.each([
    ['DAY', '2026-06-15T00:00:00.000Z'],
    ['WEEK', '2026-06-15T00:00:00.000Z'],
    ['MONTH', '2026-06-01T00:00:00.000Z'],
  ])('starts a %s window at %s and counts what was spent since', async (window, start) => {
    const { key } = await server.workspaceWithKey(`window-${window}`);
    await server.gql(TRACK_ONE, { input: spend() }, { key });
    await server.gql(TRACK_ONE, { input: spend({ occurredAt: '2026-05-20T09:00:00Z' }) }, { key });
    const { data } = await server.gql(SET, { input: { amount: 10, window } }, { key });
    expect(data!.setBudget.windowStart).toBe(start);
    expect(data!.setBudget.spent).toBeCloseTo(0.35, 10);
    expect(data!.setBudget.thresholds).toEqual([0.8, 0.9, 1]);
  });

  it('raises each threshold once per window as spend crosses it, not once per call', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('thresholds');
    const budget = await server.gql(SET, { input: { amount: 1, window: 'DAY' } }, { key });
    const client = server.wsClient({ authorization: `Bearer ${key}` });
    const alerts = collect<{ alertRaised: { kind: string; severity: string; message: string; workspaceId: string } }>(
      client,
      `subscription { alertRaised { kind severity message workspaceId } }`,
      {},
      3,
    );
    await countReaches(server.gateway.services.pubsub.subscribers, 'ALERT_RAISED', 1);
    for (let i = 0; i < 3; i++) await server.gql(TRACK_ONE, { input: spend() }, { key }); // $1.05 of $1.00
    const received = (await alerts).map((a) => a.alertRaised);
    expect(received.map((a) => a.severity).sort()).toEqual(['CRITICAL', 'INFO', 'WARNING']);
    expect(received.every((a) => a.kind === 'BUDGET_THRESHOLD' && a.workspaceId === workspaceId)).toBe(true);
    expect(received.map((a) => a.message)).toContain('Budget $1.00 per day: 105% spent ($1.05), past the 100% threshold');

    await server.gql(TRACK_ONE, { input: spend() }, { key });
    const again = await checkBudgets(server.db.platform, server.gateway.services.pubsub, workspaceId, NOW);
    expect(again).toEqual([]);
    const stored = await server.gql(`{ alerts(limit: 50) { kind } }`, {}, { key });
    expect(stored.data!.alerts.filter((a: { kind: string }) => a.kind === 'BUDGET_THRESHOLD')).toHaveLength(3);
    expect(budget.data!.setBudget.id).toBeTruthy();
  });

  it('counts only the agent a budget names', async () => {
    const { key } = await server.workspaceWithKey('agent-budget');
    await server.gql(TRACK_ONE, { input: spend({ agentId: 'writer' }) }, { key });
    await server.gql(TRACK_ONE, { input: spend({ agentId: 'reader' }) }, { key });
    const { data } = await server.gql(SET, { input: { amount: 0.7, window: 'DAY', agentId: 'writer' } }, { key });
    expect(data!.setBudget).toMatchObject({ agentId: 'writer', modelId: null, spentFraction: expect.closeTo(0.5, 10) });
  });

  it('replaces the budget for the same window and target instead of adding one', async () => {
    const { key } = await server.workspaceWithKey('replace');
    const first = await server.gql(SET, { input: { amount: 5, window: 'WEEK' } }, { key });
    const second = await server.gql(SET, { input: { amount: 8, window: 'WEEK', thresholds: [0.5] } }, { key });
    expect(second.data!.setBudget.id).toBe(first.data!.setBudget.id);
    const { data } = await server.gql(`{ budgets { amount thresholds } }`, {}, { key });
    expect(data!.budgets).toEqual([{ amount: 8, thresholds: [0.5] }]);
  });

  it('keeps budgets and their alerts inside their workspace', async () => {
    const a = await server.workspaceWithKey('iso-a');
    const b = await server.workspaceWithKey('iso-b');
    const { data } = await server.gql(SET, { input: { amount: 0.1, window: 'DAY' } }, { key: a.key });
    await server.gql(TRACK_ONE, { input: spend() }, { key: a.key });
    await checkBudgets(server.db.platform, server.gateway.services.pubsub, a.workspaceId, NOW);
    const seenByB = await server.gql(`{ budgets { id } alerts(limit: 100) { workspaceId } }`, {}, { key: b.key });
    expect(seenByB.data!.budgets).toEqual([]);
    expect(seenByB.data!.alerts.filter((x: { workspaceId: string }) => x.workspaceId === a.workspaceId)).toEqual([]);
    const deleted = await server.gql(`mutation D($id: ID!) { deleteBudget(id: $id) }`, { id: data!.setBudget.id }, { key: b.key });
    expect(deleted.data!.deleteBudget).toBe(false);
    const own = await server.gql(`mutation D($id: ID!) { deleteBudget(id: $id) }`, { id: data!.setBudget.id }, { key: a.key });
    expect(own.data!.deleteBudget).toBe(true);
  });

  it.each([
    [{ amount: 0, window: 'DAY' }, 'amount must be more than 0 and at most 100000000 dollars, but got 0'],
    [{ amount: 100_000_001, window: 'DAY' }, 'amount must be more than 0 and at most 100000000 dollars, but got 100000001'],
    [{ amount: 5, window: 'DAY', thresholds: [0.5, 20] }, 'each threshold must be a fraction of amount above 0 and at most 10 (e.g. 0.8), but got 20'],
    [{ amount: 5, window: 'DAY', thresholds: [] }, 'thresholds takes 1 to 10 fractions, but got 0'],
  ])('refuses %j', async (input, message) => {
    const { errors } = await server.gql(SET, { input });
    expect(errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(errors![0].message).toBe(message);
  });
});
