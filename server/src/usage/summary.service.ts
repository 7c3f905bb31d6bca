import type { Db } from '../db/db';
import { countAgentsActiveSince } from '../agents/agents.service';
import { runMetrics } from '../metrics/metrics.service';
import { USAGE_METRICS, usageFigures, type UsageFigures } from './usage.service';
import { periodRange, previousRange, type Metric, type MetricsQuery, type Period, type Scope, type TimeRange, type UsageFilterValues } from '../metrics/metrics.model';

export interface TrendValues {
  requestsChangePct: number | null;
  tokensChangePct: number | null;
  costChangePct: number | null;
  latencyChangePct: number | null;
}

export interface SummaryValues
  extends Pick<UsageFigures, 'inputTokens' | 'outputTokens' | 'totalTokens' | 'totalCost' | 'avgLatencyMs' | 'p95LatencyMs' | 'errorRate'> {
  period: Period;
  totalRequests: number;
  byokRequests: number;
  byokSavings: number;
  unpricedRequests: number;
  activeAgents: number;
  topModel: string | null;
  trends: TrendValues;
}

/** Percent change from `before` to `now`; null when there is nothing to compare with. */
export function changePct(now: number, before: number): number | null {
  if (before === 0) return null;
  return ((now - before) / before) * 100;
}

/** The period's totals: the usage figures of all its calls, and the unpriced requests. */
const TOTALS: Metric[] = [...USAGE_METRICS, 'UNPRICED_REQUESTS'];
const TREND_METRICS: Metric[] = ['REQUESTS', 'TOTAL_TOKENS', 'TOTAL_COST', 'AVG_LATENCY_MS'];

function query(range: TimeRange, metrics: Metric[], extra: Partial<MetricsQuery> = {}): MetricsQuery {
  return { range, timezone: 'UTC', metrics, groupBy: [], ...extra };
}

/**
 * The period at a glance, and its change against the previous period of equal length; with a
 * filter, of the calls it keeps only (its active agents: those among them).
 * Five metrics queries, run side by side; each reads rollups for the whole hours.
 */
export async function summarize(db: Db, scope: Scope, period: Period, now: Date, filter: UsageFilterValues | null = null): Promise<SummaryValues> {
  const range = periodRange(period, now);
  const [totals, byok, agents, topModel, previous] = await Promise.all([
    runMetrics(db, scope, query(range, TOTALS, { filter })),
    // A filter that keeps only platform-key calls keeps no BYOK call.
    filter?.isByok === false ? null : runMetrics(db, scope, query(range, ['REQUESTS', 'TOTAL_COST'], { filter: { ...filter, isByok: true } })),
    filter ? countAgentsOfCalls(db, scope, range, filter) : countAgentsActiveSince(db, scope, range.from),
    runMetrics(db, scope, query(range, ['TOTAL_COST', 'REQUESTS'], { groupBy: ['MODEL'], orderBy: 'TOTAL_COST', descending: true, limit: 1, filter })),
    runMetrics(db, scope, query(previousRange(range), TREND_METRICS, { filter })),
  ]);
  const t = totals.rows[0].values;
  const { requests, inputTokens, outputTokens, totalTokens, totalCost, avgLatencyMs, p95LatencyMs, errorRate } = usageFigures(t);
  const b = byok ? byok.rows[0].values : { REQUESTS: 0, TOTAL_COST: 0 };
  const p = previous.rows[0].values;
  return {
    period,
    totalRequests: requests,
    inputTokens,
    outputTokens,
    totalTokens,
    totalCost,
    avgLatencyMs,
    p95LatencyMs,
    errorRate,
    byokRequests: b.REQUESTS,
    byokSavings: b.TOTAL_COST,
    unpricedRequests: t.UNPRICED_REQUESTS,
    activeAgents: agents,
    topModel: topModel.rows[0] && topModel.rows[0].values.REQUESTS > 0 ? topModel.rows[0].dimensions[0].value : null,
    trends: {
      requestsChangePct: changePct(t.REQUESTS, p.REQUESTS),
      tokensChangePct: changePct(t.TOTAL_TOKENS, p.TOTAL_TOKENS),
      costChangePct: changePct(t.TOTAL_COST, p.TOTAL_COST),
      latencyChangePct: changePct(t.AVG_LATENCY_MS, p.AVG_LATENCY_MS),
    },
  };
}

/** The agents that made a call the filter keeps in the range. */
async function countAgentsOfCalls(db: Db, scope: Scope, range: TimeRange, filter: UsageFilterValues): Promise<number> {
  const byAgent = await runMetrics(db, scope, query(range, ['REQUESTS'], { groupBy: ['AGENT'], filter, labels: false }));
  return byAgent.rows.filter((row) => row.dimensions[0].value !== '' && row.values.REQUESTS > 0).length;
}
