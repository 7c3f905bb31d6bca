import type { DataSource } from 'typeorm';
import { publishStored } from '../ingest/ingest.resolver';
import { ingestCalls } from '../ingest/ingest.service';
import type { LlmCallInputValues } from '../ingest/validate-call';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import type { DemoWorkspace } from './demo.catalogue';
import { activitySize, demoCall, DEMO_WORKFLOWS, demoAttribution } from './demo-calls';
import { createRandom, deriveSeed, type Random } from './random';

export interface TrafficSimulatorOptions {
  dataSource: DataSource;
  pubsub: AppPubSub;
  logger: Logger;
  now: () => Date;
  /** Where the calls go, each as often as its share. */
  workspaces: DemoWorkspace[];
  seed: number;
  /** The day of the catalogue's model mixes the live calls follow (the demo data set's last day). */
  day: number;
  /** Shortest and longest pause between two ticks. @default [1000, 2000] */
  intervalMs?: readonly [number, number];
  /**
   * How a tick's calls reach the gateway: `npm start` sends them over HTTP with each workspace's
   * INGEST key (see demo.ts). @default stored in-process and published, beneath the abuse limits
   */
  deliver?: DeliverCalls;
}

/** Hands one workspace's calls to the gateway. */
export type DeliverCalls = (workspace: DemoWorkspace, calls: LlmCallInputValues[], at: Date) => Promise<void>;

export interface TrafficSimulator {
  /** No tick starts after this; a tick already running finishes. */
  stop(): void;
  /** Resolves once no tick is running. */
  idle(): Promise<void>;
}

const MAX_CALLS_PER_TICK = 5;

/** A few calls, made just now by one workspace's agents. */
export function liveCalls(
  random: Random,
  workspace: DemoWorkspace,
  now: Date,
  day: number,
  nextId: (kind: 'call' | 'run') => string,
): LlmCallInputValues[] {
  const calls: LlmCallInputValues[] = [];
  let room = random.int(1, MAX_CALLS_PER_TICK);
  const end = now.getTime();
  while (room > 0) {
    const agent = random.weighted(workspace.agents.map((a) => [a, a.weight] as const));
    const requestType = random.weighted(agent.requestTypes);
    const size = activitySize(random, requestType, room);
    const executionId = requestType === 'workflow' ? nextId('run') : null;
    const workflow = executionId ? random.weighted(DEMO_WORKFLOWS) : null;
    const attribution = demoAttribution(random, workspace);
    for (let step = 0; step < size; step++) {
      const at = end - random.int(0, 1500);
      calls.push({ ...demoCall(random, { workspace, agent, requestType, day, end }, at, nextId('call'), executionId), workflow, ...attribution });
    }
    room -= size;
  }
  return calls;
}

/**
 * Adds a few calls (1 to 5) to the demo workspaces every 1 to 2 seconds (jittered) and publishes
 * them, so live views move. It never throws: a failed tick is logged and the next one comes.
 * Its timer does not keep the process alive.
 */
export function startTrafficSimulator(options: TrafficSimulatorOptions): TrafficSimulator {
  const { dataSource, pubsub, logger, now, workspaces, day } = options;
  const deliver: DeliverCalls =
    options.deliver ??
    (async (workspace, calls, at) => {
      const outcome = await ingestCalls(dataSource, workspace.id, calls, at);
      if (outcome.rejected.length > 0) logger.warn({ rejected: outcome.rejected }, 'demo traffic simulator: calls rejected');
      await publishStored(pubsub, outcome);
    });
  const [shortest, longest] = options.intervalMs ?? [1000, 2000];
  const startedAt = now().getTime();
  const random = createRandom(deriveSeed(options.seed, `live-${startedAt}`));
  const runTag = startedAt.toString(36);
  const counters = { call: 0, run: 0 };
  const nextId = (kind: 'call' | 'run'): string => `live-${runTag}-${kind === 'run' ? 'run-' : ''}${++counters[kind]}`;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async (): Promise<void> => {
    try {
      const workspace = random.weighted(workspaces.map((w) => [w, w.share] as const));
      const at = now();
      const calls = liveCalls(random, workspace, at, day, nextId);
      await deliver(workspace, calls, at);
    } catch (error) {
      // Shutting down closes the database under a running tick; that is no failure.
      if (stopped) logger.debug({ err: error }, 'demo traffic simulator: tick cut short by stop');
      else logger.error({ err: error }, 'demo traffic simulator: could not store calls');
    }
  };

  const schedule = (): void => {
    if (stopped || workspaces.length === 0) return;
    timer = setTimeout(() => {
      running = tick().then(schedule);
    }, Math.round(random.between(shortest, longest)));
    timer.unref();
  };
  schedule();

  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    idle: () => running,
  };
}
