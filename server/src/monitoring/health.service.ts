import type { Db } from '../db/db';
import type { AppPubSub } from '../pubsub/pubsub';
import type { HeartbeatService } from './heartbeats.service';
import type { DiskSpace } from './system-metrics';

export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

export interface ServiceHealthValues {
  name: string;
  status: HealthStatus;
  latencyMs: number | null;
  detail: string | null;
}

export interface HealthValues {
  status: HealthStatus;
  version: string;
  uptimeSeconds: number;
  services: ServiceHealthValues[];
}

/** What a check that answered found: OK unless it says DEGRADED, with a detail. */
export interface CheckFinding {
  status: 'OK' | 'DEGRADED';
  detail?: string | null;
}

/** A dependency check: the database is required (DOWN without it); others only degrade. Throwing means it failed. */
export interface HealthCheck {
  name: string;
  required: boolean;
  check(): Promise<void | CheckFinding>;
}

const CHECK_TIMEOUT_MS = 2000;
const PROBE_TIMEOUT_MS = 1500;

/** The database's round trip time; the gateway is DOWN without it. */
export function databaseCheck(db: Db): HealthCheck {
  return { name: 'database', required: true, check: async () => void (await db.query('SELECT 1')) };
}

/** Publishes a probe and waits to receive it: the PubSub delivers, whichever kind it is. */
export function pubsubCheck(pubsub: AppPubSub): HealthCheck {
  return {
    name: 'pubsub',
    required: false,
    check: async () => {
      const nonce = `${Date.now()}-${Math.random()}`;
      const iterator = pubsub.subscribe('HEALTH_PROBE')[Symbol.asyncIterator]();
      let timer: NodeJS.Timeout | undefined;
      try {
        const received = (async () => {
          for (;;) {
            const next = await iterator.next();
            if (next.done) throw new Error('the probe subscription ended');
            if (next.value.nonce === nonce) return;
          }
        })();
        // A subscription over a network may start a moment after subscribe() returns: publish until it arrives.
        const publish = (): void => pubsub.publish('HEALTH_PROBE', { nonce });
        publish();
        timer = setInterval(publish, 100);
        let giveUp: NodeJS.Timeout | undefined;
        await Promise.race([
          received,
          new Promise<never>((_, reject) => (giveUp = setTimeout(() => reject(new Error('the probe did not come back')), PROBE_TIMEOUT_MS))),
        ]).finally(() => clearTimeout(giveUp));
      } finally {
        clearInterval(timer);
        await iterator.return?.();
      }
    },
  };
}

/** DEGRADED while any heartbeat is STALE. Names no worker: /health is open to everyone. */
export function heartbeatsCheck(heartbeats: HeartbeatService): HealthCheck {
  return {
    name: 'heartbeats',
    required: false,
    check: async () => {
      const { total, stale } = await heartbeats.counts();
      return stale > 0
        ? { status: 'DEGRADED', detail: `${stale} of ${total} heartbeats are stale` }
        : { status: 'OK', detail: `${total} heartbeats alive` };
    },
  };
}

/** Below this fraction of free space on the data directory's file system, health is DEGRADED. */
export const MIN_FREE_DISK_FRACTION = 0.05;

/** DEGRADED when less than 5% of the data directory's file system is free. */
export function diskCheck(readSpace: () => Promise<DiskSpace>): HealthCheck {
  return {
    name: 'disk',
    required: false,
    check: async () => {
      const space = await readSpace();
      const free = `${(space.freeFraction * 100).toFixed(1)}% free`;
      return space.freeFraction < MIN_FREE_DISK_FRACTION
        ? { status: 'DEGRADED', detail: `${free}, below the ${MIN_FREE_DISK_FRACTION * 100}% minimum` }
        : { status: 'OK', detail: free };
    },
  };
}

async function run(check: HealthCheck): Promise<ServiceHealthValues> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const finding = await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ]);
    return { name: check.name, status: finding?.status ?? 'OK', latencyMs: performance.now() - started, detail: finding?.detail ?? null };
  } catch (error) {
    return {
      name: check.name,
      status: check.required ? 'DOWN' : 'DEGRADED',
      latencyMs: null,
      detail: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check at once; DOWN when a required one failed, DEGRADED when any other is not OK. */
export async function checkHealth(checks: HealthCheck[], version: string, startedAt: Date, now: Date): Promise<HealthValues> {
  const services = await Promise.all(checks.map(run));
  const status: HealthStatus = services.some((s) => s.status === 'DOWN')
    ? 'DOWN'
    : services.some((s) => s.status !== 'OK')
      ? 'DEGRADED'
      : 'OK';
  return { status, version, uptimeSeconds: (now.getTime() - startedAt.getTime()) / 1000, services };
}
