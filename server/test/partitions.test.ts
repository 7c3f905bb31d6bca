import fc from 'fast-check';
import { partitionOwner, rawPartitions } from '../src/db/partitions';
import { scopedDb, workspaceScope } from '../src/db/scoped-db';
import { METRICS, type MetricsRowValue } from '../src/metrics/metrics.model';
import { runMetrics } from '../src/metrics/metrics.service';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { EVENT_ID_GRACE_DAYS } from '../src/lifecycle/retention.service';
import { retentionCut } from '../src/lifecycle';
import { startTestServer, type TestServer } from './support/server';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-07-01T12:00:00Z');

const call = (at: string, eventId: string | null = null, i = 0): LlmCallInputValues => ({
  modelId: 'gpt-4o',
  provider: 'openai',
  agentId: 'planner',
  status: 'SUCCESS',
  requestType: 'chat',
  latencyMs: 100 + i,
  inputTokens: 1000 + i,
  outputTokens: 100 + i,
  occurredAt: new Date(at),
  eventId,
});

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
});
afterAll(() => server.dispose());

/** Each stored call of a workspace with the month (partition) holding it. */
const storedMonths = async (workspaceId: string) =>
  (await server.db.platform.query(`SELECT event_id, tableoid::regclass::text AS month FROM llm_usage WHERE workspace_id = $1 ORDER BY occurred_at`, [workspaceId])) as {
    event_id: string | null;
    month: string;
  }[];

describe('raw calls by month', () => {
  it('stores each call in the month of its time, creating a past month on its first call, either side of a boundary', async () => {
    const { workspaceId } = await server.workspaceWithKey('months');
    const outcome = await ingestCalls(server.db.dataSource, workspaceId, [call('2026-02-28T23:59:59.999Z', 'last-of-february'), call('2026-03-01T00:00:00.000Z', 'first-of-march')], NOW);
    expect(outcome).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await storedMonths(workspaceId)).toEqual([
      { event_id: 'last-of-february', month: 'llm_usage_y2026m02' },
      { event_id: 'first-of-march', month: 'llm_usage_y2026m03' },
    ]);
    // A month made on the fly is walled like its parent: a workspace reading it directly sees its own rows only.
    const other = await server.workspaceWithKey('months-other');
    await ingestCalls(server.db.dataSource, other.workspaceId, [call('2026-03-02T00:00:00Z')], NOW);
    for (const { workspaceId: id, n } of [{ workspaceId, n: 1 }, { workspaceId: other.workspaceId, n: 1 }]) {
      const seen: { workspace_id: string }[] = await scopedDb(server.db.dataSource, workspaceScope(id)).query(`SELECT workspace_id FROM llm_usage_y2026m03`);
      expect(seen).toEqual(Array.from({ length: n }, () => ({ workspace_id: id })));
    }
    const months = (await rawPartitions(partitionOwner(server.db.dataSource))).filter((m) => m.name === 'llm_usage_y2026m03');
    expect(months).toEqual([{ name: 'llm_usage_y2026m03', from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') }]);
  });

  it('keeps the months from the current one to two ahead created', async () => {
    await server.gateway.services.retention.runOnce();
    const names = (await rawPartitions(partitionOwner(server.db.dataSource))).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['llm_usage_y2026m07', 'llm_usage_y2026m08', 'llm_usage_y2026m09']));
  });

  it('stores a call resent with a time in another month once, in a later batch, in the same batch and in racing batches', async () => {
    const { workspaceId, key } = await server.workspaceWithKey('resends');
    await ingestCalls(server.db.dataSource, workspaceId, [call('2026-04-30T23:59:59Z', 'sent-twice')], NOW);
    const resent = await ingestCalls(server.db.dataSource, workspaceId, [call('2026-05-01T00:00:01Z', 'sent-twice')], NOW);
    expect(resent).toMatchObject({ accepted: 0, duplicates: 1 });
    const sameBatch = await ingestCalls(server.db.dataSource, workspaceId, [call('2026-05-31T23:59:00Z', 'twice-in-a-batch'), call('2026-06-01T00:01:00Z', 'twice-in-a-batch')], NOW);
    expect(sameBatch).toMatchObject({ accepted: 1, duplicates: 1 });
    const racing = await Promise.all([
      ingestCalls(server.db.dataSource, workspaceId, [call('2026-05-31T23:00:00Z', 'race-a'), call('2026-05-31T23:00:00Z', 'race-b')], NOW),
      ingestCalls(server.db.dataSource, workspaceId, [call('2026-06-01T01:00:00Z', 'race-b'), call('2026-06-01T01:00:00Z', 'race-a')], NOW),
    ]);
    expect(racing.reduce((sum, o) => sum + o.accepted, 0)).toBe(2);
    expect(racing.reduce((sum, o) => sum + o.duplicates, 0)).toBe(2);
    const stored = await storedMonths(workspaceId);
    expect(stored.map((row) => row.event_id).sort()).toEqual(['race-a', 'race-b', 'sent-twice', 'twice-in-a-batch']);
    expect(stored.filter((row) => row.event_id === 'sent-twice' || row.event_id === 'twice-in-a-batch')).toEqual([
      { event_id: 'sent-twice', month: 'llm_usage_y2026m04' },
      { event_id: 'twice-in-a-batch', month: 'llm_usage_y2026m05' },
    ]);
    const usage = await server.gql(`{ llmUsage(period: LAST_90D, groupBy: MODEL) { requests inputTokens } }`, {}, { key });
    expect(usage.data?.llmUsage).toEqual([{ requests: 4, inputTokens: 4000 }]);
    const again = await server.gql(
      `mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { occurredAt } }`,
      { input: { ...call('2026-06-15T00:00:00Z', 'sent-twice'), occurredAt: '2026-06-15T00:00:00Z' } },
      { key },
    );
    expect(again.data?.trackLlmCall).toEqual({ occurredAt: '2026-04-30T23:59:59.000Z' });
  });
});

describe('retention by month', () => {
  it('drops each past month no workspace keeps a call of, deletes the rest in batches, and keeps every figure the rollups serve', async () => {
    const own = await startTestServer({ now: () => NOW });
    try {
      const a = await own.workspaceWithKey('thirty-days');
      const b = await own.workspaceWithKey('forty-five-days');
      const c = await own.workspaceWithKey('for-ever');
      await ingestCalls(own.db.dataSource, a.workspaceId, [
        call('2026-03-10T00:00:00Z', 'a-march'),
        call('2026-04-10T00:00:00Z', 'a-april'),
        call('2026-05-28T00:00:00Z', 'a-late-may'),
        call('2026-06-01T05:00:00Z', 'a-before-cut'),
        call('2026-06-20T00:00:00Z', 'a-kept'),
      ], NOW);
      await ingestCalls(own.db.dataSource, b.workspaceId, [call('2026-03-11T00:00:00Z'), call('2026-05-10T00:00:00Z'), call('2026-06-25T00:00:00Z')], NOW);
      await ingestCalls(own.db.dataSource, c.workspaceId, [call('2026-06-05T00:00:00Z')], NOW);
      const summary = `{ llmSummary(period: LAST_90D) { totalRequests totalCost totalTokens } }`;
      const before = await own.gql(summary, {}, { key: a.key });
      await own.db.platform.query(`UPDATE workspaces SET retention_days = 30, retention_set = true WHERE id = $1`, [a.workspaceId]);
      await own.db.platform.query(`UPDATE workspaces SET retention_days = 45, retention_set = true WHERE id = $1`, [b.workspaceId]);

      const run = await own.gateway.services.retention.runOnce();
      expect(run.droppedMonths).toEqual(['llm_usage_y2026m03', 'llm_usage_y2026m04', 'llm_usage_y2026m05']);
      expect(run.deleted).toBe(6);
      const left: { workspace_id: string; occurred_at: Date }[] = await own.db.platform.query(`SELECT workspace_id, occurred_at FROM llm_usage ORDER BY occurred_at`);
      expect(left).toEqual([
        { workspace_id: c.workspaceId, occurred_at: new Date('2026-06-05T00:00:00Z') },
        { workspace_id: a.workspaceId, occurred_at: new Date('2026-06-20T00:00:00Z') },
        { workspace_id: b.workspaceId, occurred_at: new Date('2026-06-25T00:00:00Z') },
      ]);
      expect((await own.gql(summary, {}, { key: a.key })).data).toEqual(before.data);

      // Event ids outlive their raw rows by EVENT_ID_GRACE_DAYS: a late resend is still one.
      const eventIds: { event_id: string }[] = await own.db.platform.query(`SELECT event_id FROM llm_usage_event_ids WHERE workspace_id = $1 ORDER BY 1`, [a.workspaceId]);
      const eventIdCut = new Date(retentionCut(30, NOW).getTime() - EVENT_ID_GRACE_DAYS * DAY);
      expect(eventIdCut).toEqual(new Date('2026-05-25T12:00:00Z'));
      expect(eventIds.map((e) => e.event_id)).toEqual(['a-before-cut', 'a-kept', 'a-late-may']);
      const resent = await ingestCalls(own.db.dataSource, a.workspaceId, [call('2026-05-28T00:00:00Z', 'a-late-may')], NOW);
      expect(resent).toMatchObject({ accepted: 0, duplicates: 1 });
      expect((await own.gql(summary, {}, { key: a.key })).data).toEqual(before.data);
      const tracked = await own.gql(`mutation ($input: LlmCallInput!) { trackLlmCall(input: $input) { id } }`, { input: { ...call('2026-05-28T00:00:00Z', 'a-late-may'), occurredAt: '2026-05-28T00:00:00Z' } }, { key: a.key });
      expect(tracked.errors?.[0]).toMatchObject({
        message: `eventId "a-late-may" names a call stored before, dated 2026-05-28T00:00:00.000Z, whose raw row the workspace's retention has deleted: a resend adds nothing`,
        extensions: { code: 'BAD_USER_INPUT' },
      });

      // A month whose calls arrive after it was dropped comes back.
      await ingestCalls(own.db.dataSource, c.workspaceId, [call('2026-04-02T00:00:00Z')], NOW);
      expect((await rawPartitions(partitionOwner(own.db.dataSource))).map((m) => m.name)).toContain('llm_usage_y2026m04');
    } finally {
      await own.dispose();
    }
  });

  it('attaches again a month a stopped run left detached, with its calls', async () => {
    const { workspaceId } = await server.workspaceWithKey('detached');
    await ingestCalls(server.db.dataSource, workspaceId, [call('2025-11-15T00:00:00Z'), call('2025-11-16T00:00:00Z')], NOW);
    await server.db.dataSource.query(`ALTER TABLE llm_usage DETACH PARTITION llm_usage_y2025m11`);
    await server.gateway.services.retention.runOnce();
    const rows: { month: string }[] = await server.db.platform.query(`SELECT tableoid::regclass::text AS month FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
    expect(rows).toEqual([{ month: 'llm_usage_y2025m11' }, { month: 'llm_usage_y2025m11' }]);
  });

  it('keeps exactly the calls at or after each workspace\'s cut, whatever months it drops, and every figure the rollups serve (property)', async () => {
    const WINDOW = 120 * DAY;
    const start = new Date(NOW.getTime() - WINDOW);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ workspace: fc.integer({ min: 0, max: 2 }), at: fc.integer({ min: 0, max: WINDOW - 1 }), i: fc.nat(1000) }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }), { minLength: 3, maxLength: 3 }),
        async (sent, days) => {
          const own = await startTestServer({ now: () => NOW });
          try {
            const workspaces = await Promise.all([0, 1, 2].map((n) => own.workspaceWithKey(`property-${n}`)));
            const calls = sent.map((c) => ({ ...c, input: call(new Date(start.getTime() + c.at).toISOString(), null, c.i) }));
            const query = { range: { from: start, to: NOW }, timezone: 'UTC', metrics: [...METRICS], groupBy: ['MODEL' as const], bucket: 'DAY' as const };
            const figures = (workspaceId: string) =>
              runMetrics(scopedDb(own.db.dataSource, workspaceScope(workspaceId)), { kind: 'workspace', workspaceId }, query, 'ROLLUP').then((o) =>
                o.rows.map((r: MetricsRowValue) => [r.bucket?.toISOString(), r.dimensions.map((d) => d.value), METRICS.map((m) => Math.round(r.values[m] * 1e9))]),
              );
            const before = [];
            for (const [n, { workspaceId }] of workspaces.entries()) {
              await ingestCalls(own.db.dataSource, workspaceId, calls.filter((c) => c.workspace === n).map((c) => c.input), NOW);
              if (days[n] !== null) await own.db.platform.query(`UPDATE workspaces SET retention_days = $2, retention_set = true WHERE id = $1`, [workspaceId, days[n]]);
              before.push(await figures(workspaceId));
            }
            await own.gateway.services.retention.runOnce();
            for (const [n, { workspaceId }] of workspaces.entries()) {
              const cut = days[n] === null ? 0 : retentionCut(days[n]!, NOW).getTime();
              const kept = calls.filter((c) => c.workspace === n && start.getTime() + c.at >= cut).map((c) => start.getTime() + c.at).sort((a, b) => a - b);
              const left: { at: Date }[] = await own.db.platform.query(`SELECT occurred_at AS at FROM llm_usage WHERE workspace_id = $1 ORDER BY 1`, [workspaceId]);
              expect(left.map((row) => row.at.getTime())).toEqual(kept);
              expect(await figures(workspaceId)).toEqual(before[n]);
            }
          } finally {
            await own.dispose();
          }
        },
      ),
      { numRuns: 6 },
    );
  });
});
