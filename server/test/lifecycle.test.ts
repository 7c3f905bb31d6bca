import fc from 'fast-check';
import { scopedDb, workspaceScope } from '../src/db/scoped-db';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { retentionCut, tenantTables } from '../src/lifecycle';
import { METRICS, type Metric, type MetricsQuery, type MetricsRowValue, type TimeBucket } from '../src/metrics/metrics.model';
import { runMetrics, type SourcePolicy } from '../src/metrics/metrics.service';
import { planSources } from '../src/metrics/source-plan';
import { PLATFORM_AUDIT_WORKSPACE } from '../src/db/migrations/1764206000000-KeysAudit';
import { startTestServer, type TestServer } from './support/server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-07-01T12:00:00Z');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW, env: { TALLY_WEBHOOK_ALLOW_PRIVATE: 'on' } });
});
afterAll(() => server.dispose());

const call = (at: Date, i = 0): LlmCallInputValues => ({
  modelId: i % 2 ? 'gpt-4o' : 'claude-3-5-haiku-latest',
  provider: i % 2 ? 'openai' : 'anthropic',
  agentId: i % 3 ? 'planner' : null,
  status: i % 5 ? 'SUCCESS' : 'ERROR',
  requestType: 'chat',
  latencyMs: 100 + ((i * 397) % 9000),
  inputTokens: 100 + i,
  outputTokens: 10 + i,
  occurredAt: at,
});

const rawCalls = async (workspaceId: string): Promise<number> =>
  Number((await server.db.platform.query(`SELECT count(*) AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]))[0].n);

const SET_RETENTION = `mutation ($id: ID!, $days: Int) { setRetention(workspaceId: $id, days: $days) { id retentionDays rawCallsKeptFrom } }`;

describe('setRetention', () => {
  it('refuses fewer than one day, and a member naming another workspace', async () => {
    const { workspaceId, key } = await server.workspaceWithKey('retention-input');
    const other = await server.workspaceWithKey('retention-other');
    const zero = await server.gql(SET_RETENTION, { id: workspaceId, days: 0 }, { key });
    expect(zero.errors?.[0]).toMatchObject({
      message: 'days must be a whole number from 1 to 36500, or null to keep raw calls for ever, but got 0',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const foreign = await server.gql(SET_RETENTION, { id: other.workspaceId, days: 3 }, { key });
    expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.gql(SET_RETENTION, { id: other.workspaceId, days: 3 }, { key: other.key })).data?.setRetention.retentionDays).toBe(3);
  });

  it('deletes the raw calls before the cut at once, keeps the rollups, and says from when raw calls are kept', async () => {
    const { workspaceId, key } = await server.workspaceWithKey('retention-applied');
    const calls = Array.from({ length: 40 }, (_, i) => call(new Date(NOW.getTime() - (i + 0.5) * DAY / 4), i));
    await ingestCalls(server.db.dataSource, workspaceId, calls, NOW);
    const summary = `{ llmSummary(period: LAST_30D) { totalRequests totalCost totalTokens } }`;
    const before = await server.gql(summary, {}, { key });
    const set = await server.gql(SET_RETENTION, { id: workspaceId, days: 5 }, { key });
    expect(set.errors).toBeUndefined();
    await server.gateway.services.retention.idle();
    const cut = retentionCut(5, NOW);
    const kept = calls.filter((c) => c.occurredAt!.getTime() >= cut.getTime()).length;
    expect(await rawCalls(workspaceId)).toBe(kept);
    expect(kept).toBeLessThan(calls.length);
    const viewer = await server.gql(`{ viewer { workspace { retentionDays rawCallsKeptFrom } } }`, {}, { key });
    expect(viewer.data?.viewer.workspace).toEqual({ retentionDays: 5, rawCallsKeptFrom: cut.toISOString() });
    expect((await server.gql(summary, {}, { key })).data).toEqual(before.data);
    const listed = await server.gql(`{ llmCalls(period: LAST_30D, limit: 500) { occurredAt } }`, {}, { key });
    expect(listed.data?.llmCalls).toHaveLength(kept);
    const csv = await fetch(server.url.replace('/graphql', '/api/export/llm-calls.csv?period=LAST_30D'), { headers: { authorization: `Bearer ${key}` } });
    expect(csv.headers.get('x-raw-calls-kept-from')).toBe(cut.toISOString());
    const storage = await server.gql(`{ storage { rawCalls oldestRawCall rollupRows totalBytes } }`, {}, { key });
    expect(storage.data?.storage).toMatchObject({ rawCalls: kept });
    expect(new Date(storage.data?.storage.oldestRawCall).getTime()).toBeGreaterThanOrEqual(cut.getTime());
    expect(storage.data?.storage.rollupRows).toBeGreaterThan(0);
    expect(storage.data?.storage.totalBytes).toBeGreaterThan(0);
  });

  it("touches no other workspace's raw calls, and follows TALLY_RETENTION_DAYS where a workspace set none", async () => {
    const platformDefault = await startTestServer({ now: () => NOW, env: { TALLY_RETENTION_DAYS: '3' } });
    try {
      // The run the gateway starts with must not meet the workspaces below before one opts out of the default.
      await platformDefault.gateway.services.retention.idle();
      const following = await platformDefault.workspaceWithKey('follows-the-default');
      const forEver = await platformDefault.workspaceWithKey('keeps-for-ever');
      const old = [call(new Date(NOW.getTime() - 10 * DAY)), call(new Date(NOW.getTime() - HOUR))];
      for (const { workspaceId } of [following, forEver]) await ingestCalls(platformDefault.db.dataSource, workspaceId, old, NOW);
      const kept = await platformDefault.gql(SET_RETENTION, { id: forEver.workspaceId, days: null }, { key: forEver.key });
      expect(kept.data?.setRetention).toEqual({ id: forEver.workspaceId, retentionDays: null, rawCallsKeptFrom: null });
      await platformDefault.gateway.services.retention.runOnce();
      const count = async (workspaceId: string) =>
        Number((await platformDefault.db.platform.query(`SELECT count(*) AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]))[0].n);
      expect(await count(following.workspaceId)).toBe(1);
      expect(await count(forEver.workspaceId)).toBe(2);
      const viewer = await platformDefault.gql(`{ viewer { workspace { retentionDays } } }`, {}, { key: following.key });
      expect(viewer.data?.viewer.workspace.retentionDays).toBe(3);
    } finally {
      await platformDefault.dispose();
    }
  });

  it('previews what a retention would delete: the cut and the calls before it', async () => {
    const { workspaceId, key } = await server.workspaceWithKey('retention-preview');
    await ingestCalls(server.db.dataSource, workspaceId, [call(new Date(NOW.getTime() - 10 * DAY)), call(new Date(NOW.getTime() - 9 * DAY)), call(new Date(NOW.getTime() - DAY))], NOW);
    const preview = await server.gql(`query ($id: ID!) { retentionPreview(workspaceId: $id, days: 7) { cut calls oldestCall } }`, { id: workspaceId }, { key });
    expect(preview.data?.retentionPreview).toEqual({
      cut: retentionCut(7, NOW).toISOString(),
      calls: 2,
      oldestCall: new Date(NOW.getTime() - 10 * DAY).toISOString(),
    });
    expect(await rawCalls(workspaceId)).toBe(3);
  });
});

describe('storage', () => {
  it('shows a workspace its own figures and an admin in __all__ the platform', async () => {
    const a = await server.workspaceWithKey('storage-a');
    const b = await server.workspaceWithKey('storage-b');
    await ingestCalls(server.db.dataSource, a.workspaceId, [call(new Date(NOW.getTime() - HOUR))], NOW);
    await ingestCalls(server.db.dataSource, b.workspaceId, [call(new Date(NOW.getTime() - 2 * HOUR)), call(new Date(NOW.getTime() - 3 * HOUR))], NOW);
    const query = `{ storage { rawCalls oldestRawCall } }`;
    expect((await server.gql(query, {}, { key: a.key })).data?.storage).toEqual({ rawCalls: 1, oldestRawCall: new Date(NOW.getTime() - HOUR).toISOString() });
    expect((await server.gql(query, {}, { key: b.key })).data?.storage.rawCalls).toBe(2);
    const all = await server.gql(query, {}, { workspace: '__all__' });
    const total = Number((await server.db.platform.query(`SELECT count(*) AS n FROM llm_usage`))[0].n);
    expect(all.data?.storage.rawCalls).toBe(total);
    const listed = await server.gql(`{ workspaces(search: "storage-") { name storage { rawCalls } } }`, {}, { workspace: '__all__' });
    expect(listed.data?.workspaces).toEqual([
      { name: 'storage-a', storage: { rawCalls: 1 } },
      { name: 'storage-b', storage: { rawCalls: 2 } },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Retention keeps every figure the rollups serve
// ---------------------------------------------------------------------------------------------

const WINDOW_MS = 12 * DAY;
const WINDOW_START = NOW.getTime() - WINDOW_MS;
const PERCENTILES = new Set<Metric>(['P50_LATENCY_MS', 'P95_LATENCY_MS', 'P99_LATENCY_MS']);
const SUMS = METRICS.filter((m) => !PERCENTILES.has(m));

const randomCall = fc
  .record({ at: fc.integer({ min: 0, max: WINDOW_MS - 1 }), i: fc.nat(1000), latency: fc.integer({ min: 20, max: 30_000 }) })
  .map(({ at, i, latency }) => ({ ...call(new Date(WINDOW_START + at), i), latencyMs: latency }));

/** Ranges the rollups serve: whole hours, at least a day (shorter ones with percentiles read raw rows for exact ones). */
const randomQuery: fc.Arbitrary<MetricsQuery> = fc
  .record({
    fromHour: fc.integer({ min: 0, max: WINDOW_MS / HOUR - 24 }),
    hours: fc.integer({ min: 24, max: WINDOW_MS / HOUR }),
    groupBy: fc.subarray(['MODEL', 'AGENT', 'STATUS'] as const, { maxLength: 2 }),
    bucket: fc.constantFrom<TimeBucket | null>(null, 'HOUR', 'DAY'),
  })
  .map((q) => ({
    range: { from: new Date(WINDOW_START + q.fromHour * HOUR), to: new Date(Math.min(NOW.getTime(), WINDOW_START + (q.fromHour + q.hours) * HOUR)) },
    timezone: 'UTC',
    metrics: [...METRICS],
    groupBy: [...q.groupBy],
    bucket: q.bucket,
  }));

const keyed = (rows: MetricsRowValue[], metrics: readonly Metric[]): Record<string, Record<string, number>> =>
  Object.fromEntries(
    rows.map((r) => [
      JSON.stringify([r.bucket?.toISOString() ?? null, ...r.dimensions.map((d) => d.value)]),
      Object.fromEntries(metrics.map((m) => [m, Math.round(r.values[m] * 1e9) / 1e9])),
    ]),
  );

describe('retention and the rollups', () => {
  it('leaves every metric over ranges the rollups serve as it was (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(randomCall, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 11 }), fc.array(randomQuery, { minLength: 1, maxLength: 6 }), async (calls, days, queries) => {
        const { workspaceId } = await server.workspaceWithKey('retention-property');
        const outcome = await ingestCalls(server.db.dataSource, workspaceId, calls, NOW);
        expect(outcome.rejected).toEqual([]);
        const db = scopedDb(server.db.dataSource, workspaceScope(workspaceId));
        const scope = { kind: 'workspace' as const, workspaceId };
        const figures = (query: MetricsQuery, policy: SourcePolicy) => runMetrics(db, scope, query, policy).then((o) => o.rows);
        const before = await Promise.all(queries.map(async (q) => ({ rollup: await figures(q, 'ROLLUP'), byCost: await figures(q, 'BY_COST') })));

        await server.db.platform.query(`UPDATE workspaces SET retention_days = $2, retention_set = true WHERE id = $1`, [workspaceId, days]);
        await server.gateway.services.retention.runOnce();
        const cut = retentionCut(days, NOW).getTime();
        const left: { oldest: Date | null }[] = await server.db.platform.query(`SELECT min(occurred_at) AS oldest FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
        if (left[0].oldest) expect(left[0].oldest.getTime()).toBeGreaterThanOrEqual(cut);
        expect(await rawCalls(workspaceId)).toBe(calls.filter((c) => c.occurredAt!.getTime() >= cut).length);

        for (const [i, query] of queries.entries()) {
          const afterRollup = await figures(query, 'ROLLUP');
          const afterByCost = await figures(query, 'BY_COST');
          expect(keyed(afterRollup, METRICS)).toEqual(keyed(before[i].rollup, METRICS));
          expect(keyed(afterByCost, SUMS)).toEqual(keyed(before[i].byCost, SUMS));
          // Before the cut nothing but the rollups can answer, percentiles included.
          if (query.range.from.getTime() < cut) expect(keyed(afterByCost, METRICS)).toEqual(keyed(before[i].rollup, METRICS));
        }
      }),
      { numRuns: 12 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Deleting a workspace
// ---------------------------------------------------------------------------------------------

const DELETE = `mutation ($id: ID!, $name: String!) { deleteWorkspace(id: $id, confirmName: $name) }`;

async function rowsOf(workspaceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tenantTables(server.db.platform)) {
    counts[table] = Number((await server.db.platform.query(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId]))[0].n);
  }
  return counts;
}

/** A workspace with rows in as many tables as its own key can reach. */
async function populatedWorkspace(name: string): Promise<{ workspaceId: string; key: string }> {
  const { workspaceId, key } = await server.workspaceWithKey(name);
  const send = async (query: string, variables: Record<string, unknown> = {}) => {
    const result = await server.gql(query, variables, { key });
    expect(result.errors).toBeUndefined();
  };
  await send(`mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }`, {
    inputs: [0, 1, 2].map((i) => ({ modelId: 'gpt-4o', provider: 'openai', agentId: 'planner', inputTokens: 10, outputTokens: 5, latencyMs: 100 + i, requestType: 'chat', status: 'SUCCESS', eventId: `e${i}` })),
  });
  await send(`mutation { setBudget(input: { amount: 10, window: MONTH }) { id } }`);
  await send(`mutation { setModelPrice(input: { provider: "openai", modelId: "gpt-4o", inputPerMTok: 1, outputPerMTok: 2 }) { modelId } }`);
  await send(`mutation { setProviderKey(provider: "openrouter", key: "sk-or-v1-abcdefghijklmnop") { provider } }`);
  await send(`mutation { recordMemory(input: { agentId: "planner", content: "remember", importance: 0.5, memoryType: "fact" }) { id } }`);
  await send(`mutation { recordComposioAction(input: { agentId: "planner", appName: "github", actionName: "open_issue" }) { appName } }`);
  await send(`mutation { setNotificationChannel(input: { name: "hook", kind: WEBHOOK, target: "http://127.0.0.1:9/hook" }) { id } }`);
  await send(`mutation { createApiKey(workspaceId: "${workspaceId}", role: VIEWER, label: "viewer") }`);
  return { workspaceId, key };
}

describe('deleteWorkspace', () => {
  it('removes every row of the workspace from every table with a workspace_id, and no other workspace loses one', async () => {
    const doomed = await populatedWorkspace('doomed');
    const kept = await populatedWorkspace('kept');
    const keptBefore = await rowsOf(kept.workspaceId);
    const before = await rowsOf(doomed.workspaceId);
    expect(Object.values(before).filter((n) => n > 0).length).toBeGreaterThanOrEqual(10);

    const result = await server.gql(DELETE, { id: doomed.workspaceId, name: 'doomed' });
    expect(result).toMatchObject({ data: { deleteWorkspace: true } });
    const after = await rowsOf(doomed.workspaceId);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await server.db.platform.query(`SELECT 1 FROM workspaces WHERE id = $1`, [doomed.workspaceId])).toEqual([]);
    expect(await rowsOf(kept.workspaceId)).toEqual(keptBefore);

    const entries: { target: string }[] = await server.db.platform.query(
      `SELECT target FROM audit_log WHERE workspace_id = $1 AND action = 'deleteWorkspace'`,
      [PLATFORM_AUDIT_WORKSPACE],
    );
    expect(entries.map((e) => e.target)).toContain(`doomed (${doomed.workspaceId})`);
  });

  it("stops the workspace's keys at once, even one just used (and so cached)", async () => {
    const { workspaceId, key } = await server.workspaceWithKey('keys-stop');
    expect((await server.gql(`{ viewer { role } }`, {}, { key })).data).toEqual({ viewer: { role: 'MEMBER' } });
    await server.gql(DELETE, { id: workspaceId, name: 'keys-stop' });
    const refused = await server.gql(`{ viewer { role } }`, {}, { key });
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a name that is not the workspace’s, and keys other than admin ones', async () => {
    const { workspaceId, key } = await server.workspaceWithKey('confirm-me');
    const wrong = await server.gql(DELETE, { id: workspaceId, name: 'confirm me' });
    expect(wrong.errors?.[0]).toMatchObject({
      message: 'confirmName must be the workspace\'s name, "confirm-me", but got "confirm me"',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const member = await server.gql(DELETE, { id: workspaceId, name: 'confirm-me' }, { key });
    expect(member.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await rawCalls(workspaceId)).toBe(0);
    expect(await server.db.platform.query(`SELECT name FROM workspaces WHERE id = $1`, [workspaceId])).toEqual([{ name: 'confirm-me' }]);
  });
});

describe('planSources with a cut', () => {
  const at = (iso: string) => new Date(iso);
  const ms = (iso: string) => Date.parse(iso);
  it('reads the part of a range before the cut from rollups alone, its ends rounded to the nearest hour', () => {
    const plan = planSources(
      { from: at('2026-06-01T10:40:00Z'), to: at('2026-06-03T05:10:00Z') },
      { rawOnly: false, allowDaily: true, now: ms('2026-07-01T00:00:00Z'), rawFrom: ms('2026-06-02T12:00:00Z') },
    );
    expect(plan).toEqual({
      raw: [{ from: at('2026-06-03T05:00:00Z'), to: at('2026-06-03T05:10:00Z') }],
      rawOutside: [],
      hourly: [
        { from: at('2026-06-01T11:00:00Z'), to: at('2026-06-02T12:00:00Z') },
        { from: at('2026-06-02T12:00:00Z'), to: at('2026-06-03T05:00:00Z') },
      ],
      daily: [],
    });
  });

  it('reads a short range wholly before the cut from its rollup hour', () => {
    const plan = planSources(
      { from: at('2026-06-01T10:05:00Z'), to: at('2026-06-01T10:50:00Z') },
      { rawOnly: false, allowDaily: false, now: ms('2026-07-01T00:00:00Z'), rawFrom: ms('2026-06-02T00:00:00Z') },
    );
    expect(plan).toEqual({ raw: [], rawOutside: [], hourly: [{ from: at('2026-06-01T10:00:00Z'), to: at('2026-06-01T11:00:00Z') }], daily: [] });
  });
});
