import { MAIN_WORKSPACE_ID } from '../bootstrap';
import type { Services } from '../graphql/context';
import { DEFAULT_DEMO_CALLS, DEFAULT_DEMO_DAYS, DEFAULT_DEMO_SEED, presentDemoWorkspaces, seedDemoData } from './demo.seed';
import { startDemoWorkers } from './demo-workers';
import { startTrafficSimulator, type TrafficSimulator } from './traffic-simulator';

export interface DemoHandle {
  /** Stops the simulator; resolves once its tick in flight has ended. */
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** @default DEFAULT_DEMO_SEED */
  seed?: number;
  /** Calls to seed into an empty database. @default DEFAULT_DEMO_CALLS */
  calls?: number;
  /** Whether the traffic simulator adds live calls; off leaves the seeded data still. @default true */
  traffic?: boolean;
  /** Pause between two simulator ticks. @default [1000, 2000] */
  intervalMs?: readonly [number, number];
  /** Receives the simulator, for callers that wait for its last tick. */
  onSimulator?: (simulator: TrafficSimulator) => void;
}

/**
 * Seeds demo data into an empty database (a database with calls keeps them and gets none),
 * then starts the traffic simulator in the demo workspaces and the heartbeats of the demo's
 * background workers (one of which turns STALE now and then). A database whose calls are not
 * demo data has no demo workspaces, so the simulator stays off there.
 */
export async function startDemo(services: Services, say: (line: string) => void, options: DemoOptions = {}): Promise<DemoHandle> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const outcome = await seedDemoData(services.dataSource, { now: services.now(), seed, calls: options.calls ?? DEFAULT_DEMO_CALLS, say });
  if (!outcome.seeded) say('Demo data: the database already holds calls, so it keeps them and gets no new demo data');
  if (options.traffic === false) {
    say('Demo traffic simulator is off (TALLY_DEMO_TRAFFIC=off)');
    return { stop: async () => undefined };
  }
  const workspaces = await presentDemoWorkspaces(services.platform);
  if (!workspaces.some((w) => w.id !== MAIN_WORKSPACE_ID)) {
    say('Demo traffic simulator is off: the demo workspaces are not in this database');
    return { stop: async () => undefined };
  }
  const simulator = startTrafficSimulator({
    dataSource: services.dataSource,
    pubsub: services.pubsub,
    logger: services.logger,
    now: services.now,
    workspaces,
    seed,
    day: DEFAULT_DEMO_DAYS,
    intervalMs: options.intervalMs,
  });
  options.onSimulator?.(simulator);
  const workers = startDemoWorkers(services.monitoring, services.config.heartbeatStaleAfterMs);
  return {
    stop: async () => {
      workers.stop();
      simulator.stop();
      await simulator.idle();
    },
  };
}
