import type { LineChartSeries } from '../../components/charts/LineChart';
import { buildTimeAxis, densify, type TimeAxis, type TimeUnit } from '../../components/charts/time-axis';
import type { Metric, Period, TokensOverTimeQuery } from '../../gql/graphql';
import { formatTokens } from '../../format';
import { periodOption } from '../../period';

/** A row of usageMetrics(bucket, metrics: INPUT_TOKENS, OUTPUT_TOKENS). */
export type TokenRow = TokensOverTimeQuery['usageMetrics']['rows'][number];

/** The tokens chart, ready to draw. */
export interface TokensOverTimeChart {
  axis: TimeAxis;
  series: (LineChartSeries & { total: number; totalLabel: string })[];
  /** True when no bucket of the period has a token. */
  isEmpty: boolean;
  /** Dots help when there are few buckets. */
  showPoints: boolean;
}

/** The bucket the tokens chart uses for a period: hours over a day, days otherwise. */
export function tokenBucketFor(period: Period): TimeUnit {
  return period === 'LAST_24H' || period === 'LAST_1H' ? 'HOUR' : 'DAY';
}

/** The token series the chart draws, in order, with their fixed colours. */
export const TOKEN_SERIES: readonly { metric: Metric; label: string; color: string }[] = [
  { metric: 'INPUT_TOKENS', label: 'Input tokens', color: '#6366f1' },
  { metric: 'OUTPUT_TOKENS', label: 'Output tokens', color: '#14b8a6' },
];

/** Options of prepareTokensOverTime. */
export interface TokensOverTimeOptions {
  period: Period;
  now: Date;
  timeZone: string;
}

/**
 * Input and output tokens per bucket over the whole period. A bucket with no calls used no
 * tokens, so it is a zero on the line, not a gap.
 */
export function prepareTokensOverTime(rows: readonly TokenRow[], { period, now, timeZone }: TokensOverTimeOptions): TokensOverTimeChart {
  const unit = tokenBucketFor(period);
  const axis = buildTimeAxis({ unit, from: new Date(now.getTime() - periodOption(period).lengthMs), to: now, timeZone });
  const series = TOKEN_SERIES.map(({ metric, label, color }) => {
    const points = rows.flatMap((row) => {
      const value = row.values.find((v) => v.metric === metric)?.value;
      return row.bucket && value !== undefined ? [{ bucket: new Date(row.bucket), value }] : [];
    });
    const values = densify(axis, points, 'zero');
    const total = values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    return { id: metric, label, color, values, total, totalLabel: formatTokens(total) };
  });
  return {
    axis,
    series,
    isEmpty: series.every((line) => line.total === 0),
    showPoints: axis.slots.length <= 31,
  };
}
