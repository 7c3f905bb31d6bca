import type { BarChartBar } from '../../components/charts/BarChart';
import { OTHER_COLOR, type SeriesColors } from '../../components/series-colors';
import type { CostByModelQuery } from '../../gql/graphql';
import { formatCount, formatDollars, formatTokens } from '../../format';
import { keepTop } from '../../components/charts/keep-top';

/** One model's usage, as llmUsage(groupBy: MODEL) answers it. */
export type ModelUsage = Pick<CostByModelQuery['llmUsage'][number], 'key' | 'label' | 'totalCost' | 'requests' | 'totalTokens'>;

/** The cost-by-model chart, ready to draw. */
export interface CostByModelChart {
  /** Top to bottom: the costliest models, then one bar for all the others. */
  bars: BarChartBar[];
  totalCost: number;
  totalLabel: string;
  /** "8 of 23 models; the other 15 are summed as one bar", or null when every model has its bar. */
  caption: string | null;
  /** What the empty state says, or null when there is something to draw. */
  emptyReason: 'no-calls' | 'no-cost' | null;
}

/** The id of the bar that sums the models a top-N leaves out. */
export const OTHER_MODELS_ID = '__other__';

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/**
 * Bars of cost per model, costliest first, each model in its own colour; past `top` models the
 * rest become one grey bar and the caption says how many are shown of how many.
 */
export function prepareCostByModel(groups: readonly ModelUsage[], colors: SeriesColors, top = 8): CostByModelChart {
  const sorted = [...groups].sort((a, b) => b.totalCost - a.totalCost || b.requests - a.requests || a.label.localeCompare(b.label));
  const totalCost = sorted.reduce((sum, group) => sum + group.totalCost, 0);
  const emptyReason = sorted.length === 0 ? 'no-calls' : totalCost === 0 ? 'no-cost' : null;
  const { shown, rest } = keepTop(sorted, top);
  const bars: BarChartBar[] = shown.map((group) => ({
    id: group.key,
    label: group.label,
    value: group.totalCost,
    valueLabel: formatDollars(group.totalCost),
    color: colors.colorFor(group.key),
    detail: `${plural(group.requests, 'call', 'calls')} · ${formatTokens(group.totalTokens)} tokens`,
  }));
  if (rest.length > 0) {
    const cost = rest.reduce((sum, group) => sum + group.totalCost, 0);
    bars.push({
      id: OTHER_MODELS_ID,
      label: `${rest.length} other models`,
      value: cost,
      valueLabel: formatDollars(cost),
      color: OTHER_COLOR,
      detail: `${plural(rest.reduce((sum, group) => sum + group.requests, 0), 'call', 'calls')} · ${rest
        .slice(0, 3)
        .map((group) => group.label)
        .join(', ')}${rest.length > 3 ? '…' : ''}`,
    });
  }
  return {
    bars,
    totalCost,
    totalLabel: formatDollars(totalCost),
    caption: rest.length > 0 ? `${shown.length} of ${sorted.length} models; the other ${rest.length} are summed as one bar` : null,
    emptyReason,
  };
}
