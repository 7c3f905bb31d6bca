import type { Db } from '../db/db';
import { runMetrics } from '../metrics/metrics.service';
import { periodRange, type Dimension, type Metric, type Period, type Scope, type UsageFilterValues } from '../metrics/metrics.model';

export interface UsageGroupValues {
  key: string;
  label: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCost: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
  errorCount: number;
  errorRate: number;
  /** Values of any extra metrics asked for. */
  extra: Partial<Record<Metric, number>>;
}

const USAGE_METRICS: Metric[] = [
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
  return rows.map(({ dimensions: [d], values: v }) => ({
    key: d.value,
    label: d.label,
    requests: v.REQUESTS,
    inputTokens: v.INPUT_TOKENS,
    outputTokens: v.OUTPUT_TOKENS,
    totalTokens: v.TOTAL_TOKENS,
    totalCost: v.TOTAL_COST,
    avgLatencyMs: v.AVG_LATENCY_MS,
    p95LatencyMs: v.P95_LATENCY_MS,
    errorCount: v.ERROR_COUNT,
    errorRate: v.ERROR_RATE,
    extra: Object.fromEntries(extraMetrics.map((m) => [m, v[m]])),
  }));
}
