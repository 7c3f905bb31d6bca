import { createApiKey } from '../src/auth/auth.service';
import { ingestCalls } from '../src/ingest/ingest.service';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { TRACK_MANY } from './fixtures/calls';
import { createTestDatabase, type TestDatabase } from './support/database';
import { compileServer, postGraphql, spawnGateway, waitUntil, type CompiledServer, type GatewayProcess } from './support/processes';
import type { GqlResult } from './support/server';
import { startStandIn, type StandIn } from './support/stand-in';
import { driftFromRawRows, storedCalls } from './support/stored-calls';
import { trackedCalls } from './support/tracked-calls';

// Every writer of a workspace's calls at once, against a gateway process: ingest clients,
// re-pricing in loops, price changes, OpenRouter activity syncs (from a stand-in) and the
// budget checks that the stored calls set off. No request may fail, PostgreSQL may detect no
// deadlock, and afterwards every rollup level and the agents' totals must be what the raw rows
// add up to. A new writer joins the race as one more entry of WRITERS.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Calls stored before the race, so that re-pricing has several batches of work from the start. */
const CALLS_BEFORE = 5000;
const INGEST_BATCH = 50;

const REPRICE = `mutation R($period: Period, $models: [String!]) { repriceLlmCalls(period: $period, modelIds: $models) { updated costDelta } }`;
const SET_PRICE = `mutation S($input: ModelPriceInput!) { setModelPrice(input: $input) { source } }`;
const SYNC = `mutation { syncOpenRouterActivity { fetchedRows inserted skippedDuplicates } }`;

interface Writer {
  name: string;
  /** Clients of this writer racing at once. */
  clients: number;
  /** Requests each client sends, one after the other. */
  rounds: number;
  /** One request; `client` and `round` count from 0. */
  send(client: number, round: number): Promise<GqlResult>;
}

let compiled: CompiledServer;
let db: TestDatabase;
let upstream: StandIn;
let gateway: GatewayProcess;
let workspaceId: string;
let key: string;
let syncs = 0;

const ask = (query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> => postGraphql(gateway.url, key, query, variables);

/** Each sync reports one more model on the two days before, so every sync stores new rows. */
function activity(): unknown {
  syncs++;
  const days = [1, 2].map((back) => new Date(Date.now() - back * DAY).toISOString().slice(0, 10));
  return {
    data: days.flatMap((date) =>
      Array.from({ length: syncs }, (_, m) => ({
        date,
        model: `openai/gpt-4o-sync-${m}`,
        provider_name: 'OpenAI',
        usage: 0.25 + m / 100,
        requests: 10 + m,
        prompt_tokens: 10_000 + m,
        completion_tokens: 2000,
      })),
    ),
  };
}

const WRITERS: Writer[] = [
  {
    name: 'ingest',
    clients: 4,
    rounds: 10,
    // A batch of new calls over the last two days, with five calls of the batch before resent.
    send: (client, round) => {
      const fresh = trackedCalls(INGEST_BATCH, Date.now()).map((call, i) => ({ ...call, eventId: `race-${client}-${round}-${i}` }));
      const resent = round === 0 ? [] : fresh.slice(0, 5).map((call, i) => ({ ...call, eventId: `race-${client}-${round - 1}-${i}` }));
      return ask(TRACK_MANY, { inputs: [...fresh, ...resent] });
    },
  },
  {
    name: 'reprice',
    clients: 2,
    rounds: 4,
    send: (client, round) =>
      ask(REPRICE, [{ period: 'LAST_7D' }, { period: 'LAST_7D', models: ['gpt-4o-mini'] }, { period: 'LAST_24H', models: ['gpt-4o', 'claude-3-5-haiku-latest'] }][(client + round) % 3]),
  },
  {
    name: 'price change',
    clients: 1,
    rounds: 12,
    send: (_client, round) =>
      ask(SET_PRICE, { input: { modelId: round % 2 ? 'gpt-4o' : 'gpt-4o-mini', provider: 'openai', inputPerMTok: 1 + round, outputPerMTok: 4 + round } }),
  },
  {
    name: 'OpenRouter sync',
    clients: 1,
    rounds: 4,
    send: () => ask(SYNC),
  },
];

beforeAll(async () => {
  compiled = compileServer();
  db = await createTestDatabase();
  upstream = await startStandIn((request) => (request.path === '/api/v1/activity' ? { json: activity() } : { status: 404 }));
  gateway = await spawnGateway(compiled.main, { databaseUrl: db.url, env: { OPENROUTER_BASE_URL: `${upstream.url}/api/v1` } });
  const workspace = await createWorkspace(db.platform, 'Racing writers', 'pro');
  workspaceId = workspace.id;
  key = await createApiKey(db.platform, workspaceId, 'MEMBER', null);
  const setKey = await ask(`mutation { setProviderKey(provider: "openrouter", key: "sk-or-race-0123456789") { last4 } }`);
  // A budget every window crosses, so budget checks raise alerts all through the race.
  const budget = await ask(`mutation { setBudget(input: { amount: 0.01, window: MONTH }) { id } }`);
  expect([setKey.errors, budget.errors]).toEqual([undefined, undefined]);
  const before = trackedCalls(CALLS_BEFORE, Date.now() - HOUR).map((call, i) => ({ ...call, eventId: `before-${i}`, occurredAt: new Date(call.occurredAt as string | Date) }));
  for (let i = 0; i < before.length; i += 1000) await ingestCalls(db.dataSource, workspaceId, before.slice(i, i + 1000), new Date());
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  await db?.dispose();
  compiled?.dispose();
});

const deadlocks = async (): Promise<number> =>
  Number((await db.dataSource.query(`SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()`))[0].deadlocks);

it('lets every writer race without a failed request or a deadlock, and leaves rollups and agent totals equal to the raw rows', async () => {
  const deadlocksBefore = await deadlocks();
  const answers = await Promise.all(
    WRITERS.flatMap((writer) =>
      Array.from({ length: writer.clients }, async (_, client) => {
        const answered: { writer: string; round: number; result: GqlResult }[] = [];
        for (let round = 0; round < writer.rounds; round++) answered.push({ writer: writer.name, round, result: await writer.send(client, round) });
        return answered;
      }),
    ),
  );
  const all = answers.flat();
  const failed = all.filter((a) => a.result.status !== 200 || a.result.errors).map((a) => ({ writer: a.writer, round: a.round, errors: a.result.errors }));
  const drift = await driftFromRawRows(db.platform, workspaceId);
  // A backend has counted its deadlocks in pg_stat_database by the time it has left pg_stat_activity.
  await gateway.stop();
  const pool = (db.dataSource.driver as unknown as { master: { totalCount: number } }).master;
  await waitUntil("the gateway's database sessions to end", async () => {
    const [sessions] = await db.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`);
    return sessions.n <= pool.totalCount;
  });
  expect({ failed, deadlocks: (await deadlocks()) - deadlocksBefore, drift }).toEqual({ failed: [], deadlocks: 0, drift: [] });

  // The race did race: calls stored and resent, re-pricing changed calls, syncs stored rows, budget alerts were raised.
  const data = (writer: string) => all.filter((a) => a.writer === writer).map((a) => Object.values(a.result.data!)[0] as Record<string, number>);
  expect(data('ingest').reduce((sum, r) => sum + r.accepted, 0)).toBe(4 * 10 * INGEST_BATCH);
  expect(data('ingest').reduce((sum, r) => sum + r.duplicates, 0)).toBe(4 * 9 * 5);
  expect(data('reprice').some((r) => r.updated > 0)).toBe(true);
  expect(data('OpenRouter sync').every((r) => r.inserted > 0)).toBe(true);
  const [alerts] = await db.platform.query(`SELECT count(*)::int AS n FROM alerts WHERE workspace_id = $1 AND kind = 'BUDGET_THRESHOLD'`, [workspaceId]);
  expect(alerts.n).toBeGreaterThan(0);
  const stored = await storedCalls(db.platform, workspaceId);
  expect(stored.rows).toBe(stored.distinctEventIds);
});
