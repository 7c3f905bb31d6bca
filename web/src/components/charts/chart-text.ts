/**
 * A chart in words, for whoever does not see it: a short summary of what it shows, and its
 * figures as a table. Every chart wrapper derives both from the same prepared data it draws, so
 * a new chart has a text alternative without its card doing anything.
 */

/** The figures of a chart as a table: a header row, then one row per item, its first cell naming it. */
export interface ChartTable {
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

/** A chart in words. */
export interface ChartText {
  /** One or two sentences: how many items, and the largest. */
  summary: string;
  table: ChartTable;
}

/** How many series a summary names before it says "and N more". */
const NAMED_IN_SUMMARY = 4;

function listed(labels: readonly string[]): string {
  const named = labels.slice(0, NAMED_IN_SUMMARY);
  const rest = labels.length - named.length;
  return rest > 0 ? `${named.join(', ')} and ${rest} more` : named.join(', ');
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** Bars with their figures: "7 bars. Highest: claude-sonnet-4-5, $39.26. Lowest: gpt-4o-mini, $0.29." */
export function barChartText(bars: readonly { label: string; value: number; valueLabel: string; detail?: string }[]): ChartText {
  const withDetail = bars.some((bar) => bar.detail);
  const table: ChartTable = {
    columns: withDetail ? ['Name', 'Value', 'Detail'] : ['Name', 'Value'],
    rows: bars.map((bar) => (withDetail ? [bar.label, bar.valueLabel, bar.detail ?? ''] : [bar.label, bar.valueLabel])),
  };
  if (bars.length === 0) return { summary: 'No bars.', table };
  const highest = bars.reduce((best, bar) => (bar.value > best.value ? bar : best));
  const lowest = bars.reduce((least, bar) => (bar.value < least.value ? bar : least));
  if (bars.length === 1) return { summary: `1 bar. ${highest.label}: ${highest.valueLabel}.`, table };
  if (highest.value === lowest.value) return { summary: `${bars.length} bars, each ${highest.valueLabel}.`, table };
  return {
    summary: `${plural(bars.length, 'bar', 'bars')}. Highest: ${highest.label}, ${highest.valueLabel}. Lowest: ${lowest.label}, ${lowest.valueLabel}.`,
    table,
  };
}

/** Slices with their shares: "3 slices. Largest: pro, 12 workspaces (60.0%)." */
export function sliceChartText(slices: readonly { label: string; value: number; valueLabel: string; shareLabel: string }[]): ChartText {
  const table: ChartTable = { columns: ['Name', 'Value', 'Share'], rows: slices.map((slice) => [slice.label, slice.valueLabel, slice.shareLabel]) };
  if (slices.length === 0) return { summary: 'No slices.', table };
  const largest = slices.reduce((best, slice) => (slice.value > best.value ? slice : best));
  return { summary: `${plural(slices.length, 'slice', 'slices')}. Largest: ${largest.label}, ${largest.valueLabel} (${largest.shareLabel}).`, table };
}

/** A time axis's slots as the table and summary read them. */
interface TimeSlotText {
  fullLabel: string;
}

/**
 * Series over time, one row per slot: "Input, Output, from Mon 3 Nov to Wed 3 Dec. Highest:
 * Input, 1.2M on Tue 25 Nov." A gap (null) reads "no data". With `totals` (a stacked chart), a Total
 * column is added and the summary names the highest total instead.
 */
export function timeSeriesChartText(
  slots: readonly TimeSlotText[],
  series: readonly { label: string; values: readonly (number | null)[] }[],
  formatValue: (value: number) => string,
  totals?: readonly number[],
): ChartText {
  const table: ChartTable = {
    columns: ['Time', ...series.map((line) => line.label), ...(totals ? ['Total'] : [])],
    rows: slots.map((slot, index) => [
      slot.fullLabel,
      ...series.map((line) => {
        const value = line.values[index];
        return value === null || value === undefined ? 'no data' : formatValue(value);
      }),
      ...(totals ? [formatValue(totals[index] ?? 0)] : []),
    ]),
  };
  if (slots.length === 0 || series.length === 0) return { summary: 'No data.', table };
  const span = `${listed(series.map((line) => line.label))}, from ${slots[0].fullLabel} to ${slots[slots.length - 1].fullLabel}.`;
  const points = totals
    ? totals.slice(0, slots.length).map((value, index) => ({ label: 'Total', value, index }))
    : series.flatMap((line) =>
        line.values.slice(0, slots.length).flatMap((value, index) => (value === null ? [] : [{ label: line.label, value, index }])),
      );
  if (points.length === 0) return { summary: `${span} No data in this range.`, table };
  const highest = points.reduce((best, point) => (point.value > best.value ? point : best));
  return { summary: `${span} Highest: ${highest.label}, ${formatValue(highest.value)} on ${slots[highest.index].fullLabel}.`, table };
}

/** Series compared on shared axes, one row per axis: "gpt-4o and claude-3-5-haiku compared on 6 axes: Cost per call, …". */
export function radarChartText(axes: readonly string[], series: readonly { label: string; texts: readonly string[] }[]): ChartText {
  return {
    summary: `${listed(series.map((shape) => shape.label))} compared on ${plural(axes.length, 'axis', 'axes')}: ${axes.join(', ')}.`,
    table: {
      columns: ['Axis', ...series.map((shape) => shape.label)],
      rows: axes.map((axis, index) => [axis, ...series.map((shape) => shape.texts[index] ?? '')]),
    },
  };
}
