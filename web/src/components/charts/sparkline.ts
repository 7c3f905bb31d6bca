import { formatLatency } from '../../format';

/** A sparkline drawn in a box of this size (SVG user units). */
export interface SparklineBox {
  width: number;
  height: number;
}

/** What a sparkline draws and says. */
export interface SparklineView {
  /** The SVG path through every value, oldest at the left; empty for no values. */
  path: string;
  /** The latest value's point, marked so the present reads at a glance. */
  last: { x: number; y: number } | null;
  /** The line in words, for the image's accessible name. */
  summary: string;
}

/** How a sparkline's values are put in words: what none, one or many are called, and how a value reads. */
export interface SparklineWords {
  empty: string;
  count(values: number): string;
  format(value: number): string;
  lowest: string;
  highest: string;
}

/** Response times, the API table's sparklines. */
export const RESPONSE_TIME_WORDS: SparklineWords = {
  empty: 'No response times yet',
  count: (values) => (values === 1 ? 'The last response' : `The last ${values} responses`),
  format: formatLatency,
  lowest: 'fastest',
  highest: 'slowest',
};

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The line through `values` (oldest first) scaled from 0 to the largest, so equal heights
 * mean equal values across rows; a single value is drawn as a flat line across the box.
 */
export function prepareSparkline(values: readonly number[], box: SparklineBox, words: SparklineWords = RESPONSE_TIME_WORDS): SparklineView {
  if (values.length === 0) return { path: '', last: null, summary: words.empty };
  const top = Math.max(...values);
  const y = (value: number) => round(top > 0 ? box.height - (value / top) * box.height : box.height);
  const step = values.length > 1 ? box.width / (values.length - 1) : 0;
  const points = values.length > 1 ? values.map((value, index) => ({ x: round(index * step), y: y(value) })) : [{ x: 0, y: y(values[0]) }, { x: box.width, y: y(values[0]) }];
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
  const latest = values[values.length - 1];
  return {
    path,
    last: points[points.length - 1],
    summary: `${words.count(values.length)}: ${words.lowest} ${words.format(Math.min(...values))}, ${words.highest} ${words.format(top)}, latest ${words.format(latest)}`,
  };
}
