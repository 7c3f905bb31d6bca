import { DRAWING_ONLY } from './ChartFrame';
import { chartTheme } from './chart-theme';
import type { LineChartSeries } from './LineChart';
import type { TimeAxis } from './time-axis';

/** Room a tick label needs, so labels never overlap however narrow the card. */
const TICK_SPACING_PX = 56;

interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The prepared ticks, thinned (from the latest backwards) to what fits between the margins of `width`. */
function ticksThatFit(tickKeys: readonly string[], width: number, margin: Margin): string[] {
  const fit = Math.max(2, Math.floor((width - margin.left - margin.right) / TICK_SPACING_PX));
  const step = Math.ceil(tickKeys.length / fit);
  return tickKeys.filter((_, index) => (tickKeys.length - 1 - index) % step === 0);
}

/** The series as nivo Line data: a point per slot of the axis, `missing` where a series has no value. */
export function lineData<Missing extends number | null>(axis: TimeAxis, series: readonly LineChartSeries[], missing: Missing): { id: string; data: { x: string; y: number | Missing }[] }[] {
  return series.map((line) => ({
    id: line.id,
    data: axis.slots.map((slot, index) => ({ x: slot.key, y: line.values[index] ?? missing })),
  }));
}

/**
 * What a nivo Line over a prepared time axis draws the same whether it shows lines or stacked
 * bands: a point per slot, values on the left axis and five grid lines, the slots' tick labels
 * along the bottom, one tooltip per slot, the theme, and no animation.
 */
export function timeSeriesLineProps({ axis, width, margin, formatValue, scheme }: { axis: TimeAxis; width: number; margin: Margin; formatValue(value: number): string; scheme: 'light' | 'dark' }) {
  const tickLabels = new Map(axis.slots.map((slot) => [slot.key, slot.tickLabel]));
  return {
    width,
    xScale: { type: 'point' },
    margin,
    pointBorderWidth: 0,
    enableGridX: false,
    gridYValues: 5,
    axisLeft: { tickSize: 0, tickPadding: 8, tickValues: 5, format: (value: unknown) => formatValue(Number(value)) },
    axisBottom: {
      tickSize: 0,
      tickPadding: 10,
      tickValues: ticksThatFit(axis.tickKeys, width, margin),
      format: (key: unknown) => tickLabels.get(String(key)) ?? String(key),
    },
    enableSlices: 'x',
    theme: chartTheme(scheme),
    ...DRAWING_ONLY,
    animate: false,
  } as const;
}
