import { createTracker, type TrackFailure } from '../../sdk/src';
import { createApiKey } from '../src/auth/auth.service';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { asSuperuser } from './support/database';
import { startProxiedGateway, type ProxiedGateway } from './support/processes';
import { storedCalls } from './support/stored-calls';
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

let rig: ProxiedGateway;

beforeAll(async () => {
  rig = await startProxiedGateway();
});

afterAll(() => rig.dispose());

/** The database refuses new connections and ends the open ones, for `ms`; then takes connections again. */
async function refuseConnections(ms: number): Promise<void> {
  const name = new URL(rig.db.url).pathname.slice(1);
  await asSuperuser(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
  try {
    await asSuperuser(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    await new Promise((resolve) => setTimeout(resolve, ms)); // the length of the outage is what this fault is
  } finally {
    await asSuperuser(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  }
}

it('stores each of 10,000 calls sent at 500/s exactly once through a gateway kill, a database refusing connections, cut connections and a SIGTERM restart', async () => {
  const workspace = await createWorkspace(rig.db.platform, 'Through every fault', 'pro');
  const key = await createApiKey(rig.db.platform, workspace.id, 'MEMBER', null);
  const failures: TrackFailure[] = [];
  /** The gateway's answers: stored (200, no error), UNAVAILABLE (503), anything else, and requests that reached no gateway. */
  const answers = { stored: 0, unavailable: 0, otherErrors: 0, unreachable: 0 };
  /** What each of those other answers said, so a failure names it. */
  const otherAnswers: string[] = [];
  const tracker = createTracker({
    url: `http://127.0.0.1:${rig.port}`,
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
        else {
          answers.otherErrors++;
          otherAnswers.push(`${response.status} ${JSON.stringify(body).slice(0, 500)}`);
        }
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
    rig.gateway.kill('SIGKILL');
    expect(await rig.gateway.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await rig.restart();

    say('gateway restarted');
    await reaching(4000);
    say('refusing connections');
    await refuseConnections(REFUSAL_MS);

    say('taking connections again');
    await reaching(6500);
    say('cutting every connection');
    rig.proxy.resetAll();

    await reaching(8000);
    say('draining the gateway (SIGTERM)');
    await rig.gateway.stop();
    expect(await rig.gateway.exited).toEqual({ code: 0, signal: null });
    await rig.restart();
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
  expect(otherAnswers).toEqual([]);
  expect(answers.otherErrors).toBe(0);
  expect(await storedCalls(rig.db.platform, workspace.id)).toEqual({
    rows: CALLS,
    distinctEventIds: CALLS,
    rollupMismatches: 0,
    agentStatsRequests: Math.ceil((CALLS * 2) / 3),
    agentRows: Math.ceil((CALLS * 2) / 3),
  });
  await tracker.shutdown();
}, 300_000);
