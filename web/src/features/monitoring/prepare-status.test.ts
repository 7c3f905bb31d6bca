import type { AlertFiguresFragment, HealthFiguresFragment, HeartbeatFiguresFragment, SystemFiguresFragment } from '../../gql/graphql';
import {
  formatBytes,
  formatDuration,
  mergeAlerts,
  mergeHeartbeat,
  prepareAlertRows,
  prepareHealth,
  prepareHeartbeatRows,
  prepareSystem,
} from './prepare-status';

const now = new Date('2025-05-03T15:00:00Z');

describe('formatting', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [3.2 * 1024 ** 3, '3.2 GiB'],
    [250 * 1024 ** 2, '250 MiB'],
  ])('writes %d bytes as %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [45, '45 s'],
    [720, '12 min'],
    [3 * 3600 + 12 * 60, '3 h 12 min'],
    [52 * 3600, '2 d 4 h'],
  ])('writes %d seconds as %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

const health = (status: HealthFiguresFragment['status'], services: Partial<HealthFiguresFragment['services'][number]>[]): HealthFiguresFragment => ({
  __typename: 'Health',
  status,
  version: '0.1.0',
  uptimeSeconds: 3 * 3600 + 60,
  services: services.map((s) => ({ __typename: 'ServiceHealth', name: 'database', status: 'OK', latencyMs: null, detail: null, ...s })),
});

describe('prepareHealth', () => {
  it('says all is well when it is', () => {
    const view = prepareHealth(health('OK', [{ name: 'database', latencyMs: 1.4 }]));
    expect(view).toMatchObject({ tone: 'ok', headline: 'All systems OK', meta: 'v0.1.0 · up 3 h 1 min' });
    expect(view.services[0]).toMatchObject({ tone: 'ok', detail: '1 ms' });
  });

  it('names what is degraded, and why', () => {
    const view = prepareHealth(
      health('DEGRADED', [
        { name: 'database', latencyMs: 2 },
        { name: 'heartbeats', status: 'DEGRADED', detail: '1 of 4 heartbeats are stale' },
      ]),
    );
    expect(view.tone).toBe('warn');
    expect(view.headline).toBe('Degraded: heartbeats (1 of 4 heartbeats are stale)');
  });

  it('says Down when the database is', () => {
    expect(prepareHealth(health('DOWN', [{ status: 'DOWN', detail: 'connection refused' }])).headline).toBe('Down: database (connection refused)');
  });
});

describe('prepareSystem', () => {
  const system: SystemFiguresFragment = {
    __typename: 'SystemMetrics',
    at: '2025-05-03T15:00:00Z',
    cpuPercent: 92.34,
    memory: { __typename: 'MemoryUsage', usedBytes: 8 * 1024 ** 3, totalBytes: 16 * 1024 ** 3, percent: 50 },
    disk: { __typename: 'DiskUsage', usedBytes: 80 * 1024 ** 3, totalBytes: 100 * 1024 ** 3, percent: 80, readBytes: null, writeBytes: null },
    network: { __typename: 'NetworkIo', rxBytes: 1024 ** 3, txBytes: 1024 ** 2 },
    process: { __typename: 'ProcessMetrics', pid: 42, rssBytes: 120 * 1024 ** 2, heapUsedBytes: 60 * 1024 ** 2, cpuPercent: 3.2, eventLoopLagMs: 0.4, uptimeSeconds: 125 },
  };

  it('turns gauges amber from 75% and red from 90%', () => {
    expect(prepareSystem(system).gauges.map((g) => [g.label, g.value, g.tone])).toEqual([
      ['CPU', '92.3%', 'error'],
      ['Memory', '50.0%', 'ok'],
      ['Disk', '80.0%', 'warn'],
    ]);
  });

  it('says so when the OS does not tell disk I/O', () => {
    const facts = Object.fromEntries(prepareSystem(system).facts.map((f) => [f.label, f.value]));
    expect(facts['Disk I/O']).toBe('not told by the OS');
    expect(facts['Gateway memory']).toBe('120 MiB RSS · 60 MiB heap');
    expect(facts['Gateway uptime']).toBe('2 min (pid 42)');
  });
});

const heartbeat = (service: string, status: HeartbeatFiguresFragment['status'], instanceId = 'i-1'): HeartbeatFiguresFragment => ({
  __typename: 'Heartbeat',
  service,
  instanceId,
  status,
  lastBeatAt: '2025-05-03T14:58:00Z',
  intervalSeconds: 30,
});

describe('heartbeats', () => {
  it('puts a changed heartbeat in place of the old one, STALE first', () => {
    const list = [heartbeat('indexer', 'ALIVE'), heartbeat('mailer', 'ALIVE')];
    const merged = mergeHeartbeat(list, heartbeat('mailer', 'STALE'));
    expect(merged.map((h) => [h.service, h.status])).toEqual([
      ['mailer', 'STALE'],
      ['indexer', 'ALIVE'],
    ]);
  });

  it('adds a heartbeat it has not seen', () => {
    expect(mergeHeartbeat([heartbeat('a', 'ALIVE')], heartbeat('a', 'ALIVE', 'i-2'))).toHaveLength(2);
  });

  it('writes a row with its badge tone and times', () => {
    expect(prepareHeartbeatRows([heartbeat('batch', 'STOPPED')], now)[0]).toMatchObject({ tone: 'muted', lastBeat: '2 min ago', every: 'every 30 s' });
  });
});

const alert = (id: string, overrides: Partial<AlertFiguresFragment> = {}): AlertFiguresFragment => ({
  __typename: 'Alert',
  id,
  kind: 'ERROR_SPIKE',
  severity: 'WARNING',
  message: 'gpt-4o: 12 of 20 calls failed',
  workspaceId: 'w-1',
  at: '2025-05-03T14:59:00Z',
  ruleId: null,
  resolvedAt: null,
  ...overrides,
});

describe('alerts', () => {
  it('puts a new alert on top, once, within the limit', () => {
    const list = [alert('2'), alert('1')];
    expect(mergeAlerts(list, alert('3'), 2).map((a) => a.id)).toEqual(['3', '2']);
    expect(mergeAlerts(list, alert('2')).map((a) => a.id)).toEqual(['2', '1']);
  });

  it('names the kind, severity and scope in words', () => {
    expect(prepareAlertRows([alert('1', { kind: 'HEARTBEAT_STALE', severity: 'CRITICAL', workspaceId: null })], now)[0]).toMatchObject({
      kind: 'Heartbeat stale',
      severity: 'Critical',
      tone: 'error',
      scope: 'Platform',
      when: '1 min ago',
    });
  });
});
