import { prepareTokensOverTime, tokenBucketFor, type TokenRow } from './prepare-tokens-over-time';

const row = (bucket: string, input: number, output: number): TokenRow => ({
  __typename: 'MetricsRow',
  bucket,
  values: [
    { __typename: 'MetricValue', metric: 'INPUT_TOKENS', value: input },
    { __typename: 'MetricValue', metric: 'OUTPUT_TOKENS', value: output },
  ],
});

const now = new Date('2025-05-03T15:20:00Z');

describe('prepareTokensOverTime', () => {
  it('draws every day of the period, a day without calls as zero tokens', () => {
    const chart = prepareTokensOverTime([row('2025-04-28T00:00:00Z', 1200, 300), row('2025-05-03T00:00:00Z', 800, 100)], {
      period: 'LAST_7D',
      now,
      timeZone: 'UTC',
    });
    expect(chart.axis.slots.map((slot) => slot.key)).toHaveLength(8);
    expect(chart.series.map((line) => line.values)).toEqual([
      [0, 0, 1200, 0, 0, 0, 0, 800],
      [0, 0, 300, 0, 0, 0, 0, 100],
    ]);
  });

  it('totals each series for the legend', () => {
    const chart = prepareTokensOverTime([row('2025-05-01T00:00:00Z', 1_500_000, 20_000), row('2025-05-02T00:00:00Z', 500_000, 0)], {
      period: 'LAST_7D',
      now,
      timeZone: 'UTC',
    });
    expect(chart.series.map((line) => [line.label, line.totalLabel])).toEqual([
      ['Input tokens', '2.0M'],
      ['Output tokens', '20k'],
    ]);
  });

  it('reads buckets in the viewer time zone', () => {
    // Midnight in New York is 04:00 UTC in May.
    const chart = prepareTokensOverTime([row('2025-05-02T04:00:00Z', 10, 1)], { period: 'LAST_7D', now, timeZone: 'America/New_York' });
    const index = chart.axis.slots.findIndex((slot) => slot.key === '2025-05-02');
    expect(chart.series[0].values[index]).toBe(10);
  });

  it('is empty when no bucket has a token', () => {
    expect(prepareTokensOverTime([], { period: 'LAST_30D', now, timeZone: 'UTC' }).isEmpty).toBe(true);
    expect(prepareTokensOverTime([row('2025-05-01T00:00:00Z', 0, 0)], { period: 'LAST_30D', now, timeZone: 'UTC' }).isEmpty).toBe(true);
  });

  it.each([
    ['LAST_24H', 'HOUR', 25],
    ['LAST_7D', 'DAY', 8],
    ['LAST_30D', 'DAY', 31],
    ['LAST_90D', 'DAY', 91],
  ] as const)('uses %s buckets of %s (%i of them)', (period, unit, count) => {
    expect(tokenBucketFor(period)).toBe(unit);
    expect(prepareTokensOverTime([], { period, now, timeZone: 'UTC' }).axis.slots).toHaveLength(count);
  });
});
