import { staleAfterMs } from '../monitoring/heartbeats.service';
import type { Monitoring } from '../monitoring/monitoring';

export interface DemoWorker {
  service: string;
  intervalSeconds: number;
  /** Now and then misses its beats long enough to turn STALE, then comes back. */
  stalls: boolean;
}

/** The background workers of the platform the demo stands for, shown in Monitoring by their heartbeats. */
export const DEMO_WORKERS: readonly DemoWorker[] = [
  { service: 'recipe-scheduler', intervalSeconds: 30, stalls: false },
  { service: 'workspace-worker', intervalSeconds: 15, stalls: false },
  { service: 'channel-manager', intervalSeconds: 20, stalls: true },
];

/** A stalling worker beats for this many stale periods, then misses its beats for {@link STALL_PERIODS}. */
const BEATING_PERIODS = 2.5;
/** Long enough past the stale threshold for the stale check (every half a minute at most) to see it. */
const STALL_PERIODS = 1.5;

/**
 * Whether `worker` beats `elapsedMs` after the demo started, when a heartbeat turns STALE after
 * `minimumStaleMs` without a beat (HEARTBEAT_STALE_AFTER_MS): a stalling worker is quiet for the
 * last {@link STALL_PERIODS} of every cycle, so its heartbeat is STALE for a while each cycle.
 */
export function demoWorkerBeats(worker: DemoWorker, elapsedMs: number, minimumStaleMs: number): boolean {
  if (!worker.stalls) return true;
  const stale = staleAfterMs(worker.intervalSeconds, minimumStaleMs);
  const cycle = (BEATING_PERIODS + STALL_PERIODS) * stale;
  return elapsedMs % cycle < BEATING_PERIODS * stale;
}

/** How often the workers are looked at; each beats on its own interval. */
const TICK_MS = 1000;

/** Runs the demo workers' heartbeats until stopped; monitoring marks them STOPPED when the gateway stops. */
export function startDemoWorkers(monitoring: Monitoring, minimumStaleMs: number): { stop(): void } {
  const started = performance.now();
  const beats = DEMO_WORKERS.map((worker) => ({ worker, beat: monitoring.serviceBeat(worker.service, worker.intervalSeconds, { demo: true }) }));
  const tick = (): void => {
    const elapsed = performance.now() - started;
    for (const { worker, beat } of beats) if (demoWorkerBeats(worker, elapsed, minimumStaleMs)) beat.tick();
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
