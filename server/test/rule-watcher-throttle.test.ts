import type { LlmCallRecord } from '../src/ingest/llm-call.record';
import { createLogger } from '../src/logger';
import { createInProcessPubSub } from '../src/pubsub/pubsub';
import { POOLED_RUN_GAP_MS, PooledUsageWatcher } from '../src/pubsub/usage-watcher';

const START = Date.parse('2026-07-01T09:00:00Z');
const callOf = (workspaceId: string): LlmCallRecord => ({ workspaceId }) as LlmCallRecord;

interface Run {
  /** Milliseconds after START the run began. */
  at: number;
  workspaceIds: string[];
}

/** A rule watcher whose check notes its runs; `hold` makes the next runs wait until released. */
function watcher() {
  const runs: Run[] = [];
  let held: Promise<void> | null = null;
  let release = (): void => {};
  const watched = new PooledUsageWatcher(
    'test check',
    async (workspaceIds, now) => {
      runs.push({ at: now.getTime() - START, workspaceIds: [...workspaceIds].sort() });
      if (held) await held;
    },
    createInProcessPubSub(),
    createLogger('silent'),
    () => new Date(),
  );
  return {
    runs,
    land: (...workspaceIds: string[]) => workspaceIds.forEach((id) => watched.landed(callOf(id))),
    hold: () => {
      held = new Promise((resolve) => (release = resolve));
    },
    release: () => {
      held = null;
      release();
    },
    stop: () => watched.stop(),
    /** The times of the runs that checked `workspaceId`. */
    of: (workspaceId: string) => runs.filter((r) => r.workspaceIds.includes(workspaceId)).map((r) => r.at),
  };
}

const elapsed = (): number => Date.now() - START;
/** Moves the fake clock to `ms` after START, running the timers and promises due on the way. */
const until = (ms: number): Promise<void> => jest.advanceTimersByTimeAsync(ms - elapsed());

beforeEach(() => jest.useFakeTimers({ now: START }));
afterEach(() => jest.useRealTimers());

describe('rule evaluation after calls land: at most once a second per workspace, leading edge', () => {
  it('checks the first call of a quiet second at once', async () => {
    const w = watcher();
    w.land('a');
    await until(0);
    expect(w.runs).toEqual([{ at: 0, workspaceIds: ['a'] }]);
    await until(2_500);
    w.land('a');
    await until(2_500);
    expect(w.of('a')).toEqual([0, 2_500]);
    w.stop();
  });

  it('folds the later calls of that second into one trailing check at its end', async () => {
    const w = watcher();
    w.land('a');
    await until(0);
    for (const ms of [100, 200, 500, 999]) {
      await until(ms);
      w.land('a');
    }
    await until(999);
    expect(w.of('a')).toEqual([0]);
    await until(1_000);
    expect(w.of('a')).toEqual([0, 1_000]);
    await until(5_000);
    expect(w.of('a')).toEqual([0, 1_000]);
    w.stop();
  });

  it('never checks a workspace twice within a second, however often its calls land', async () => {
    const w = watcher();
    for (let ms = 0; ms < 5_000; ms += 30) {
      await until(ms);
      w.land('a');
    }
    await until(7_000);
    const times = w.of('a');
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(1_000);
    expect(times.length).toBeLessThanOrEqual(6);
    // The last call (at 4,980 ms) is checked: by the trailing check of its second.
    expect(times.at(-1)).toBeGreaterThanOrEqual(4_980);
    w.stop();
  });

  it('keeps each workspace to its own second: another workspace is checked at once', async () => {
    const w = watcher();
    const later = POOLED_RUN_GAP_MS + 100;
    w.land('a');
    await until(later);
    w.land('b');
    await until(later);
    w.land('a');
    // a's trailing check is due at the end of its second, and the pooled runs' gap after b's.
    const trailing = Math.max(1_000, later + POOLED_RUN_GAP_MS);
    await until(trailing - 1);
    expect(w.runs).toEqual([
      { at: 0, workspaceIds: ['a'] },
      { at: later, workspaceIds: ['b'] },
    ]);
    await until(trailing);
    expect(w.of('a')).toEqual([0, trailing]);
    expect(w.of('b')).toEqual([later]);
    w.stop();
  });

  it('checks the workspaces that come due during a run together, in the next one', async () => {
    const w = watcher();
    w.hold();
    w.land('c');
    await until(0);
    w.land('d', 'e');
    const released = POOLED_RUN_GAP_MS + 200;
    await until(released);
    // c's run is still in flight: d and e wait for it, and go together.
    expect(w.runs).toEqual([{ at: 0, workspaceIds: ['c'] }]);
    w.release();
    await until(released);
    expect(w.runs).toEqual([
      { at: 0, workspaceIds: ['c'] },
      { at: released, workspaceIds: ['d', 'e'] },
    ]);
    w.stop();
  });

  it('starts pooled runs at most once per gap, so the engine statements they send stay bounded', async () => {
    const w = watcher();
    w.land('a');
    await until(100);
    w.land('b');
    await until(150);
    w.land('c');
    await until(POOLED_RUN_GAP_MS - 1);
    expect(w.runs).toEqual([{ at: 0, workspaceIds: ['a'] }]);
    await until(POOLED_RUN_GAP_MS);
    expect(w.runs).toEqual([
      { at: 0, workspaceIds: ['a'] },
      { at: POOLED_RUN_GAP_MS, workspaceIds: ['b', 'c'] },
    ]);
    w.stop();
  });
});
