import { MAIN_WORKSPACE_ID } from '../bootstrap';
import type { Services } from '../graphql/context';
import { DEFAULT_DEMO_CALLS, DEFAULT_DEMO_DAYS, DEFAULT_DEMO_SEED, presentDemoWorkspaces, seedDemoData } from './demo.seed';
import { startDemoWorkers } from './demo-workers';
import { insertApiKey } from '../auth/auth.service';
import type { LlmCallInputValues } from '../ingest/validate-call';
import type { DemoWorkspace } from './demo.catalogue';
import { startTrafficSimulator, type DeliverCalls, type TrafficSimulator } from './traffic-simulator';

/** The label of the INGEST key each demo workspace's simulated agents send with. */
export const DEMO_AGENTS_LABEL = 'demo agents';

const TRACK = `mutation ($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { rejected { index message } } }`;

/**
 * A fresh INGEST key for each demo workspace (the last start's are revoked: the keys live only in
 * this process), and a sender that posts each tick's calls to `gatewayUrl` with its workspace's key.
 */
async function sendWithIngestKeys(services: Services, workspaces: DemoWorkspace[], gatewayUrl: string): Promise<DeliverCalls> {
  const keys = new Map<string, string>();
  for (const workspace of workspaces) {
    await services.platform.query(`UPDATE api_keys SET revoked_at = $3 WHERE workspace_id = $1 AND label = $2 AND revoked_at IS NULL`, [
      workspace.id,
      DEMO_AGENTS_LABEL,
      services.now(),
    ]);
    keys.set(workspace.id, (await insertApiKey(services.platform, { workspaceId: workspace.id, role: 'INGEST', label: DEMO_AGENTS_LABEL })).key);
  }
  return async (workspace: DemoWorkspace, calls: LlmCallInputValues[]) => {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.get(workspace.id)}` },
      body: JSON.stringify({ query: TRACK, variables: { inputs: calls } }),
    });
    const body = (await response.json()) as { errors?: unknown[]; data?: { trackLlmCalls: { rejected: unknown[] } } };
    if (body.errors || !response.ok) throw new Error(`the gateway refused the demo calls (${response.status}): ${JSON.stringify(body.errors)}`);
    if (body.data!.trackLlmCalls.rejected.length > 0) services.logger.warn({ rejected: body.data!.trackLlmCalls.rejected }, 'demo traffic simulator: calls rejected');
  };
}

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
  /**
   * The gateway's /graphql: the simulated agents then send their calls there, each workspace's
   * with an INGEST key of its own, as real agents would. @default stored in-process
   */
  gatewayUrl?: string;
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
    deliver: options.gatewayUrl ? await sendWithIngestKeys(services, workspaces, options.gatewayUrl) : undefined,
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
