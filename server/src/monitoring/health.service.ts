import type { Db } from '../db/db';

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

/** A dependency check: the database is required (DOWN without it); others only degrade. */
export interface HealthCheck {
  name: string;
  required: boolean;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

export function databaseCheck(db: Db): HealthCheck {
  return { name: 'database', required: true, check: async () => void (await db.query('SELECT 1')) };
}

async function run(check: HealthCheck): Promise<ServiceHealthValues> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ]);
    return { name: check.name, status: 'OK', latencyMs: performance.now() - started, detail: null };
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

export async function checkHealth(checks: HealthCheck[], version: string, startedAt: Date, now: Date): Promise<HealthValues> {
  const services = await Promise.all(checks.map(run));
  const status: HealthStatus = services.some((s) => s.status === 'DOWN')
    ? 'DOWN'
    : services.some((s) => s.status !== 'OK')
      ? 'DEGRADED'
      : 'OK';
  return { status, version, uptimeSeconds: (now.getTime() - startedAt.getTime()) / 1000, services };
}
