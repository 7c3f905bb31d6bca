import type { ApolloClient } from '@apollo/client';
import type { TimeUnit } from '../../components/charts/time-axis';
import {
  AnalyticsChartDocument,
  ChartPresetsDocument,
  CostByModelDocument,
  RecentCallsDocument,
  SummaryDocument,
  TokensOverTimeDocument,
  type Metric,
  type Period,
  type TokensOverTimeQueryVariables,
  type UsageFilter,
} from '../../gql/graphql';
import { analyticsChartVariables, OVERVIEW_PRESETS } from '../insights/chart-query';

/**
 * The variables the Overview's cards ask their queries with, in a module of its own so the app
 * can start the same queries before the page's code (and its chart libraries) has arrived.
 */

/** How many calls the feed starts with. */
export const FEED_INITIAL_CALLS = 20;

/** The bucket the tokens chart uses for a period: hours over a day, days otherwise. */
export function tokenBucketFor(period: Period): TimeUnit {
  return period === 'LAST_24H' || period === 'LAST_1H' ? 'HOUR' : 'DAY';
}

/** The token series the chart draws, in order, with their fixed colours. */
export const TOKEN_SERIES: readonly { metric: Metric; label: string; color: string }[] = [
  { metric: 'INPUT_TOKENS', label: 'Input tokens', color: '#6366f1' },
  { metric: 'OUTPUT_TOKENS', label: 'Output tokens', color: '#14b8a6' },
];

export function tokensOverTimeVariables(period: Period, timeZone: string, filter?: UsageFilter): TokensOverTimeQueryVariables {
  return { query: { period, bucket: tokenBucketFor(period), timezone: timeZone, metrics: TOKEN_SERIES.map((series) => series.metric), ...(filter ? { filter } : {}) } };
}

/**
 * Starts the queries behind the Overview's figures and charts, with the variables its cards use:
 * the app calls it while the key is being checked, so the answers are in the cache, or on their
 * way, when the cards mount (Apollo shares a request in flight with a query that asks the same).
 * The cards that always refetch on mount (cache-and-network: memory, OpenRouter) are left to them.
 */
export function prefetchOverview(client: ApolloClient, { period, timeZone }: { period: Period; timeZone(): string }): void {
  const requests: Promise<unknown>[] = [
    client.query({ query: SummaryDocument, variables: { period } }),
    client.query({ query: CostByModelDocument, variables: { period } }),
    client.query({ query: ChartPresetsDocument }),
    ...OVERVIEW_PRESETS.map((presetId) => client.query({ query: AnalyticsChartDocument, variables: analyticsChartVariables({ presetId }) })),
    client.query({ query: RecentCallsDocument, variables: { limit: FEED_INITIAL_CALLS } }),
    // Last: the zone may first have to be read from the browser (see PrefetchRoute.timeZone).
    client.query({ query: TokensOverTimeDocument, variables: tokensOverTimeVariables(period, timeZone()) }),
  ];
  // A failed answer is not cached: the card asks again when it mounts and shows what went wrong.
  for (const request of requests) request.catch(() => undefined);
}
