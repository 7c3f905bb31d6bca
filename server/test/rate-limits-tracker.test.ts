import { createTracker, type TrackFailure } from '../../sdk/src';
import { startTestServer, type TestServer } from './support/server';
import { storedCalls } from './support/stored-calls';
import { trackedCalls } from './support/tracked-calls';

// The tracker against a workspace over its ingest rate: it waits as long as the gateway asks
// (retryAfterMs), sends again, and loses or doubles nothing. A window of 5 s holds 100 calls.
const CALLS = 300;
const PER_WINDOW = 100;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { LIMIT_INGEST_CALLS_PER_SECOND: String(PER_WINDOW) }, limitWindowSeconds: 5 });
});
afterAll(() => server.dispose());

it('stores every call of a workspace over its ingest rate once, waiting out each RATE_LIMITED as long as it asks', async () => {
  const { workspaceId, key } = await server.workspaceWithKey('Over its rate');
  const failures: TrackFailure[] = [];
  // Its own backoff is 1 ms at most: a tracker that ignored retryAfterMs would retry thousands of times.
  const tracker = createTracker({ url: server.url, apiKey: key, batchSize: PER_WINDOW, retryBaseDelayMs: 1, retryMaxDelayMs: 1, onError: (f) => failures.push(f) });
  for (const call of trackedCalls(CALLS)) tracker.track(call);
  await tracker.flush();

  const stats = tracker.stats();
  expect(failures).toEqual([]);
  expect(stats).toMatchObject({ queued: 0, accepted: CALLS, duplicates: 0, failed: 0, dropped: 0 });
  // Two windows to wait (the first batch fills the first window): at least one refusal each, and no more than a few.
  expect(stats.retries).toBeGreaterThanOrEqual(2);
  expect(stats.retries).toBeLessThanOrEqual(6);
  expect(await storedCalls(server.db.platform, workspaceId)).toMatchObject({ rows: CALLS, distinctEventIds: CALLS, rollupMismatches: 0 });
  await tracker.shutdown();
});
