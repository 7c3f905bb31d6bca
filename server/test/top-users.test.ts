import { call, TRACK_MANY } from './fixtures/calls';
import { periodRange, type MetricsQuery, type Period, type UsageFilterValues } from '../src/metrics/metrics.model';
import { rankUsersByBound, runMetrics, type SourcePolicy } from '../src/metrics/metrics.service';
import { driftFromRawRows } from './support/stored-calls';
import { startTestServer, type TestServer } from './support/server';

// The costliest (and busiest) users of a range, first N, are ranked from each user's totals over
// all time (user_totals) when those settle it: the answer is exactly the full ranking's first N,
// whatever the range, filter, order and limit, with resends and re-pricing kept in the totals.

const NOW = new Date('2026-06-15T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let server: TestServer;
let workspaceId: string;

/** A fixed pseudo-random sequence, so a failure names data that can be made again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
  const made = await server.workspaceWithKey('top users');
  workspaceId = made.workspaceId;
  const next = random(7);
  const calls = Array.from({ length: 900 }, (_, i) => {
    const r = next();
    // A few heavy users, many light ones, a tenth of the calls for nobody in particular.
    const userId = r < 0.1 ? undefined : `user-${String(Math.floor(150 * next() ** 2)).padStart(3, '0')}`;
    return call({
      eventId: `call-${i}`,
      occurredAt: new Date(NOW.getTime() - Math.floor(next() * 40 * DAY) - 60_000).toISOString(),
      modelId: next() < 0.5 ? 'gpt-4o' : 'gpt-4o-mini',
      inputTokens: 100 + Math.floor(next() * 5000),
      outputTokens: 10 + Math.floor(next() * 800),
      tags: next() < 0.4 ? ['prod'] : ['beta'],
      ...(userId ? { userId } : {}),
    });
  });
  // Whales: the costliest users over all time, who made no call in the last 45 days.
  const whales = Array.from({ length: 30 }, (_, i) =>
    call({ eventId: `whale-${i}`, userId: `whale-${i % 6}`, occurredAt: new Date(NOW.getTime() - 50 * DAY - i * HOUR).toISOString(), inputTokens: 2_000_000, outputTokens: 400_000 }),
  );
  const all = [...calls, ...whales];
  for (let i = 0; i < all.length; i += 100) {
    const result = await server.gql(TRACK_MANY, { inputs: all.slice(i, i + 100) }, { key: made.key });
    expect(result.errors).toBeUndefined();
  }
  // A resend of a batch changes nothing; a new price re-prices what was stored.
  expect((await server.gql(TRACK_MANY, { inputs: all.slice(0, 100) }, { key: made.key })).data!.trackLlmCalls.duplicates).toBe(100);
  await server.gql(`mutation { setModelPrice(input: { modelId: "gpt-4o-mini", provider: "openai", inputPerMTok: 9, outputPerMTok: 30 }) { modelId } }`, {}, { key: made.key });
  const repriced = await server.gql(`mutation { repriceLlmCalls(period: LAST_90D) { updated } }`, {}, { key: made.key });
  expect(repriced.data!.repriceLlmCalls.updated).toBeGreaterThan(0);
});

afterAll(() => server.dispose());

const scope = () => ({ kind: 'workspace' as const, workspaceId });

it("keeps each user's cost and requests over all time exactly, through resends and re-pricing", async () => {
  expect(await driftFromRawRows(server.db.platform, workspaceId)).toEqual([]);
  const [{ users }] = await server.db.platform.query(`SELECT count(*)::int AS users FROM user_totals WHERE workspace_id = $1`, [workspaceId]);
  expect(users).toBeGreaterThan(50);
});

const PERIODS: Period[] = ['LAST_90D', 'LAST_30D', 'LAST_7D', 'LAST_24H'];
const FILTERS: (UsageFilterValues | null)[] = [null, { tags: ['prod'] }, { modelIds: ['gpt-4o'] }];
const POLICIES: SourcePolicy[] = ['BY_COST', 'ROLLUP'];

it.each(POLICIES)('answers the first N users of every range, filter and order exactly as the full ranking does (sources %s)', async (policy) => {
  for (const period of PERIODS) {
    for (const filter of FILTERS) {
      for (const orderBy of ['TOTAL_COST', 'REQUESTS'] as const) {
        const query: MetricsQuery = { range: periodRange(period, NOW), timezone: 'UTC', metrics: ['REQUESTS', 'TOTAL_COST', 'P95_LATENCY_MS'], groupBy: ['USER'], filter, orderBy };
        const whole = await runMetrics(server.db.platform, scope(), query, policy);
        for (const limit of [1, 5, 20]) {
          const top = await runMetrics(server.db.platform, scope(), { ...query, limit }, policy);
          expect({ period, filter, orderBy, limit, rows: top.rows }).toEqual({ period, filter, orderBy, limit, rows: whole.rows.slice(0, limit) });
        }
      }
    }
  }
});

it('ranks from the first page of users when the range covers the whole history, the group without a user among them', async () => {
  const query: MetricsQuery = { range: periodRange('LAST_90D', NOW), timezone: 'UTC', metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: ['USER'], orderBy: 'TOTAL_COST', limit: 3 };
  const ranked = await rankUsersByBound(server.db.platform, workspaceId, query, 'TOTAL_COST', 'BY_COST');
  // The six whales cost the same: ties go to the first name, as the engine orders them.
  const [byHand] = await server.db.platform.query(
    `SELECT coalesce(user_id, '') AS user_id, sum(total_cost)::float8 AS cost FROM llm_usage WHERE workspace_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    [workspaceId],
  );
  expect(ranked).not.toBeNull();
  expect(ranked!.rows[0].dimensions[0].value).toBe(byHand.user_id);
  expect(ranked!.rows[0].values.TOTAL_COST).toBeCloseTo(byHand.cost, 9);
  const requests = await rankUsersByBound(server.db.platform, workspaceId, { ...query, orderBy: 'REQUESTS' }, 'REQUESTS', 'BY_COST');
  expect(requests!.rows.map((r) => r.dimensions[0].label)).toContain('No user');
});
