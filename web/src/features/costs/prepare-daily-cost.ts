import { costBands, stackedCostFigures, type CostBand, type StackedCostFigures } from '../../components/charts/cost-bands';
import { bucketKey, type TimeAxis } from '../../components/charts/time-axis';
import type { SeriesColors } from '../../components/series-colors';
import type { DailyCostByModelQuery, Period } from '../../gql/graphql';

/** llmDailyCostByModel's answer: every day of the period, each with every model's cost. */
export type DailyCostData = DailyCostByModelQuery['llmDailyCostByModel'];

/** One model's band of the stack. */
export type DailyCostSeries = CostBand;

/** The daily cost chart, ready to draw. */
export interface DailyCostChart extends StackedCostFigures {
  axis: TimeAxis;
  /** Bottom of the stack first: the costliest model, then the next, and "other models" on top. */
  series: DailyCostSeries[];
  /** Every day's cost over all models, in axis order. */
  dayTotals: number[];
  /** Why there is nothing to draw, or null when there is. */
  emptyReason: 'no-calls' | 'no-cost' | null;
}

/** The shortest period a chart of days is drawn over: a day or an hour would be one or two points. */
export const SHORTEST_DAILY_PERIOD: Period = 'LAST_7D';

/** The period the daily chart shows when the card has no period of its own: the page's, but never less than 7 days. */
export function dailyChartPeriod(pagePeriod: Period): Period {
  return pagePeriod === 'LAST_1H' || pagePeriod === 'LAST_24H' ? SHORTEST_DAILY_PERIOD : pagePeriod;
}

/** The id of the band that stacks the models a top-N leaves out. */
export const OTHER_DAILY_ID = '__other__';

const TICK_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const FULL_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

/**
 * A day axis over the dates the gateway answered with ("2025-05-03", already days in the
 * requested zone), so the chart's days are exactly the gateway's; at most `maxTicks` labels,
 * evenly spaced and always including the latest day.
 */
export function dayAxis(dates: readonly string[], timeZone: string, maxTicks = 8): TimeAxis {
  const slots = dates.map((key) => {
    // The date is a wall-clock day already: read it as UTC so no zone moves it again.
    const day = new Date(`${key}T00:00:00Z`);
    return { key, tickLabel: TICK_DAY.format(day), fullLabel: FULL_DAY.format(day) };
  });
  const step = Math.max(1, Math.ceil(slots.length / Math.max(1, maxTicks)));
  const tickKeys = slots.filter((_, index) => (slots.length - 1 - index) % step === 0).map((slot) => slot.key);
  return { unit: 'DAY', timeZone, slots, tickKeys };
}

/** Options of prepareDailyCost. */
export interface DailyCostOptions {
  timeZone: string;
  colors: SeriesColors;
  /** At most this many bands, the last one summing the rest. @default 8 */
  top?: number;
}

/**
 * Stacked bands of cost per model and day. Days with no cost are zeros (the gateway sends every
 * day); models with no cost over the whole period get no band; past `top` models the rest are
 * stacked as one grey band and the caption says how many are shown of how many.
 */
export function prepareDailyCost(data: DailyCostData, { timeZone, colors, top = 8 }: DailyCostOptions): DailyCostChart {
  const axis = dayAxis(
    data.series.map((day) => day.date),
    timeZone,
  );
  const perModel = new Map<string, number[]>(data.models.map((modelId) => [modelId, data.series.map(() => 0)]));
  data.series.forEach((day, index) => {
    for (const { modelId, cost } of day.costs) {
      const values = perModel.get(modelId) ?? data.series.map(() => 0);
      values[index] += cost;
      perModel.set(modelId, values);
    }
  });
  const { bands: series, ...counts } = costBands(perModel, data.series.length, { top, colors, otherId: OTHER_DAILY_ID, otherNoun: 'models' });
  const dayTotals = data.series.map((day) => day.total);
  return {
    axis,
    series,
    dayTotals,
    ...stackedCostFigures(axis, dayTotals, counts, 'models'),
    emptyReason: data.models.length === 0 ? 'no-calls' : counts.costed === 0 ? 'no-cost' : null,
  };
}

/** A usageMetrics row of cost by MODEL and DAY bucket. */
export interface ModelDayCostRow {
  bucket?: unknown;
  dimensions: readonly { dimension: string; value: string }[];
  values: readonly { metric: string; value: number }[];
}

/**
 * usageMetrics' cost by model and day (bucket DAY, groupBy MODEL, TOTAL_COST) in the shape of
 * llmDailyCostByModel's answer: every one of `days` (keys in `timeZone`, as the query's buckets),
 * each with every model's cost that day, models costliest first. Rows outside `days` are left out.
 */
export function dailyCostFromMetrics(days: readonly string[], rows: readonly ModelDayCostRow[], timeZone: string): DailyCostData {
  const byDay = new Map<string, Map<string, number>>(days.map((day) => [day, new Map()]));
  const totals = new Map<string, number>();
  for (const row of rows) {
    const model = row.dimensions.find((dimension) => dimension.dimension === 'MODEL')?.value;
    const cost = row.values.find((value) => value.metric === 'TOTAL_COST')?.value ?? 0;
    if (!model || typeof row.bucket !== 'string') continue;
    const costs = byDay.get(bucketKey(new Date(row.bucket), 'DAY', timeZone));
    if (!costs) continue;
    costs.set(model, (costs.get(model) ?? 0) + cost);
    totals.set(model, (totals.get(model) ?? 0) + cost);
  }
  const models = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || a.localeCompare(b));
  return {
    __typename: 'DailyCostByModel',
    models,
    series: days.map((date) => {
      const costs = models.map((modelId) => ({ __typename: 'ModelCost' as const, modelId, cost: byDay.get(date)!.get(modelId) ?? 0 }));
      return { __typename: 'DailyModelCosts' as const, date, total: costs.reduce((sum, entry) => sum + entry.cost, 0), costs };
    }),
  };
}
