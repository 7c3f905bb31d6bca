import { describeTrend, type Trend } from '../../components/trend';
import { formatCount, formatDollars, formatLatency, formatPercent, formatTokens } from '../../format';
import type { Period, SummaryFiguresFragment } from '../../gql/graphql';

/** One hero figure of the Overview. */
export interface SummaryTile {
  id: 'requests' | 'tokens' | 'cost' | 'avg-latency' | 'p95-latency' | 'error-rate' | 'byok-savings' | 'unpriced';
  label: string;
  value: string;
  /** A line under the figure: "31 active agents", "p95 1.20 s". */
  detail: string | null;
  trend: Trend | null;
  /** Set when the figure needs attention (errors above 5%, calls without a price); the detail says why. */
  attention: boolean;
}

/** The hero figures, ready to show. */
export interface SummaryTiles {
  tiles: SummaryTile[];
  /** True when the period has no calls at all. */
  isEmpty: boolean;
}

/** An error rate above this share of calls is flagged, as the recommendations do. */
export const ERROR_RATE_ATTENTION = 0.05;

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** The eight hero figures of a period's summary, with trends where the summary has them. */
export function prepareSummaryTiles(summary: SummaryFiguresFragment, period: Period): SummaryTiles {
  const { trends } = summary;
  const failed = Math.round(summary.errorRate * summary.totalRequests);
  const errorAttention = summary.errorRate > ERROR_RATE_ATTENTION;
  const tiles: SummaryTile[] = [
    {
      id: 'requests',
      label: 'Requests',
      value: formatCount(summary.totalRequests),
      detail: plural(summary.activeAgents, 'active agent', 'active agents'),
      trend: describeTrend(trends.requestsChangePct, 'neutral', period),
      attention: false,
    },
    {
      id: 'tokens',
      label: 'Tokens',
      value: formatTokens(summary.totalTokens),
      detail: `${formatTokens(summary.inputTokens)} in · ${formatTokens(summary.outputTokens)} out`,
      trend: describeTrend(trends.tokensChangePct, 'neutral', period),
      attention: false,
    },
    {
      id: 'cost',
      label: 'Cost',
      value: formatDollars(summary.totalCost),
      detail: summary.topModel ? `Top model: ${summary.topModel}` : null,
      trend: describeTrend(trends.costChangePct, 'lower-is-better', period),
      attention: false,
    },
    {
      id: 'avg-latency',
      label: 'Avg latency',
      value: formatLatency(summary.avgLatencyMs),
      detail: 'Mean time per call',
      trend: describeTrend(trends.latencyChangePct, 'lower-is-better', period),
      attention: false,
    },
    {
      id: 'p95-latency',
      label: 'P95 latency',
      value: formatLatency(summary.p95LatencyMs),
      detail: '95% of calls were faster',
      trend: null,
      attention: false,
    },
    {
      id: 'error-rate',
      label: 'Error rate',
      value: formatPercent(summary.errorRate),
      detail: `${plural(failed, 'failed call', 'failed calls')}${errorAttention ? ', above 5%' : ''}`,
      trend: null,
      attention: errorAttention,
    },
    {
      id: 'byok-savings',
      label: 'BYOK savings',
      value: formatDollars(summary.byokSavings),
      detail: `${plural(summary.byokRequests, 'call', 'calls')} on your own keys`,
      trend: null,
      attention: false,
    },
    {
      id: 'unpriced',
      label: 'Unpriced calls',
      value: formatCount(summary.unpricedRequests),
      detail: summary.unpricedRequests > 0 ? 'No known price: set one on the Costs page' : 'Every call has a price',
      trend: null,
      attention: summary.unpricedRequests > 0,
    },
  ];
  return { tiles, isEmpty: summary.totalRequests === 0 };
}
