import type { LineChartSeries } from '../../components/charts/LineChart';
import { buildTimeAxis, densify, type TimeAxis } from '../../components/charts/time-axis';
import type { Period, TokensOverTimeQuery } from '../../gql/graphql';
import { formatTokens } from '../../format';
import { periodOption } from '../../period';
import { TOKEN_SERIES, tokenBucketFor } from './overview-queries';

export { TOKEN_SERIES, tokenBucketFor };

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
