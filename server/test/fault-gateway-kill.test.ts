import { once } from 'node:events';
import { createTracker, type Tracker, type TrackFailure } from '../../sdk/src';
import { createApiKey } from '../src/auth/auth.service';
import { INGEST_STATEMENT } from '../src/ingest/ingest.service';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { startProxiedGateway, type ProxiedGateway } from './support/processes';
import { storedCalls } from './support/stored-calls';
import { trackedCalls } from './support/tracked-calls';

// A gateway process killed with SIGKILL while it stores a tracker's batches, then started
// again on the same port. A TCP proxy in front of PostgreSQL stops one ingest transaction
// just before or just after its COMMIT, so the kill lands inside a batch every time.

const BATCH = 100;

let rig: ProxiedGateway;

beforeAll(async () => {
  rig = await startProxiedGateway();
});

afterAll(() => rig.dispose());

interface Sending {
  tracker: Tracker;
  workspaceId: string;
  failures: TrackFailure[];
  /** The event ids of every request the tracker sent, in order (a resend appears again). */
  batches: string[][];
  /** Resolves once the gateway has answered `count` requests. */
  answered(count: number): Promise<void>;
}

/** A tracker for a new workspace that records the batches it sends. */
async function sending(calls: number): Promise<Sending> {
  const workspace = await createWorkspace(rig.db.platform, `Killed ${calls}`, 'pro');
  const key = await createApiKey(rig.db.platform, workspace.id, 'MEMBER', null);
  const failures: TrackFailure[] = [];
  const batches: string[][] = [];
  let answers = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const tracker = createTracker({
    url: `http://127.0.0.1:${rig.port}`,
    apiKey: key,
    batchSize: BATCH,
    maxQueueSize: calls,
    retryBaseDelayMs: 50,
    retryMaxDelayMs: 500,
    onError: (failure) => failures.push(failure),
    fetch: (input, init) => {
      const body = JSON.parse(String(init!.body)) as { variables: { inputs: { eventId: string }[] } };
      batches.push(body.variables.inputs.map((c) => c.eventId));
      return fetch(input, init).then((response) => {
        answers++;
        for (const w of waiting.filter((w) => answers >= w.count)) w.resolve();
        return response;
      });
    },
  });
  for (const call of trackedCalls(calls)) tracker.track(call);
  const answered = (count: number) => (answers >= count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve })));
  return { tracker, workspaceId: workspace.id, failures, batches, answered };
}

/** Kills the gateway once the proxy holds an ingest, then starts a new one on the same port. */
async function killDuringIngest(): Promise<void> {
  await once(rig.proxy, 'held');
  rig.gateway.kill('SIGKILL');
  expect(await rig.gateway.exited).toEqual({ code: null, signal: 'SIGKILL' });
  await rig.proxy.idle(); // the dead gateway's connections are gone, so what the proxy held can never be passed on
  rig.proxy.release();
}

it('leaves a batch cut off before its COMMIT wholly unstored, and every other batch whole', async () => {
  const { tracker, workspaceId, failures, batches, answered } = await sending(3000);
  await answered(10);
  rig.proxy.holdAfter(INGEST_STATEMENT, 'COMMIT', 'upstream');
  await killDuringIngest();

  const stored = new Set<string>(
    (await rig.db.platform.query(`SELECT event_id FROM llm_usage WHERE workspace_id = $1`, [workspaceId])).map((r: { event_id: string }) => r.event_id),
  );
  const storedPerBatch = batches.map((ids) => ids.filter((id) => stored.has(id)).length);
  expect(storedPerBatch.every((n) => n === 0 || n === BATCH)).toBe(true);
  expect(storedPerBatch.filter((n) => n === BATCH).length).toBeGreaterThanOrEqual(10);
  expect(storedPerBatch.at(-1)).toBe(0); // the batch in flight at the kill

  await rig.restart();
  await tracker.flush();
  expect(failures).toEqual([]);
  expect(tracker.stats()).toMatchObject({ accepted: 3000, duplicates: 0, dropped: 0 });
  expect(await storedCalls(rig.db.platform, workspaceId)).toEqual({
    rows: 3000,
    distinctEventIds: 3000,
    rollupMismatches: 0,
    agentStatsRequests: 2000,
    agentRows: 2000,
  });
  await tracker.shutdown();
});

it('stores a batch whose answer the kill lost once: the resend counts it as duplicates', async () => {
  const { tracker, workspaceId, failures } = await sending(300);
  rig.proxy.holdAfter(INGEST_STATEMENT, 'COMMIT', 'downstream');
  await killDuringIngest();

  await rig.restart();
  await tracker.flush();
  expect(failures).toEqual([]);
  expect(tracker.stats()).toMatchObject({ accepted: 300 - BATCH, duplicates: BATCH, dropped: 0 });
  expect(await storedCalls(rig.db.platform, workspaceId)).toEqual({
    rows: 300,
    distinctEventIds: 300,
    rollupMismatches: 0,
    agentStatsRequests: 200,
    agentRows: 200,
  });
  await tracker.shutdown();
});
