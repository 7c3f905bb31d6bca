import type { Db } from '../db/db';
import { runMetrics } from '../metrics/metrics.service';
import { periodLengthMs, periodRange, type Period, type Scope, type TimeRange } from '../metrics/metrics.model';
import { localDate } from '../metrics/timezone';
import { costBreakdown, type CostRow } from '../usage/costs.service';
import { listWorkspaces } from '../workspaces/workspaces.service';

const EVERYONE: Scope = { kind: 'all' };

/** Plans that pay; MRR counts only these. */
export const FREE_PLANS = new Set(['free', 'trial', 'internal']);

/** A workspace is an anomaly when its cost is above this many times the average workspace cost. */
export const ANOMALY_FACTOR = 2;

export interface WorkspaceCostValues {
  workspaceId: string;
  name: string;
  plan: string;
  cost: number;
  tokens: number;
  requests: number;
  isAnomaly: boolean;
}

export interface AdminDashboardValues {
  totalCost: number;
  mrrProjection: number;
  workspaceCount: number;
  activeWorkspaces: number;
  apiRequests: number;
  totalTokens: number;
  byokSavings: number;
  dailyCostByProvider: { date: string; provider: string; cost: number }[];
  byokSplit: { byokCost: number; platformCost: number; byokRequests: number; platformRequests: number };
  workspaces: WorkspaceCostValues[];
  planDistribution: { plan: string; count: number }[];
  anomalies: WorkspaceCostValues[];
}

/** Every workspace with its cost in the range, zeros included, flagged when far above the average. */
export async function workspaceCosts(db: Db, range: TimeRange): Promise<WorkspaceCostValues[]> {
  const [workspaces, usage] = await Promise.all([
    listWorkspaces(db),
    runMetrics(db, EVERYONE, { range, timezone: 'UTC', metrics: ['TOTAL_COST', 'TOTAL_TOKENS', 'REQUESTS'], groupBy: ['WORKSPACE'] }),
  ]);
  const byId = new Map(usage.rows.map((r) => [r.dimensions[0].value, r.values]));
  const rows = workspaces.map((w) => {
    const v = byId.get(w.id);
    return { workspaceId: w.id, name: w.name, plan: w.plan, cost: v?.TOTAL_COST ?? 0, tokens: v?.TOTAL_TOKENS ?? 0, requests: v?.REQUESTS ?? 0, isAnomaly: false };
  });
  const average = rows.length > 0 ? rows.reduce((sum, r) => sum + r.cost, 0) / rows.length : 0;
  for (const row of rows) row.isAnomaly = average > 0 && row.cost > ANOMALY_FACTOR * average;
  return rows.sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name));
}

/** The platform at a glance: every workspace, whatever scope the admin's request carries. */
export async function adminDashboard(db: Db, period: Period, now: Date): Promise<AdminDashboardValues> {
  const range = periodRange(period, now);
  const base = { range, timezone: 'UTC' };
  const [totals, split, daily, workspaces] = await Promise.all([
    runMetrics(db, EVERYONE, { ...base, metrics: ['TOTAL_COST', 'REQUESTS', 'TOTAL_TOKENS'], groupBy: [] }),
    runMetrics(db, EVERYONE, { ...base, metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: ['IS_BYOK'] }),
    runMetrics(db, EVERYONE, { ...base, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'], bucket: 'DAY' }),
    workspaceCosts(db, range),
  ]);
  const t = totals.rows[0].values;
  const side = (byok: boolean) => split.rows.find((r) => r.dimensions[0].value === String(byok))?.values;
  const byok = side(true);
  const platform = side(false);
  const days = periodLengthMs(period) / 86_400_000;
  const payingCost = workspaces.filter((w) => !FREE_PLANS.has(w.plan)).reduce((sum, w) => sum + w.cost, 0);
  const plans = new Map<string, number>();
  for (const w of workspaces) plans.set(w.plan, (plans.get(w.plan) ?? 0) + 1);
  return {
    totalCost: t.TOTAL_COST,
    mrrProjection: (payingCost / days) * 30,
    workspaceCount: workspaces.length,
    activeWorkspaces: workspaces.filter((w) => w.requests > 0).length,
    apiRequests: t.REQUESTS,
    totalTokens: t.TOTAL_TOKENS,
    byokSavings: byok?.TOTAL_COST ?? 0,
    dailyCostByProvider: daily.rows
      .map((r) => ({ date: localDate(r.bucket!, 'UTC'), provider: r.dimensions[0].value, cost: r.values.TOTAL_COST }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.provider.localeCompare(b.provider)),
    byokSplit: {
      byokCost: byok?.TOTAL_COST ?? 0,
      platformCost: platform?.TOTAL_COST ?? 0,
      byokRequests: byok?.REQUESTS ?? 0,
      platformRequests: platform?.REQUESTS ?? 0,
    },
    workspaces,
    planDistribution: [...plans].map(([plan, count]) => ({ plan, count })).sort((a, b) => b.count - a.count || a.plan.localeCompare(b.plan)),
    anomalies: workspaces.filter((w) => w.isAnomaly),
  };
}

export interface AdminCostAnalyticsValues {
  totalCost: number;
  byProvider: CostRow[];
  byModel: CostRow[];
  byWorkspace: WorkspaceCostValues[];
  daily: CostRow[];
}

export async function adminCostAnalytics(db: Db, period: Period, now: Date): Promise<AdminCostAnalyticsValues> {
  const range = periodRange(period, now);
  const [totals, byProvider, byModel, byWorkspace, daily] = await Promise.all([
    runMetrics(db, EVERYONE, { range, timezone: 'UTC', metrics: ['TOTAL_COST'], groupBy: [] }),
    costBreakdown(db, EVERYONE, range, 'PROVIDER'),
    costBreakdown(db, EVERYONE, range, 'MODEL'),
    workspaceCosts(db, range),
    costBreakdown(db, EVERYONE, range, 'DAILY'),
  ]);
  return {
    totalCost: totals.rows[0].values.TOTAL_COST,
    byProvider,
    byModel,
    byWorkspace,
    daily: daily.sort((a, b) => a.key.localeCompare(b.key)),
  };
}
