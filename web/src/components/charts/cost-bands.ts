import { formatDollars } from '../../format';
import { OTHER_COLOR, type SeriesColors } from '../series-colors';
import type { LineChartSeries } from './LineChart';
import type { TimeAxis } from './time-axis';
import { keepTop } from './keep-top';

/** One band of a stacked cost chart: a value per time slot, and its total. */
export interface CostBand extends LineChartSeries {
  values: number[];
  total: number;
  totalLabel: string;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * The bands of a stacked cost chart: the costliest first, those with no cost left out, and past
 * `top` the rest summed into one grey band named "N other …" so the chart stays readable.
 * Also says how many keys had a cost and how many were folded into that band.
 * @param perKey a cost per time slot for each key (model, provider …), all of one length
 */
export function costBands(
  perKey: ReadonlyMap<string, readonly number[]>,
  slots: number,
  { top, colors, otherId, otherNoun }: { top: number; colors: SeriesColors; otherId: string; otherNoun: string },
): { bands: CostBand[]; costed: number; folded: number } {
  const costed = [...perKey.entries()]
    .map(([key, values]) => ({ key, values: [...values], total: sum(values) }))
    .filter((band) => band.total > 0)
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const { shown, rest } = keepTop(costed, top);
  const bands: CostBand[] = shown.map((band) => ({
    id: band.key,
    label: band.key,
    color: colors.colorFor(band.key),
    values: band.values,
    total: band.total,
    totalLabel: formatDollars(band.total),
  }));
  if (rest.length > 0) {
    const values = Array.from({ length: slots }, (_, position) => rest.reduce((total, band) => total + band.values[position], 0));
    const total = sum(values);
    bands.push({ id: otherId, label: `${rest.length} other ${otherNoun}`, color: OTHER_COLOR, values, total, totalLabel: formatDollars(total) });
  }
  return { bands, costed: costed.length, folded: rest.length };
}

/** What a stacked cost chart says besides its bands. */
export interface StackedCostFigures {
  total: number;
  totalLabel: string;
  /** "7 of 12 models; the other 5 are stacked as one band", or null when every key has its band. */
  caption: string | null;
  /** Dots help when there are few days. */
  showPoints: boolean;
}

/** The total of a stacked cost chart's days, the caption naming its folded band, and whether to dot its days. */
export function stackedCostFigures(axis: TimeAxis, dayTotals: readonly number[], { costed, folded }: { costed: number; folded: number }, nouns: string): StackedCostFigures {
  const total = sum(dayTotals);
  return {
    total,
    totalLabel: formatDollars(total),
    caption: folded > 0 ? `${costed - folded} of ${costed} ${nouns}; the other ${folded} are stacked as one band` : null,
    showPoints: axis.slots.length <= 14,
  };
}
