import { totalmem } from 'node:os';
import { Client as PgClient } from 'pg';
import { checkHealth, diskCheck, type HealthCheck } from '../src/monitoring/health.service';
import { startMonitoringServer, type MonitoringServer } from './support/monitoring-server';

const space = (freeFraction: number) => async () => ({ totalBytes: 100e9, usedBytes: (1 - freeFraction) * 100e9, freeFraction });
const failing = (name: string, required: boolean): HealthCheck => ({ name, required, check: () => Promise.reject(new Error(`${name} is gone`)) });

describe('health arithmetic', () => {
  const started = new Date('2026-03-02T10:00:00Z');
  const now = new Date('2026-03-02T10:01:30Z');

  it('is DEGRADED with less than 5% of the disk free', async () => {
    const health = await checkHealth([diskCheck(space(0.04))], '1.0.0', started, now);
    expect(health.status).toBe('DEGRADED');
    expect(health.services[0]).toMatchObject({ name: 'disk', status: 'DEGRADED', detail: '4.0% free, below the 5% minimum' });
  });

  it('is OK with 5% or more of the disk free', async () => {
    const health = await checkHealth([diskCheck(space(0.05))], '1.0.0', started, now);
    expect(health).toMatchObject({ status: 'OK', version: '1.0.0', uptimeSeconds: 90 });
    expect(health.services[0].detail).toBe('5.0% free');
  });

  it('is DOWN when a required check fails, whatever the others say', async () => {
    const health = await checkHealth([failing('database', true), diskCheck(space(0.5))], '1.0.0', started, now);
    expect(health.status).toBe('DOWN');
    expect(health.services[0]).toMatchObject({ status: 'DOWN', detail: 'database is gone', latencyMs: null });
  });

  it('is only DEGRADED when a check that is not required fails', async () => {
    const health = await checkHealth([failing('pubsub', false)], '1.0.0', started, now);
    expect(health.status).toBe('DEGRADED');
  });
});

describe('health of a running gateway', () => {
  let clock = Date.now();
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer({ now: () => new Date(clock) });
  });
  afterAll(() => server.dispose());

  it('reports the database round trip, pubsub, heartbeats and disk', async () => {
    const response = await fetch(`${server.origin}/health`);
    const health = (await response.json()) as { status: string; version: string; services: { name: string; status: string; latencyMs: number | null }[] };
    expect(response.status).toBe(200);
    expect(health.version).toBe(server.gateway.services.version);
    expect(health.services.map((s) => s.name)).toEqual(['database', 'pubsub', 'heartbeats', 'disk']);
    expect(health.services.find((s) => s.name === 'database')).toMatchObject({ status: 'OK', latencyMs: expect.any(Number) });
    expect(health.services.find((s) => s.name === 'pubsub')!.status).toBe('OK');
  });

  it('is DEGRADED, still 200, while a heartbeat is STALE', async () => {
    await server.gql(`mutation { heartbeat(service: "ledger", instanceId: "l-1", intervalSeconds: 10) { status } }`);
    clock += 10 * 60_000;
    await server.gateway.services.monitoring.checkHeartbeats();
    const response = await fetch(`${server.origin}/health`);
    const health = (await response.json()) as { status: string; services: { name: string; status: string; detail: string }[] };
    expect(response.status).toBe(200);
    expect(health.status).toBe('DEGRADED');
    const heartbeats = health.services.find((s) => s.name === 'heartbeats')!;
    expect(heartbeats.status).toBe('DEGRADED');
    expect(heartbeats.detail).toMatch(/^\d+ of \d+ heartbeats are stale$/);
    expect(heartbeats.detail).not.toContain('ledger');
  });

  it('answers the health query without a key', async () => {
    const answer = await server.gql('{ health { status services { name status } } }', {}, null);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.health.services).toHaveLength(4);
  });
});

describe('systemMetrics', () => {
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer();
  });
  afterAll(() => server.dispose());

  const QUERY = `{ systemMetrics { at cpuPercent memory { usedBytes totalBytes percent } disk { usedBytes totalBytes percent readBytes writeBytes }
    network { rxBytes txBytes } process { pid rssBytes heapUsedBytes cpuPercent eventLoopLagMs uptimeSeconds } } }`;

  it('gives the host and the gateway process from the background sample', async () => {
    const { systemMetrics: m } = (await server.gql(QUERY)).data!;
    expect(m.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(m.cpuPercent).toBeLessThanOrEqual(100);
    expect(m.memory.totalBytes).toBe(totalmem());
    expect(m.memory.percent).toBeCloseTo((m.memory.usedBytes / m.memory.totalBytes) * 100, 6);
    expect(m.disk.totalBytes).toBeGreaterThan(0);
    expect(m.disk.usedBytes).toBeLessThanOrEqual(m.disk.totalBytes);
    expect(m.process.pid).toBe(process.pid);
    expect(m.process.rssBytes).toBeGreaterThan(m.process.heapUsedBytes);
    expect(m.process.eventLoopLagMs).toBeGreaterThanOrEqual(0);
  });

  it('is for admin keys only', async () => {
    const { key } = await server.workspaceWithKey('curious member');
    const answer = await server.gql(QUERY, {}, key);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('/health when the database is gone', () => {
  it('answers 503 with the database DOWN', async () => {
    const server = await startMonitoringServer();
    try {
      expect((await fetch(`${server.origin}/health`)).status).toBe(200);
      const name = new URL(server.db.url).pathname.slice(1);
      const admin = new PgClient({ connectionString: process.env.TALLY_TEST_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();

      const response = await fetch(`${server.origin}/health`);
      const health = (await response.json()) as { status: string; services: { name: string; status: string }[] };
      expect(response.status).toBe(503);
      expect(health.status).toBe('DOWN');
      expect(health.services.find((s) => s.name === 'database')!.status).toBe('DOWN');
    } finally {
      await server.dispose();
    }
  });
});
