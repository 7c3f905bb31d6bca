import { formatAgo, formatLatency } from '../../format';
import type { AlertFiguresFragment, HealthFiguresFragment, HeartbeatFiguresFragment, SystemFiguresFragment } from '../../gql/graphql';

/** How a status badge looks: good, bad, a warning, or neutral. */
export type Tone = 'ok' | 'error' | 'warn' | 'muted';

// ---------------------------------------------------------------- health

/** The overall health in one line, and each dependency. */
export interface HealthView {
  tone: Tone;
  headline: string;
  /** "v0.1.0 · up 3 h 12 min". */
  meta: string;
  services: { name: string; tone: Tone; status: string; detail: string }[];
}

const HEALTH_TONE: Record<HealthFiguresFragment['status'], Tone> = { OK: 'ok', DEGRADED: 'warn', DOWN: 'error' };

/** "45 s", "12 min", "3 h 12 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function prepareHealth(health: HealthFiguresFragment): HealthView {
  const notOk = health.services.filter((s) => s.status !== 'OK');
  const headline =
    health.status === 'OK'
      ? 'All systems OK'
      : `${health.status === 'DOWN' ? 'Down' : 'Degraded'}: ${notOk.map((s) => (s.detail ? `${s.name} (${s.detail})` : s.name)).join(', ')}`;
  return {
    tone: HEALTH_TONE[health.status],
    headline,
    meta: `v${health.version} · up ${formatDuration(health.uptimeSeconds)}`,
    services: health.services.map((s) => ({
      name: s.name,
      tone: HEALTH_TONE[s.status],
      status: s.status,
      detail: [s.latencyMs !== null ? formatLatency(s.latencyMs) : null, s.detail].filter(Boolean).join(' · '),
    })),
  };
}

// ---------------------------------------------------------------- system

/** Bytes in binary units: "512 B", "1.5 KiB", "3.2 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(value)) : value < 9.95 ? value.toFixed(1) : String(Math.round(value));
  return `${bytes < 0 ? '-' : ''}${text} ${units[unit]}`;
}

/** One gauge of the system panel. */
export interface Gauge {
  label: string;
  /** 0..100, for the bar. */
  percent: number;
  value: string;
  detail: string;
  tone: Tone;
}

/** Above these a gauge turns to a warning, then to an error. */
const WARN_AT = 75;
const ERROR_AT = 90;
const gaugeTone = (percent: number): Tone => (percent >= ERROR_AT ? 'error' : percent >= WARN_AT ? 'warn' : 'ok');
const percentText = (percent: number): string => `${percent.toFixed(1)}%`;

export interface SystemView {
  gauges: Gauge[];
  /** Label and value pairs about the gateway process and the host's I/O. */
  facts: { label: string; value: string }[];
}

export function prepareSystem(system: SystemFiguresFragment): SystemView {
  const { memory, disk, network, process } = system;
  const clamp = (n: number) => Math.min(100, Math.max(0, n));
  return {
    gauges: [
      { label: 'CPU', percent: clamp(system.cpuPercent), value: percentText(system.cpuPercent), detail: 'all cores, last sampling interval', tone: gaugeTone(system.cpuPercent) },
      {
        label: 'Memory',
        percent: clamp(memory.percent),
        value: percentText(memory.percent),
        detail: `${formatBytes(memory.usedBytes)} of ${formatBytes(memory.totalBytes)}`,
        tone: gaugeTone(memory.percent),
      },
      {
        label: 'Disk',
        percent: clamp(disk.percent),
        value: percentText(disk.percent),
        detail: `${formatBytes(disk.usedBytes)} of ${formatBytes(disk.totalBytes)} (data directory)`,
        tone: gaugeTone(disk.percent),
      },
    ],
    facts: [
      { label: 'Gateway CPU', value: percentText(process.cpuPercent) },
      { label: 'Gateway memory', value: `${formatBytes(process.rssBytes)} RSS · ${formatBytes(process.heapUsedBytes)} heap` },
      { label: 'Event-loop lag', value: formatLatency(process.eventLoopLagMs) },
      { label: 'Gateway uptime', value: `${formatDuration(process.uptimeSeconds)} (pid ${process.pid})` },
      { label: 'Disk I/O', value: disk.readBytes === null || disk.writeBytes === null ? 'not told by the OS' : `${formatBytes(disk.readBytes)} read · ${formatBytes(disk.writeBytes)} written` },
      { label: 'Network', value: `${formatBytes(network.rxBytes)} in · ${formatBytes(network.txBytes)} out` },
    ],
  };
}

// ---------------------------------------------------------------- heartbeats

const HEARTBEAT_ORDER: Record<HeartbeatFiguresFragment['status'], number> = { STALE: 0, ALIVE: 1, STOPPED: 2 };
const HEARTBEAT_TONE: Record<HeartbeatFiguresFragment['status'], Tone> = { ALIVE: 'ok', STALE: 'error', STOPPED: 'muted' };

/** The list with a changed heartbeat put in (replacing the same service and instance), STALE first. */
export function mergeHeartbeat(list: readonly HeartbeatFiguresFragment[], changed: HeartbeatFiguresFragment): HeartbeatFiguresFragment[] {
  const same = (h: HeartbeatFiguresFragment) => h.service === changed.service && h.instanceId === changed.instanceId;
  return sortHeartbeats([...list.filter((h) => !same(h)), changed]);
}

export function sortHeartbeats(list: readonly HeartbeatFiguresFragment[]): HeartbeatFiguresFragment[] {
  return [...list].sort(
    (a, b) => HEARTBEAT_ORDER[a.status] - HEARTBEAT_ORDER[b.status] || a.service.localeCompare(b.service) || a.instanceId.localeCompare(b.instanceId),
  );
}

export interface HeartbeatRow {
  id: string;
  service: string;
  instanceId: string;
  status: HeartbeatFiguresFragment['status'];
  tone: Tone;
  lastBeat: string;
  every: string;
}

export function prepareHeartbeatRows(list: readonly HeartbeatFiguresFragment[], now: Date): HeartbeatRow[] {
  return sortHeartbeats(list).map((h) => ({
    id: `${h.service}\u0000${h.instanceId}`,
    service: h.service,
    instanceId: h.instanceId,
    status: h.status,
    tone: HEARTBEAT_TONE[h.status],
    lastBeat: formatAgo(h.lastBeatAt, now),
    every: `every ${formatDuration(h.intervalSeconds)}`,
  }));
}

// ---------------------------------------------------------------- alerts

/** Alerts the stream keeps on screen. */
export const ALERT_STREAM_LIMIT = 50;

/** The stream with a new alert on top, each alert once, at most `limit` long. */
export function mergeAlerts(list: readonly AlertFiguresFragment[], alert: AlertFiguresFragment, limit = ALERT_STREAM_LIMIT): AlertFiguresFragment[] {
  return [alert, ...list.filter((a) => a.id !== alert.id)].slice(0, limit);
}

const KIND_LABEL: Record<AlertFiguresFragment['kind'], string> = {
  HEARTBEAT_STALE: 'Heartbeat stale',
  ERROR_SPIKE: 'Error spike',
  COST_ANOMALY: 'Cost anomaly',
  BUDGET_THRESHOLD: 'Budget threshold',
  RULE: 'Alert rule',
};
const SEVERITY_TONE: Record<AlertFiguresFragment['severity'], Tone> = { INFO: 'muted', WARNING: 'warn', CRITICAL: 'error' };

export interface AlertRow {
  id: string;
  kind: string;
  severity: string;
  tone: Tone;
  message: string;
  /** "Platform" for alerts about the gateway itself, "Workspace" otherwise. */
  scope: string;
  when: string;
  at: string;
}

export function prepareAlertRows(list: readonly AlertFiguresFragment[], now: Date): AlertRow[] {
  return list.map((a) => ({
    id: a.id,
    kind: KIND_LABEL[a.kind],
    severity: a.severity.charAt(0) + a.severity.slice(1).toLowerCase(),
    tone: SEVERITY_TONE[a.severity],
    message: a.message,
    scope: a.workspaceId === null ? 'Platform' : 'Workspace',
    when: formatAgo(a.at, now),
    at: a.at,
  }));
}
