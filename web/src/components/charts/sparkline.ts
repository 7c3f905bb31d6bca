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

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The line through `values` (oldest first) scaled from 0 to the largest, so equal heights
 * mean equal times across rows; a single value is drawn as a flat line across the box.
 */
export function prepareSparkline(values: readonly number[], box: SparklineBox): SparklineView {
  if (values.length === 0) return { path: '', last: null, summary: 'No response times yet' };
  const top = Math.max(...values);
  const y = (value: number) => round(top > 0 ? box.height - (value / top) * box.height : box.height);
  const step = values.length > 1 ? box.width / (values.length - 1) : 0;
  const points = values.length > 1 ? values.map((value, index) => ({ x: round(index * step), y: y(value) })) : [{ x: 0, y: y(values[0]) }, { x: box.width, y: y(values[0]) }];
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
  const count = values.length === 1 ? 'The last response' : `The last ${values.length} responses`;
  const latest = values[values.length - 1];
  return {
    path,
    last: points[points.length - 1],
    summary: `${count}: fastest ${formatLatency(Math.min(...values))}, slowest ${formatLatency(top)}, latest ${formatLatency(latest)}`,
  };
}
