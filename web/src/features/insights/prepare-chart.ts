import type { BarChartBar } from '../../components/charts/BarChart';
import type { LineChartSeries } from '../../components/charts/LineChart';
import type { InsightSlice } from './InsightPieChart';
import type { TimeAxis } from '../../components/charts/time-axis';
import { OTHER_COLOR, type SeriesColors } from '../../components/series-colors';
import { formatCount, formatDollars, formatLatency, formatPercent, formatTokens } from '../../format';
import type { AnalyticsChartQuery, ChartType, Metric, TimeBucket } from '../../gql/graphql';
import { readInterpretation, type InterpretedQuery } from './prepare-interpretation';
import { keepTop } from '../../components/charts/keep-top';

/** A chart as the gateway answers it. */
export type ChartAnswer = AnalyticsChartQuery['analyticsChart'];

/** How a metric's values read. */
export type MetricUnit = 'usd' | 'tokens' | 'ms' | 'ratio' | 'count';

const UNITS: Partial<Record<Metric, MetricUnit>> = {
  INPUT_TOKENS: 'tokens',
  OUTPUT_TOKENS: 'tokens',
  TOTAL_TOKENS: 'tokens',
  CACHE_READ_TOKENS: 'tokens',
  CACHE_WRITE_TOKENS: 'tokens',
  REASONING_TOKENS: 'tokens',
  INPUT_COST: 'usd',
  OUTPUT_COST: 'usd',
  TOTAL_COST: 'usd',
  AVG_LATENCY_MS: 'ms',
  P50_LATENCY_MS: 'ms',
  P95_LATENCY_MS: 'ms',
  P99_LATENCY_MS: 'ms',
  ERROR_RATE: 'ratio',
};

/** A metric's unit: requests and errors are counts. */
export function unitOf(metric: Metric): MetricUnit {
  return UNITS[metric] ?? 'count';
}

/** Sums add up across groups and buckets; averages, percentiles and rates do not. */
export function isAdditive(metric: Metric): boolean {
  const unit = unitOf(metric);
  return unit !== 'ms' && unit !== 'ratio';
}

/** The dashboard's formatter for a metric's values. */
export function formatterFor(metric: Metric): (value: number) => string {
  switch (unitOf(metric)) {
    case 'usd':
      return formatDollars;
    case 'tokens':
      return formatTokens;
    case 'ms':
      return formatLatency;
    case 'ratio':
      return formatPercent;
    case 'count':
      return formatCount;
  }
}

/** Token series keep the Overview's colours; everything else asks the shared allocator. */
const METRIC_COLORS: Partial<Record<Metric, string>> = { INPUT_TOKENS: '#6366f1', OUTPUT_TOKENS: '#14b8a6' };

/** At most this many lines, bands, slices or bars; the rest become "Other" (or are left out, for averages). */
export const MAX_SERIES = 8;
export const MAX_SLICES = 8;
export const MAX_BARS = 15;
/** The id of the series or slice that sums the ones a top-N leaves out. */
export const OTHER_ID = '__other__';

/** A group of bars with its own heading (one per metric when several are asked for). */
export interface BarGroup {
  title: string | null;
  bars: BarChartBar[];
  formatValue(value: number): string;
}

/** The chart, ready to draw. */
export type PreparedChart =
  | { kind: 'empty' }
  | {
      kind: 'time';
      type: 'LINE' | 'AREA';
      axis: TimeAxis;
      series: (LineChartSeries & { totalLabel: string })[];
      /** Each slot's sum over the series (for the stacked tooltip). */
      totals: number[];
      formatValue(value: number): string;
      showPoints: boolean;
      caption: string | null;
    }
  | { kind: 'bars'; groups: BarGroup[]; caption: string | null }
  | { kind: 'pie'; slices: InsightSlice[]; formatValue(value: number): string; caption: string | null };

/** A series as this module works with it: `key` tells it apart within its chart (its metric, or its group's label). */
interface Series {
  key: string;
  label: string;
  metric: Metric;
  points: readonly { x: string; y: number }[];
}

function seriesOf(answer: ChartAnswer, query: InterpretedQuery): Series[] {
  const byGroup = !!query.groupBy?.length && !!query.bucket;
  return answer.series.map((s) => ({ key: byGroup ? s.label : s.metric, label: s.label, metric: s.metric, points: s.points }));
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsOf(iso: string, timeZone: string): Record<string, string> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
}

/** A bucket's start in words: under a tick ("3 Jun", "14:00", "Jun") and in a tooltip ("Wed 3 Jun", "Week of 1 Jun 2026"). */
export function bucketLabels(iso: string, bucket: TimeBucket, timeZone: string): { tickLabel: string; fullLabel: string } {
  const p = partsOf(iso, timeZone);
  const day = `${p.day} ${p.month}`;
  switch (bucket) {
    case 'HOUR':
      return { tickLabel: `${p.hour}:${p.minute}`, fullLabel: `${p.weekday} ${day}, ${p.hour}:${p.minute}` };
    case 'DAY':
      return { tickLabel: day, fullLabel: `${p.weekday} ${day} ${p.year}` };
    case 'WEEK':
      return { tickLabel: day, fullLabel: `Week of ${day} ${p.year}` };
    case 'MONTH':
      return { tickLabel: p.month === 'Jan' ? `${p.month} ${p.year}` : p.month, fullLabel: `${p.month} ${p.year}` };
  }
}

function axisOf(keys: string[], label: (key: string) => { tickLabel: string; fullLabel: string }, timeZone: string, bucket: TimeBucket | null, maxTicks = 8): TimeAxis {
  const step = Math.max(1, Math.ceil(keys.length / maxTicks));
  return {
    unit: bucket === 'HOUR' ? 'HOUR' : 'DAY',
    timeZone,
    slots: keys.map((key) => ({ key, ...label(key) })),
    tickKeys: keys.filter((_, index) => (keys.length - 1 - index) % step === 0),
  };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function colorOf(series: Series, colors: SeriesColors, bySeriesId: boolean): string {
  return (bySeriesId ? METRIC_COLORS[series.metric] : undefined) ?? colors.colorFor(series.key);
}

/** Keeps the first `max` - 1 series and folds the rest into one "Other" (summed) or leaves them out (averages). */
function foldSeries(series: readonly Series[], max: number, additive: boolean, noun: string): { kept: Series[]; caption: string | null; other: Series | null } {
  if (series.length <= max) return { kept: [...series], caption: null, other: null };
  const kept = series.slice(0, max - 1);
  const rest = series.slice(max - 1);
  if (!additive) {
    return { kept: series.slice(0, max), caption: `${max} of ${series.length} ${noun}; the other ${series.length - max} are left out`, other: null };
  }
  const byX = new Map<string, number>();
  for (const s of rest) for (const point of s.points) byX.set(point.x, (byX.get(point.x) ?? 0) + point.y);
  const other: Series = { key: OTHER_ID, label: `${rest.length} others`, metric: series[0].metric, points: [...byX].map(([x, y]) => ({ x, y })) };
  return { kept, caption: `${kept.length} of ${series.length} ${noun}; the other ${rest.length} are summed as one`, other };
}

function prepareTime(all: Series[], query: InterpretedQuery, type: 'LINE' | 'AREA', colors: SeriesColors): PreparedChart {
  const metric = all[0].metric;
  const additive = isAdditive(metric);
  const bySeriesId = !query.groupBy?.length;
  const timed = !!query.bucket;
  const keys = [...new Set(all.flatMap((s) => s.points.map((p) => p.x)))];
  if (timed) keys.sort((a, b) => Date.parse(a) - Date.parse(b));
  const axis = axisOf(keys, (key) => (timed ? bucketLabels(key, query.bucket!, query.timezone) : { tickLabel: key, fullLabel: key }), query.timezone, query.bucket ?? null);
  const { kept, caption, other } = foldSeries(all, MAX_SERIES, additive, bySeriesId ? 'measures' : 'series');
  const drawn = other ? [...kept, other] : kept;
  const stacked = type === 'AREA';
  const series = drawn.map((s) => {
    const byX = new Map(s.points.map((p) => [p.x, p.y]));
    // A stack needs a number in every slot; a line shows a bucket without calls as a gap.
    const values = keys.map((key) => byX.get(key) ?? (stacked || additive ? 0 : null));
    const total = additive ? sum(values.map((v) => v ?? 0)) : null;
    return {
      id: s.key,
      label: s.label,
      color: s.key === OTHER_ID ? OTHER_COLOR : colorOf(s, colors, bySeriesId),
      values,
      totalLabel: total === null ? '' : formatterFor(s.metric)(total),
    };
  });
  return {
    kind: 'time',
    type,
    axis,
    series,
    totals: keys.map((_, index) => sum(series.map((s) => s.values[index] ?? 0))),
    formatValue: formatterFor(metric),
    showPoints: keys.length <= 31,
    caption,
  };
}

function barsOf(series: Series, query: InterpretedQuery, colors: SeriesColors, colorBy: 'point' | 'series'): { bars: BarChartBar[]; caption: string | null } {
  const format = formatterFor(series.metric);
  const timed = !!query.bucket;
  const points = series.points.slice(0, MAX_BARS);
  const bars = points.map((point) => {
    const label = timed ? bucketLabels(point.x, query.bucket!, query.timezone).fullLabel : point.x;
    return {
      id: point.x,
      label,
      value: point.y,
      valueLabel: format(point.y),
      color: colorBy === 'series' ? (METRIC_COLORS[series.metric] ?? colors.colorFor(series.key)) : colors.colorFor(point.x),
    };
  });
  const caption = series.points.length > MAX_BARS ? `The first ${MAX_BARS} of ${series.points.length}; the other ${series.points.length - MAX_BARS} are left out` : null;
  return { bars, caption };
}

function prepareBars(all: Series[], query: InterpretedQuery, colors: SeriesColors): PreparedChart {
  const timed = !!query.bucket;
  const split = !!query.groupBy?.length;
  if (timed && split) {
    // Groups over time, asked as bars: one bar per group, its total (or its average for latency and rates).
    const metric = all[0].metric;
    const additive = isAdditive(metric);
    const format = formatterFor(metric);
    const bars = all.slice(0, MAX_BARS).map((s) => {
      const values = s.points.map((p) => p.y);
      const value = additive ? sum(values) : values.length ? sum(values) / values.length : 0;
      return { id: s.key, label: s.label, value, valueLabel: format(value), color: colors.colorFor(s.key) };
    });
    return { kind: 'bars', groups: [{ title: additive ? 'Total over the range' : 'Average of the buckets', bars, formatValue: format }], caption: null };
  }
  const colorBy = timed || !split ? 'series' : 'point';
  const groups = all.map((s) => {
    const { bars, caption } = barsOf(s, query, colors, colorBy);
    return { group: { title: all.length > 1 ? s.label : null, bars, formatValue: formatterFor(s.metric) }, caption };
  });
  return { kind: 'bars', groups: groups.map((g) => g.group), caption: groups.find((g) => g.caption)?.caption ?? null };
}

function preparePie(all: Series[], query: InterpretedQuery, colors: SeriesColors): PreparedChart {
  const metric = all[0].metric;
  const format = formatterFor(metric);
  const timed = !!query.bucket;
  // One series: its points are the slices. Several (groups over time): each group's total is one.
  const parts =
    all.length === 1
      ? all[0].points.map((p) => ({ id: p.x, label: timed ? bucketLabels(p.x, query.bucket!, query.timezone).fullLabel : p.x, value: p.y }))
      : all.map((s) => ({ id: s.key, label: s.label, value: sum(s.points.map((p) => p.y)) }));
  const positive = parts.filter((p) => p.value > 0).sort((a, b) => b.value - a.value);
  const total = sum(positive.map((p) => p.value));
  const { shown, rest } = keepTop(positive, MAX_SLICES);
  const slices: InsightSlice[] = shown.map((p) => ({
    id: p.id,
    label: p.label,
    value: p.value,
    valueLabel: format(p.value),
    share: total > 0 ? formatPercent(p.value / total) : '',
    color: colors.colorFor(p.id),
  }));
  if (rest.length > 0) {
    const value = sum(rest.map((p) => p.value));
    slices.push({ id: OTHER_ID, label: plural(rest.length, 'other', 'others'), value, valueLabel: format(value), share: formatPercent(value / total), color: OTHER_COLOR });
  }
  return {
    kind: 'pie',
    slices,
    formatValue: format,
    caption: rest.length > 0 ? `${shown.length} of ${positive.length} slices; the other ${rest.length} are summed as one` : null,
  };
}

/**
 * What to draw for an answer: lines or stacked bands over its time axis, bars (one set per
 * metric), or a pie; an answer without a single point is empty, not a chart of nothing.
 */
export function prepareChart(answer: ChartAnswer, colors: SeriesColors): PreparedChart {
  if (answer.series.length === 0 || answer.series.every((s) => s.points.length === 0)) return { kind: 'empty' };
  const query = readInterpretation(answer.interpretedAs);
  const type: ChartType = answer.chartType;
  const series = seriesOf(answer, query);
  if (type === 'LINE' || type === 'AREA') return prepareTime(series, query, type, colors);
  if (type === 'PIE') return preparePie(series, query, colors);
  return prepareBars(series, query, colors);
}
