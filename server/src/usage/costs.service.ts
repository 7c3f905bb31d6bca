import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import { runMetrics } from '../metrics/metrics.service';
import { periodRange, previousRange, type Dimension, type MetricsOutcome, type Period, type Scope, type TimeRange, type UsageFilterValues } from '../metrics/metrics.model';
import { checkTimezone, localDate } from '../metrics/timezone';
import { registryModel } from '../pricing/pricing.service';

export type CostBreakdownDimension = 'MODEL' | 'PROVIDER' | 'AGENT' | 'DAILY';

export interface CostRow {
  key: string;
  label: string;
  requests: number;
  inputCost: number;
  outputCost: number;
  totalCost: number;
  share: number;
}

const BREAKDOWN_DIMENSION: Record<Exclude<CostBreakdownDimension, 'DAILY'>, Dimension> = {
  MODEL: 'MODEL',
  PROVIDER: 'PROVIDER',
  AGENT: 'AGENT',
};

/**
 * Cost in a range split by a dimension (or by UTC day), each row with its share of the total, most
 * expensive first; with a filter, of the calls it keeps. A caller that has the range's total (under
 * the same filter), or will have it, passes it (`knownTotal`).
 */
export async function costBreakdown(
  db: Db,
  scope: Scope,
  range: TimeRange,
  breakdown: CostBreakdownDimension,
  timezone = 'UTC',
  knownTotal?: number | Promise<number>,
  filter: UsageFilterValues | null = null,
): Promise<CostRow[]> {
  const metrics = COST_BREAKDOWN_METRICS;
  const daily = breakdown === 'DAILY';
  const [grouped, total] = await Promise.all([
    runMetrics(db, scope, {
      range,
      timezone,
      metrics: [...metrics],
      groupBy: daily ? [] : [BREAKDOWN_DIMENSION[breakdown]],
      bucket: daily ? 'DAY' : null,
      filter,
    }),
    knownTotal ?? runMetrics(db, scope, { range, timezone, metrics: ['TOTAL_COST'], groupBy: [], filter }).then((t) => t.rows[0].values.TOTAL_COST),
  ]);
  return costRows(grouped, daily, timezone, total);
}

/** The metrics a cost breakdown reads. */
export const COST_BREAKDOWN_METRICS = ['REQUESTS', 'INPUT_COST', 'OUTPUT_COST', 'TOTAL_COST'] as const;

/** A breakdown's rows (by its one dimension, or by day) with their shares of `total`, most expensive first. */
export function costRows(grouped: MetricsOutcome, daily: boolean, timezone: string, total: number): CostRow[] {
  const rows = grouped.rows.map((row) => {
    const key = daily ? localDate(row.bucket!, timezone) : row.dimensions[0].value;
    return {
      key,
      label: daily ? key : row.dimensions[0].label,
      requests: row.values.REQUESTS,
      inputCost: row.values.INPUT_COST,
      outputCost: row.values.OUTPUT_COST,
      totalCost: row.values.TOTAL_COST,
      share: total > 0 ? row.values.TOTAL_COST / total : 0,
    };
  });
  return rows.sort((a, b) => b.totalCost - a.totalCost || a.key.localeCompare(b.key));
}

export interface ProjectionValues {
  period: Period;
  currentPeriodCost: number;
  daysWithData: number;
  dailyAverage: number;
  projectedMonthlyCost: number;
  previousPeriodCost: number;
  changePct: number | null;
}

/** The month ahead at the pace of the days that had calls: dailyAverage = cost / daysWithData, x 30. */
export async function projectCosts(db: Db, scope: Scope, period: Period, timezone: string, now: Date): Promise<ProjectionValues> {
  checkTimezone(timezone);
  const range = periodRange(period, now);
  const [days, totals, previous] = await Promise.all([
    runMetrics(db, scope, { range, timezone, metrics: ['REQUESTS'], groupBy: [], bucket: 'DAY' }),
    runMetrics(db, scope, { range, timezone, metrics: ['TOTAL_COST'], groupBy: [] }),
    runMetrics(db, scope, { range: previousRange(range), timezone, metrics: ['TOTAL_COST'], groupBy: [] }),
  ]);
  const current = totals.rows[0];
  const daysWithData = days.rows.filter((d) => d.values.REQUESTS > 0).length;
  const currentPeriodCost = current.values.TOTAL_COST;
  const previousPeriodCost = previous.rows[0].values.TOTAL_COST;
  const dailyAverage = daysWithData > 0 ? currentPeriodCost / daysWithData : 0;
  return {
    period,
    currentPeriodCost,
    daysWithData,
    dailyAverage,
    projectedMonthlyCost: dailyAverage * 30,
    previousPeriodCost,
    changePct: previousPeriodCost > 0 ? ((currentPeriodCost - previousPeriodCost) / previousPeriodCost) * 100 : null,
  };
}

export interface DailyCostByModelValues {
  models: string[];
  series: { date: string; total: number; costs: { modelId: string; cost: number }[] }[];
}

/** The local calendar days a range touches, in order. */
export function daysOf(range: TimeRange, timezone: string): string[] {
  const days: string[] = [];
  const last = localDate(new Date(range.to.getTime() - 1), timezone);
  for (let t = range.from.getTime(); ; t += 3_600_000) {
    const day = localDate(new Date(Math.min(t, range.to.getTime() - 1)), timezone);
    if (days[days.length - 1] !== day) days.push(day);
    if (day === last) break;
  }
  return days;
}

/** Cost per local day and model; every day of the period is present, with 0 where nothing was spent. */
export async function dailyCostByModel(db: Db, scope: Scope, period: Period, timezone: string, now: Date): Promise<DailyCostByModelValues> {
  checkTimezone(timezone);
  const range = periodRange(period, now);
  const [byModel, byDay, modelTotals] = await Promise.all([
    runMetrics(db, scope, { range, timezone, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], bucket: 'DAY' }),
    runMetrics(db, scope, { range, timezone, metrics: ['TOTAL_COST'], groupBy: [], bucket: 'DAY' }),
    runMetrics(db, scope, { range, timezone, metrics: ['TOTAL_COST'], groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: true }),
  ]);
  const models = modelTotals.rows.map((r) => r.dimensions[0].value);
  const costs = new Map<string, Map<string, number>>();
  for (const row of byModel.rows) {
    const day = localDate(row.bucket!, timezone);
    if (!costs.has(day)) costs.set(day, new Map());
    costs.get(day)!.set(row.dimensions[0].value, row.values.TOTAL_COST);
  }
  const totals = new Map(byDay.rows.map((r) => [localDate(r.bucket!, timezone), r.values.TOTAL_COST]));
  return {
    models,
    series: daysOf(range, timezone).map((date) => ({
      date,
      total: totals.get(date) ?? 0,
      costs: models.map((modelId) => ({ modelId, cost: costs.get(date)?.get(modelId) ?? 0 })),
    })),
  };
}

export interface ModelComparisonValues {
  modelId: string;
  provider: string | null;
  displayName: string;
  pricing: { inputPerMTok: number | null; outputPerMTok: number | null; cacheReadPerMTok: number | null } | null;
  contextWindow: number | null;
  capabilities: string[];
  requests: number;
  totalTokens: number;
  totalCost: number;
  avgCostPerRequest: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
  errorRate: number;
}

export const MAX_COMPARED_MODELS = 4;

/** Registry facts beside usage figures for 1 to 4 models; a model without calls shows zeros. */
export async function compareModels(db: Db, scope: Scope, modelIds: string[], period: Period, now: Date): Promise<ModelComparisonValues[]> {
  const ids = [...new Set(modelIds.map((m) => m.trim()))];
  if (modelIds.length < 1 || modelIds.length > MAX_COMPARED_MODELS) {
    throw badInput(`modelIds takes 1 to ${MAX_COMPARED_MODELS} ids, but got ${modelIds.length}`);
  }
  if (ids.some((m) => m === '')) throw badInput('modelIds must not contain an empty id');
  const range = periodRange(period, now);
  const [usage, providers] = await Promise.all([
    runMetrics(db, scope, {
      range,
      timezone: 'UTC',
      metrics: ['REQUESTS', 'TOTAL_TOKENS', 'TOTAL_COST', 'AVG_LATENCY_MS', 'P95_LATENCY_MS', 'ERROR_RATE'],
      groupBy: ['MODEL'],
      filter: { modelIds: ids },
    }),
    runMetrics(db, scope, { range, timezone: 'UTC', metrics: ['REQUESTS'], groupBy: ['MODEL', 'PROVIDER'], filter: { modelIds: ids } }),
  ]);
  const byModel = new Map(usage.rows.map((r) => [r.dimensions[0].value, r.values]));
  const mainProvider = new Map<string, string>();
  for (const row of providers.rows) {
    if (!mainProvider.has(row.dimensions[0].value)) mainProvider.set(row.dimensions[0].value, row.dimensions[1].value);
  }
  return ids.map((modelId) => {
    const v = byModel.get(modelId);
    const registry = registryModel(modelId, mainProvider.get(modelId));
    const requests = v?.REQUESTS ?? 0;
    return {
      modelId,
      provider: mainProvider.get(modelId) ?? registry?.provider ?? null,
      displayName: registry?.displayName ?? modelId,
      pricing: registry?.rates
        ? { inputPerMTok: registry.rates.inputPerMTok, outputPerMTok: registry.rates.outputPerMTok, cacheReadPerMTok: registry.rates.cacheReadPerMTok }
        : null,
      contextWindow: registry?.contextWindow ?? null,
      capabilities: registry?.capabilities ?? [],
      requests,
      totalTokens: v?.TOTAL_TOKENS ?? 0,
      totalCost: v?.TOTAL_COST ?? 0,
      avgCostPerRequest: requests > 0 ? (v?.TOTAL_COST ?? 0) / requests : 0,
      avgLatencyMs: v?.AVG_LATENCY_MS ?? 0,
      p95LatencyMs: v?.P95_LATENCY_MS ?? 0,
      errorRate: v?.ERROR_RATE ?? 0,
    };
  });
}
