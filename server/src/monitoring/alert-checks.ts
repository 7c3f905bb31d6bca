import type { PlatformDb } from '../db/platform-db';
import type { Db } from '../db/db';
import type { Logger } from '../logger';
import type { MetricsQuery, TimeRange } from '../metrics/metrics.model';
import { runMetrics } from '../metrics/metrics.service';
import type { AppPubSub } from '../pubsub/pubsub';
import type { AlertRecord } from './alert.record';
import { insertAlert, publishAlerts, type AlertInput } from './alerts.service';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The recent window an error spike is looked for in. */
export const ERROR_SPIKE_WINDOW_MS = 15 * MINUTE_MS;
/** The window whose error rate a spike is compared with: the 24 hours before the recent window. */
export const ERROR_SPIKE_BASELINE_MS = DAY_MS;
export const ERROR_SPIKE_MIN_ERRORS = 10;
export const ERROR_SPIKE_FACTOR = 3;
export const COST_ANOMALY_FACTOR = 2;
/** Held (per transaction) by the one gateway instance that runs these checks. */
export const ALERT_CHECK_LOCK = 5_764_201_902;

export interface ModelErrorCounts {
  workspaceId: string;
  modelId: string;
  requests: number;
  errors: number;
}

export interface ErrorSpike {
  workspaceId: string;
  modelId: string;
  recent: ModelErrorCounts;
  recentRate: number;
  baselineRate: number;
}

const rate = (c: { requests: number; errors: number } | undefined): number => (c && c.requests > 0 ? c.errors / c.requests : 0);

/**
 * Models whose error rate in the recent window is above 3 times their rate in the baseline
 * window, with at least 10 errors. The baseline ends where the recent window starts, so a
 * spike does not dilute the rate it is compared with; a model with no baseline traffic has a
 * baseline rate of 0.
 */
export function findErrorSpikes(recent: ModelErrorCounts[], baseline: ModelErrorCounts[]): ErrorSpike[] {
  const baselineByKey = new Map(baseline.map((c) => [`${c.workspaceId}\u0000${c.modelId}`, c]));
  const spikes: ErrorSpike[] = [];
  for (const counts of recent) {
    if (counts.errors < ERROR_SPIKE_MIN_ERRORS) continue;
    const recentRate = rate(counts);
    const baselineRate = rate(baselineByKey.get(`${counts.workspaceId}\u0000${counts.modelId}`));
    if (recentRate > ERROR_SPIKE_FACTOR * baselineRate) {
      spikes.push({ workspaceId: counts.workspaceId, modelId: counts.modelId, recent: counts, recentRate, baselineRate });
    }
  }
  return spikes;
}

export interface WorkspaceCost {
  workspaceId: string;
  cost: number;
}

export interface CostAnomaly {
  workspaceId: string;
  lastDayCost: number;
  dailyAverage: number;
}

/**
 * Workspaces whose cost in the last 24 hours is above twice their daily average over the 7
 * days before. A workspace with no cost in those 7 days has no average to compare with and
 * is left out (every new workspace would be an anomaly otherwise).
 */
export function findCostAnomalies(lastDay: WorkspaceCost[], previousWeek: WorkspaceCost[]): CostAnomaly[] {
  const weekByWorkspace = new Map(previousWeek.map((c) => [c.workspaceId, c.cost]));
  const anomalies: CostAnomaly[] = [];
  for (const { workspaceId, cost } of lastDay) {
    const dailyAverage = (weekByWorkspace.get(workspaceId) ?? 0) / 7;
    if (dailyAverage > 0 && cost > COST_ANOMALY_FACTOR * dailyAverage) anomalies.push({ workspaceId, lastDayCost: cost, dailyAverage });
  }
  return anomalies;
}

function metricsQuery(range: TimeRange, metrics: MetricsQuery['metrics'], groupBy: MetricsQuery['groupBy']): MetricsQuery {
  return { range, timezone: 'UTC', metrics, groupBy };
}

async function errorCounts(db: Db, range: TimeRange): Promise<ModelErrorCounts[]> {
  const { rows } = await runMetrics(db, { kind: 'all' }, metricsQuery(range, ['REQUESTS', 'ERROR_COUNT'], ['WORKSPACE', 'MODEL']));
  return rows.map((row) => ({
    workspaceId: row.dimensions[0].value,
    modelId: row.dimensions[1].value,
    requests: row.values.REQUESTS,
    errors: row.values.ERROR_COUNT,
  }));
}

async function workspaceCosts(db: Db, range: TimeRange): Promise<WorkspaceCost[]> {
  const { rows } = await runMetrics(db, { kind: 'all' }, metricsQuery(range, ['TOTAL_COST'], ['WORKSPACE']));
  return rows.map((row) => ({ workspaceId: row.dimensions[0].value, cost: row.values.TOTAL_COST }));
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(1)}%`;
const dollars = (amount: number): string => `$${amount.toFixed(2)}`;

/** The ERROR_SPIKE and COST_ANOMALY alerts due at `now`, computed through the metrics engine. */
export async function dueAlerts(db: Db, now: Date): Promise<AlertInput[]> {
  const t = now.getTime();
  const windowStart = new Date(t - ERROR_SPIKE_WINDOW_MS);
  // One after another: inside a transaction they share one connection.
  const recent = await errorCounts(db, { from: windowStart, to: now });
  const baseline = await errorCounts(db, { from: new Date(windowStart.getTime() - ERROR_SPIKE_BASELINE_MS), to: windowStart });
  const lastDay = await workspaceCosts(db, { from: new Date(t - DAY_MS), to: now });
  const previousWeek = await workspaceCosts(db, { from: new Date(t - 8 * DAY_MS), to: new Date(t - DAY_MS) });
  const hour = new Date(Math.floor(t / HOUR_MS) * HOUR_MS).toISOString();
  const day = now.toISOString().slice(0, 10);
  const spikes: AlertInput[] = findErrorSpikes(recent, baseline).map((s) => ({
    kind: 'ERROR_SPIKE',
    severity: 'WARNING',
    workspaceId: s.workspaceId,
    at: now,
    message:
      `${s.modelId}: ${s.recent.errors} of ${s.recent.requests} calls failed in the last 15 minutes (${percent(s.recentRate)}), ` +
      `against ${percent(s.baselineRate)} over the 24 hours before`,
    // Once an hour per model: a spike that goes on is not news every minute.
    dedupeKey: `error-spike:${s.modelId}:${hour}`,
    details: { modelId: s.modelId, errors: s.recent.errors, requests: s.recent.requests, recentRate: s.recentRate, baselineRate: s.baselineRate },
  }));
  const anomalies: AlertInput[] = findCostAnomalies(lastDay, previousWeek).map((a) => ({
    kind: 'COST_ANOMALY',
    severity: 'WARNING',
    workspaceId: a.workspaceId,
    at: now,
    message:
      `Cost in the last 24 hours is ${dollars(a.lastDayCost)}, ${(a.lastDayCost / a.dailyAverage).toFixed(1)} times ` +
      `the daily average of the 7 days before (${dollars(a.dailyAverage)})`,
    dedupeKey: `cost-anomaly:${day}`,
    details: { lastDayCost: a.lastDayCost, dailyAverage: a.dailyAverage },
  }));
  return [...spikes, ...anomalies];
}

export interface AlertCheckOutcome {
  /** False when another gateway instance held the lock, so this one did nothing. */
  checked: boolean;
  raised: AlertRecord[];
}

/**
 * Runs the ERROR_SPIKE and COST_ANOMALY checks once across all gateway instances (an advisory
 * lock) and raises each alert once (dedupe keys), publishing after the commit.
 */
export async function runAlertChecks(platform: PlatformDb, pubsub: AppPubSub, logger: Logger, now: Date): Promise<AlertCheckOutcome> {
  const outcome = await platform.transaction(async (manager): Promise<AlertCheckOutcome> => {
    const [{ locked }]: { locked: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [ALERT_CHECK_LOCK]);
    if (!locked) return { checked: false, raised: [] };
    const raised: AlertRecord[] = [];
    for (const alert of await dueAlerts(manager, now)) {
      const stored = await insertAlert(manager, alert);
      if (stored) raised.push(stored);
    }
    return { checked: true, raised };
  });
  await publishAlerts(pubsub, outcome.raised);
  if (outcome.raised.length > 0) logger.info({ alerts: outcome.raised.map((a) => a.kind) }, 'alerts raised');
  return outcome;
}
