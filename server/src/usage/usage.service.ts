import type { Db } from '../db/db';
import { runMetrics } from '../metrics/metrics.service';
import { periodRange, type Dimension, type Metric, type Period, type Scope, type UsageFilterValues } from '../metrics/metrics.model';

/** The figures of a usage group, or of any set of calls (USAGE_METRICS). */
export interface UsageFigures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCost: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
  errorCount: number;
  errorRate: number;
}

export interface UsageGroupValues extends UsageFigures {
  key: string;
  label: string;
  /** Values of any extra metrics asked for. */
  extra: Partial<Record<Metric, number>>;
}

/** The metrics of UsageFigures. */
export const USAGE_METRICS: Metric[] = [
  'REQUESTS',
  'INPUT_TOKENS',
  'OUTPUT_TOKENS',
  'TOTAL_TOKENS',
  'TOTAL_COST',
  'AVG_LATENCY_MS',
  'P95_LATENCY_MS',
  'ERROR_COUNT',
  'ERROR_RATE',
];

/** Usage in a period grouped by one dimension, most expensive first. */
export async function usageByDimension(
  db: Db,
  scope: Scope,
  period: Period,
  groupBy: Dimension,
  filter: UsageFilterValues | null | undefined,
  now: Date,
  extraMetrics: Metric[] = [],
): Promise<UsageGroupValues[]> {
  const { rows } = await runMetrics(db, scope, {
    range: periodRange(period, now),
    timezone: 'UTC',
    metrics: [...USAGE_METRICS, ...extraMetrics],
    groupBy: [groupBy],
    filter,
    orderBy: 'TOTAL_COST',
    descending: true,
  });
  return rows.map(({ dimensions: [d], values }) => usageGroup(d, values, extraMetrics));
}

/** The usage group of one dimension value, from a metrics row's values of USAGE_METRICS and `extraMetrics`. */
export function usageGroup(dimension: { value: string; label: string }, values: Record<Metric, number>, extraMetrics: Metric[] = []): UsageGroupValues {
  return { key: dimension.value, label: dimension.label, ...usageFigures(values), extra: Object.fromEntries(extraMetrics.map((m) => [m, values[m]])) };
}

/** A metrics row's values of USAGE_METRICS as figures. */
export function usageFigures(v: Record<Metric, number>): UsageFigures {
  return {
    requests: v.REQUESTS,
    inputTokens: v.INPUT_TOKENS,
    outputTokens: v.OUTPUT_TOKENS,
    totalTokens: v.TOTAL_TOKENS,
    totalCost: v.TOTAL_COST,
    avgLatencyMs: v.AVG_LATENCY_MS,
    p95LatencyMs: v.P95_LATENCY_MS,
    errorCount: v.ERROR_COUNT,
    errorRate: v.ERROR_RATE,
  };
}
