import fc from 'fast-check';
import { createDataSource } from '../src/db/data-source';
import { scopedDb } from '../src/db/scoped-db';
import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

let server: TestServer;
const tenants: { name: string; key: string; workspaceId: string }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['red', 'green', 'blue']) {
    const { key, workspaceId } = await server.workspaceWithKey(`tenant-${name}`);
    tenants.push({ name, key, workspaceId });
    const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const calls = [1, 2, 3].map((i) => call({ modelId: `${name}-model-${i}`, agentId: `${name}-agent`, occurredAt: at, eventId: `${name}-${i}` }));
    await server.gql(TRACK_MANY, { inputs: calls }, { key });
  }
});
afterAll(() => server.dispose());

describe('row-level security catalogue', () => {
  it('forces row-level security on every table that holds workspace data', async () => {
    const rows: { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[] = await server.db.platform.query(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1`);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname)).toEqual([]);
  });

  it('leads every primary and unique key of those tables with workspace_id', async () => {
    const keys: { table: string; name: string; first: string }[] = await server.db.platform.query(`
      SELECT t.relname AS table, con.conname AS name, a.attname AS first
      FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = con.conkey[1]
      WHERE con.contype IN ('p', 'u') AND t.relnamespace = 'public'::regnamespace
        AND EXISTS (SELECT 1 FROM pg_attribute w WHERE w.attrelid = t.oid AND w.attname = 'workspace_id')`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.first !== 'workspace_id')).toEqual([]);
  });

  it('reads the scope settings and the role once per statement (InitPlans), not once per row, in every policy and in those of new tables', async () => {
    // Each call sits in a scalar subquery of its own: as many calls as SELECTs.
    const count = (text: string | null, pattern: RegExp) => (text ?? '').match(pattern)?.length ?? 0;
    const perRow = { test: (text: string | null) => count(text, /current_setting\(|CURRENT_USER/g) !== count(text, /\( SELECT /g) };
    const policies: { table: string; name: string; qual: string | null; check: string | null }[] = await server.db.platform.query(`
      SELECT polrelid::regclass::text AS table, polname AS name, pg_get_expr(polqual, polrelid) AS qual, pg_get_expr(polwithcheck, polrelid) AS check
      FROM pg_policy`);
    expect(policies.length).toBeGreaterThan(20);
    expect(policies.filter((p) => perRow.test(p.qual) || perRow.test(p.check))).toEqual([]);

    const probe = server.db.dataSource.createQueryRunner();
    await probe.connect();
    try {
      await probe.startTransaction();
      await probe.query(`CREATE TABLE rls_probe (workspace_id uuid NOT NULL)`);
      await probe.query(`SELECT tally_protect('rls_probe')`);
      const created: { qual: string }[] = await probe.query(`SELECT pg_get_expr(polqual, polrelid) AS qual FROM pg_policy WHERE polrelid = 'rls_probe'::regclass`);
      expect(created).toHaveLength(2);
      expect(created.filter((p) => perRow.test(p.qual))).toEqual([]);
    } finally {
      await probe.rollbackTransaction();
      await probe.release();
    }

    const everyone = scopedDb(server.db.dataSource, { scope: { kind: 'all' }, isAdmin: true });
    const plan: { 'QUERY PLAN': string }[] = await everyone.query(`EXPLAIN SELECT sum(total_cost) FROM llm_usage WHERE occurred_at > $1`, [new Date(0).toISOString()]);
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    expect(text).toContain('InitPlan');
    expect(text).not.toMatch(/current_setting|CURRENT_USER/);
  });

  it('lets the planner expect at least half the rows of a table in scope __all__ and on the platform path, not one in 200', async () => {
    await server.db.dataSource.query('ANALYZE llm_usage');
    const [{ n }]: { n: number }[] = await server.db.platform.query('SELECT count(*)::int AS n FROM llm_usage');
    expect(n).toBeGreaterThanOrEqual(9);
    const expected = async (db: { query(sql: string): Promise<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]> }) =>
      (await db.query('EXPLAIN (FORMAT JSON) SELECT 1 FROM llm_usage'))[0]['QUERY PLAN'][0].Plan['Plan Rows'];
    expect(await expected(scopedDb(server.db.dataSource, { scope: { kind: 'all' }, isAdmin: true }))).toBeGreaterThanOrEqual(n / 2 - 1);
    expect(await expected(server.db.platform)).toBeGreaterThanOrEqual(n / 2 - 1);
  });

  it('runs request work as a role that is neither superuser nor BYPASSRLS', async () => {
    const [role] = await server.db.platform.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'tally_app'`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const [who] = await scopedDb(server.db.dataSource, { scope: { kind: 'workspace', workspaceId: tenants[0].workspaceId }, isAdmin: false }).query(
      'SELECT current_user AS name',
    );
    expect(who.name).toBe('tally_app');
  });
});

describe('the platform path', () => {
  it('runs as a role that is neither superuser nor BYPASSRLS, reaching each protected table through a policy of its own', async () => {
    const [role] = await server.db.platform.query(`SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ name: 'tally_platform', rolsuper: false, rolbypassrls: false });
    const unreached: { relname: string }[] = await server.db.platform.query(`
      SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND c.relrowsecurity
        AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'platform_access'
          AND p.polroles = ARRAY['tally_platform'::regrole::oid])
      ORDER BY 1`);
    expect(unreached).toEqual([]);
  });

  it('sees every workspace, while the serving role itself, outside both paths, sees none (row-level security is forced on the owner too)', async () => {
    const seen: { n: number }[] = await server.db.platform.query(`SELECT count(DISTINCT workspace_id)::int AS n FROM llm_usage`);
    expect(seen[0].n).toBe(tenants.length);
    const [owner] = await server.db.dataSource.query(`SELECT current_user AS name, count(*)::int AS n FROM llm_usage`);
    expect(owner).toEqual({ name: 'tally_test_owner', n: 0 });
  });

  it('keeps the request path in its scope when the platform policy exists: the app role is not the platform role', async () => {
    const [red] = tenants;
    const rows: { n: number }[] = await scopedDb(server.db.dataSource, { scope: { kind: 'workspace', workspaceId: red.workspaceId }, isAdmin: false }).query(
      'SELECT count(DISTINCT workspace_id)::int AS n FROM llm_usage',
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('row-level security at work', () => {
  it('shows a scope only its own rows even when a query forgets its WHERE', async () => {
    const [red] = tenants;
    const rows: { workspace_id: string }[] = await scopedDb(server.db.dataSource, { scope: { kind: 'workspace', workspaceId: red.workspaceId }, isAdmin: false }).query(
      'SELECT DISTINCT workspace_id FROM llm_usage',
    );
    expect(rows).toEqual([{ workspace_id: red.workspaceId }]);
  });

  it('refuses to write a row into another workspace', async () => {
    const [red, green] = tenants;
    const db = scopedDb(server.db.dataSource, { scope: { kind: 'workspace', workspaceId: red.workspaceId }, isAdmin: false });
    await expect(db.query(`INSERT INTO agents (workspace_id, id, name) VALUES ($1, 'intruder', 'intruder')`, [green.workspaceId])).rejects.toThrow(
      /row-level security/,
    );
  });

  it('leaves nothing on a pooled connection: request A then request B on a pool of one', async () => {
    const [red, green] = tenants;
    const poolOfOne = createDataSource(server.db.url, 1);
    await poolOfOne.initialize();
    try {
      const asRed = scopedDb(poolOfOne, { scope: { kind: 'workspace', workspaceId: red.workspaceId }, isAdmin: false });
      const asGreen = scopedDb(poolOfOne, { scope: { kind: 'workspace', workspaceId: green.workspaceId }, isAdmin: false });
      expect(await asRed.query('SELECT count(*)::int AS n FROM llm_usage')).toEqual([{ n: 3 }]);
      const seenByGreen: { model_id: string }[] = await asGreen.query('SELECT model_id FROM llm_usage ORDER BY 1');
      expect(seenByGreen.map((r) => r.model_id)).toEqual(['green-model-1', 'green-model-2', 'green-model-3']);
      const [after] = await poolOfOne.query(`SELECT current_user AS name, coalesce(current_setting('app.workspace_id', true), '') AS ws`);
      expect(after.ws).toBe('');
      expect(after.name).not.toBe('tally_app');
    } finally {
      await poolOfOne.destroy();
    }
  });
});

describe('ids of another workspace', () => {
  it.each([
    ['llmCalls before a foreign call', async (foreignCallId: string) => (await gqlAsRed(`{ llmCalls(before: "${foreignCallId}") { id } }`)).llmCalls, []],
    ['llmUsage filtered to a foreign agent', async () => (await gqlAsRed(`{ llmUsage(period: LAST_24H, groupBy: AGENT, filter: { agentIds: ["green-agent"] }) { key } }`)).llmUsage, []],
    ['deleteBudget of a foreign budget', async (_c: string, foreignBudgetId: string) => (await gqlAsRed(`mutation { deleteBudget(id: "${foreignBudgetId}") }`)).deleteBudget, false],
  ])('answer %s as if it did not exist', async (_name, run, expected) => {
    const [foreignCall] = await server.db.platform.query(`SELECT id::text FROM llm_usage WHERE workspace_id = $1 LIMIT 1`, [tenants[1].workspaceId]);
    const budget = await server.gql(`mutation { setBudget(input: { amount: 5, window: DAY }) { id } }`, {}, { key: tenants[1].key });
    expect(await run(foreignCall.id, budget.data!.setBudget.id)).toEqual(expected);
  });

  it('leaves a foreign agent alone when upsertAgent names its id', async () => {
    const intruder = await server.workspaceWithKey('intruder');
    const result = await server.gql(`mutation { upsertAgent(input: { id: "green-agent", name: "renamed" }) { id } }`, {}, { key: intruder.key });
    expect(result.errors).toBeUndefined();
    const [green] = await server.db.platform.query(`SELECT name FROM agents WHERE workspace_id = $1 AND id = 'green-agent'`, [tenants[1].workspaceId]);
    expect(green.name).toBe('green-agent');
  });
});

async function gqlAsRed(query: string): Promise<Record<string, unknown>> {
  const result = await server.gql(query, {}, { key: tenants[0].key });
  expect(result.errors).toBeUndefined();
  return result.data!;
}

const PROBES = [
  '{ llmCalls(limit: 100) { workspaceId modelId agent { id } } }',
  '{ llmUsage(period: LAST_24H, groupBy: MODEL) { key } }',
  '{ llmUsage(period: LAST_24H, groupBy: AGENT) { key } }',
  '{ usageMetrics(query: { period: LAST_7D, metrics: [REQUESTS], groupBy: [MODEL, AGENT] }) { rows { dimensions { value } } } }',
  '{ llmCosts(period: LAST_7D, breakdown: MODEL) { key } }',
  '{ agents { id modelUsageStats { modelId } } }',
  '{ llmSummary(period: LAST_24H) { topModel totalRequests } }',
];

describe('random interleaved requests with forged headers', () => {
  it('never return a row of another workspace', async () => {
    const request = fc.record({
      tenant: fc.integer({ min: 0, max: 2 }),
      probe: fc.integer({ min: 0, max: PROBES.length - 1 }),
      forgedHeader: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 3, maxLength: 12 }), async (requests) => {
        const answers = await Promise.all(
          requests.map(async (r) => {
            const me = tenants[r.tenant];
            const forged = r.forgedHeader === undefined ? undefined : tenants[r.forgedHeader].workspaceId;
            return { r, me, forged, answer: await server.gql(PROBES[r.probe], {}, { key: me.key, workspace: forged }) };
          }),
        );
        for (const { me, forged, answer } of answers) {
          if (forged && forged !== me.workspaceId) {
            expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
            expect(answer.data ?? null).toBeNull();
            continue;
          }
          const text = JSON.stringify(answer.data);
          for (const other of tenants.filter((t) => t !== me)) {
            expect(text).not.toContain(`${other.name}-`);
            expect(text).not.toContain(other.workspaceId);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
