import type { AnalyticsChartQueryVariables } from '../../gql/graphql';
import type { ChartRequest } from './insights-storage';

/** The presets the Overview always shows, before any pinned chart. */
export const OVERVIEW_PRESETS = ['cost-by-model', 'tokens-over-time'] as const;

/** What analyticsChart is asked for a question or preset (the same variables wherever it is asked, so answers are shared). */
export function analyticsChartVariables(request: ChartRequest): AnalyticsChartQueryVariables {
  return { query: request.query ?? null, presetId: request.presetId ?? null, chartType: request.chartType ?? null };
}
