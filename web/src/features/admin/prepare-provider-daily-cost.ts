import { costBands, stackedCostFigures, type CostBand, type StackedCostFigures } from '../../components/charts/cost-bands';
import { buildTimeAxis, type TimeAxis } from '../../components/charts/time-axis';
import type { SeriesColors } from '../../components/series-colors';
import type { AdminDashboardQuery, Period } from '../../gql/graphql';
import { periodOption } from '../../period';

/** One (day, provider, cost) of adminDashboard.dailyCostByProvider; days are UTC dates. */
export type ProviderDayCost = AdminDashboardQuery['adminDashboard']['dailyCostByProvider'][number];

/** One provider's band of the stack. */
export type ProviderCostSeries = CostBand;

/** The daily cost by provider chart, ready to draw. */
export interface ProviderDailyCostChart extends StackedCostFigures {
  axis: TimeAxis;
  /** Bottom of the stack first: the costliest provider, then the next, "other providers" on top. */
  series: ProviderCostSeries[];
  dayTotals: number[];
  /** True when no day of the period has a cost. */
  isEmpty: boolean;
}

/** The id of the band that stacks the providers a top-N leaves out. */
export const OTHER_PROVIDERS_ID = '__other__';

/** Options of prepareProviderDailyCost. */
export interface ProviderDailyCostOptions {
  period: Period;
  now: Date;
  colors: SeriesColors;
  /** At most this many bands, the last one summing the rest. @default 6 */
  top?: number;
}

/**
 * Cost per provider and UTC day (the days the gateway groups the platform by) over every day of
 * the period: a day without calls cost nothing, so it is a zero in the stack, never a gap.
 */
export function prepareProviderDailyCost(rows: readonly ProviderDayCost[], { period, now, colors, top = 6 }: ProviderDailyCostOptions): ProviderDailyCostChart {
  const axis = buildTimeAxis({ unit: 'DAY', from: new Date(now.getTime() - periodOption(period).lengthMs), to: now, timeZone: 'UTC' });
  const index = new Map(axis.slots.map((slot, position) => [slot.key, position]));
  const perProvider = new Map<string, number[]>();
  for (const row of rows) {
    const position = index.get(row.date);
    if (position === undefined) continue;
    const values = perProvider.get(row.provider) ?? axis.slots.map(() => 0);
    values[position] += row.cost;
    perProvider.set(row.provider, values);
  }
  const { bands: series, ...counts } = costBands(perProvider, axis.slots.length, { top, colors, otherId: OTHER_PROVIDERS_ID, otherNoun: 'providers' });
  const dayTotals = axis.slots.map((_, position) => series.reduce((total, band) => total + band.values[position], 0));
  return {
    axis,
    series,
    dayTotals,
    ...stackedCostFigures(axis, dayTotals, counts, 'providers'),
    isEmpty: series.length === 0,
  };
}
