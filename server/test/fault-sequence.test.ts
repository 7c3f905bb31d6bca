import { Client } from 'pg';
import { createTracker, type TrackFailure } from '../../sdk/src';
import { createApiKey } from '../src/auth/auth.service';
import { freePort } from '../src/db/embedded';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { createTestDatabase, type TestDatabase } from './support/database';
import { compileServer, spawnGateway, type CompiledServer, type GatewayProcess } from './support/processes';
import { storedCalls } from './support/stored-calls';
import { TcpProxy } from './support/tcp-proxy';
import { trackedCalls } from './support/tracked-calls';

// 10,000 calls sent through the tracker at 500 a second to a gateway process while, in turn:
// the gateway is killed (SIGKILL) and started again, the database refuses connections for 4 s
// (as PostgreSQL does while it restarts, fails over or has no slot left), every database
// connection is cut, and the gateway is drained with SIGTERM and started again. Every call must
// be stored exactly once, rollups must agree with the raw rows, and the tracker must neither
// give up on a call nor drop one. TALLY_FAULT_REPORT=1 prints what the tracker went through.

const CALLS = 10_000;
const PER_SECOND = 500;
const REFUSAL_MS = 4000;

let compiled: CompiledServer;
let db: TestDatabase;
let proxy: TcpProxy;
let databaseUrl: string;
let port: number;
let gateway: GatewayProcess;

beforeAll(async () => {
  compiled = compileServer();
  db = await createTestDatabase();
  const target = new URL(db.url);
  proxy = new TcpProxy(Number(target.port));
  await proxy.listen();
  target.port = String(proxy.port);
  databaseUrl = target.toString();
  port = await freePort();
  gateway = await spawnGateway(compiled.main, { databaseUrl, port });
});

afterAll(async () => {
  await gateway.stop();
  await proxy.close();
  await db.dispose();
  compiled.dispose();
});

/** Runs a statement as the superuser on the maintenance database (the test database may be refusing connections). */
async function asAdmin(sql: string, parameters: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: process.env.TALLY_TEST_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql, parameters);
  } finally {
    await client.end();
  }
}

/** The database refuses new connections and ends the open ones, for `ms`; then takes connections again. */
async function refuseConnections(ms: number): Promise<void> {
  const name = new URL(db.url).pathname.slice(1);
  await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  try {
    await asAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    await new Promise((resolve) => setTimeout(resolve, ms)); // the length of the outage is what this fault is
  } finally {
    await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  }
}

it('stores each of 10,000 calls sent at 500/s exactly once through a gateway kill, a database refusing connections, cut connections and a SIGTERM restart', async () => {
  const workspace = await createWorkspace(db.platform, 'Through every fault', 'pro');
  const key = await createApiKey(db.platform, workspace.id, 'MEMBER', null);
  const failures: TrackFailure[] = [];
  /** The gateway's answers: stored (200, no error), UNAVAILABLE (503), anything else, and requests that reached no gateway. */
  const answers = { stored: 0, unavailable: 0, otherErrors: 0, unreachable: 0 };
  const tracker = createTracker({
    url: `http://127.0.0.1:${port}`,
    apiKey: key,
    maxQueueSize: CALLS,
    retryBaseDelayMs: 50,
    retryMaxDelayMs: 1000,
    onError: (failure) => failures.push(failure),
    fetch: async (input, init) => {
      try {
        const response = await fetch(input, init);
        const body = (await response.clone().json().catch(() => ({}))) as { errors?: unknown[] };
        if (response.status === 503) answers.unavailable++;
        else if (response.status === 200 && !body.errors) answers.stored++;
        else answers.otherErrors++;
        return response;
      } catch (error) {
        answers.unreachable++;
        throw error;
      }
    },
  });

  let tracked = 0;
  const milestones: { at: number; reached: () => void }[] = [];
  /** Resolves once `at` calls have been tracked (at once if they have). */
  const reaching = (at: number): Promise<void> => (tracked >= at ? Promise.resolve() : new Promise((reached) => milestones.push({ at, reached })));
  const say = (what: string): void => void (process.env.TALLY_FAULT_REPORT && process.stderr.write(`${Date.now() - started} ms, ${tracked} tracked: ${what}\n`));
  const started = Date.now();
  const sending = (async () => {
    for (const call of trackedCalls(CALLS)) {
      tracker.track(call);
      tracked++;
      for (const m of milestones.filter((m) => m.at === tracked)) m.reached();
      if (tracked % 10 === 0) {
        const due = started + (tracked * 1000) / PER_SECOND;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now())); // the sending rate
      }
    }
  })();

  const faults = (async () => {
    await reaching(1500);
    say('killing the gateway');
    gateway.kill('SIGKILL');
    expect(await gateway.exited).toEqual({ code: null, signal: 'SIGKILL' });
    gateway = await spawnGateway(compiled.main, { databaseUrl, port });

    say('gateway restarted');
    await reaching(4000);
    say('refusing connections');
    await refuseConnections(REFUSAL_MS);

    say('taking connections again');
    await reaching(6500);
    say('cutting every connection');
    proxy.resetAll();

    await reaching(8000);
    say('draining the gateway (SIGTERM)');
    await gateway.stop();
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    gateway = await spawnGateway(compiled.main, { databaseUrl, port });
    say('gateway restarted');
  })();

  await Promise.all([sending, faults]);
  say('all sent');
  await tracker.flush();
  const elapsedMs = Date.now() - started;
  const stats = tracker.stats();
  if (process.env.TALLY_FAULT_REPORT) process.stderr.write(`fault sequence: ${JSON.stringify({ elapsedMs, stats, answers })}\n`);

  expect(failures).toEqual([]);
  expect(stats).toMatchObject({ queued: 0, failed: 0, dropped: 0 });
  expect(stats.accepted + stats.duplicates).toBe(CALLS);
  expect(answers.otherErrors).toBe(0);
  expect(await storedCalls(db.platform, workspace.id)).toEqual({
    rows: CALLS,
    distinctEventIds: CALLS,
    rollupMismatches: 0,
    agentStatsRequests: Math.ceil((CALLS * 2) / 3),
    agentRows: Math.ceil((CALLS * 2) / 3),
  });
  await tracker.shutdown();
}, 300_000);
