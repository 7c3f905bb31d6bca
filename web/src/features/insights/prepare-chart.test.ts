import { createSeriesColors, OTHER_COLOR } from '../../components/series-colors';
import type { ChartType, Metric } from '../../gql/graphql';
import { bucketLabels, formatterFor, MAX_SERIES, OTHER_ID, prepareChart, type ChartAnswer } from './prepare-chart';

const answer = (chartType: ChartType, interpretedAs: Record<string, unknown>, series: { id: string; label?: string; metric: Metric; points: [string, number][] }[]): ChartAnswer => ({
  __typename: 'ChartResult',
  title: 'A chart',
  chartType,
  summary: 'A summary.',
  explanation: 'An explanation.',
  interpretedAs: { timezone: 'UTC', ...interpretedAs },
  series: series.map((s) => ({
    __typename: 'ChartSeries',
    label: s.label ?? s.id,
    metric: s.metric,
    points: s.points.map(([x, y]) => ({ __typename: 'ChartPoint', x, y })),
  })),
});

const days = ['2026-06-15T00:00:00.000Z', '2026-06-16T00:00:00.000Z', '2026-06-17T00:00:00.000Z'];

describe('prepareChart', () => {
  it('is empty when no series has a point, rather than a chart of nothing', () => {
    const chart = prepareChart(answer('BAR', { metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }, [{ id: 'TOTAL_COST', metric: 'TOTAL_COST', points: [] }]), createSeriesColors());
    expect(chart).toEqual({ kind: 'empty' });
  });

  it('draws groups as bars in the answer order, each value in dollars and each model in its shared colour', () => {
    const colors = createSeriesColors();
    const expected = colors.colorFor('gpt-4o');
    const chart = prepareChart(
      answer('BAR', { metrics: ['TOTAL_COST'], groupBy: ['MODEL'] }, [{ id: 'TOTAL_COST', metric: 'TOTAL_COST', points: [['gpt-4o', 6], ['claude', 0.0042]] }]),
      colors,
    );
    expect(chart.kind).toBe('bars');
    if (chart.kind !== 'bars') return;
    expect(chart.groups).toHaveLength(1);
    expect(chart.groups[0].title).toBeNull();
    expect(chart.groups[0].bars.map((b) => [b.label, b.valueLabel])).toEqual([
      ['gpt-4o', '$6.00'],
      ['claude', '$0.0042'],
    ]);
    expect(chart.groups[0].bars[0].color).toBe(expected);
  });

  it('gives each metric its own set of bars when several are asked for', () => {
    const chart = prepareChart(
      answer('BAR', { metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: ['MODEL'] }, [
        { id: 'TOTAL_COST', label: 'Cost', metric: 'TOTAL_COST', points: [['a', 1]] },
        { id: 'REQUESTS', label: 'Requests', metric: 'REQUESTS', points: [['a', 1200]] },
      ]),
      createSeriesColors(),
    );
    expect(chart.kind === 'bars' && chart.groups.map((g) => [g.title, g.bars[0].valueLabel])).toEqual([
      ['Cost', '$1.00'],
      ['Requests', '1,200'],
    ]);
  });

  it('lays a time series on an axis of its buckets, labelled in the query timezone', () => {
    const chart = prepareChart(
      answer('LINE', { metrics: ['TOTAL_TOKENS'], bucket: 'DAY', timezone: 'UTC' }, [{ id: 'TOTAL_TOKENS', label: 'Tokens', metric: 'TOTAL_TOKENS', points: days.map((d, i) => [d, (i + 1) * 1500]) }]),
      createSeriesColors(),
    );
    expect(chart.kind).toBe('time');
    if (chart.kind !== 'time') return;
    expect(chart.axis.slots.map((s) => s.tickLabel)).toEqual(['15 Jun', '16 Jun', '17 Jun']);
    expect(chart.axis.slots[2].fullLabel).toBe('Wed 17 Jun 2026');
    expect(chart.series[0].values).toEqual([1500, 3000, 4500]);
    expect(chart.series[0].totalLabel).toBe('9.0k');
    expect(chart.formatValue(2500)).toBe('2.5k');
  });

  it('leaves a gap, not a zero, where an average has no bucket', () => {
    const chart = prepareChart(
      answer('LINE', { metrics: ['P95_LATENCY_MS'], bucket: 'DAY', groupBy: ['MODEL'] }, [
        { id: 'a', metric: 'P95_LATENCY_MS', points: [[days[0], 800], [days[2], 900]] },
        { id: 'b', metric: 'P95_LATENCY_MS', points: [[days[1], 400]] },
      ]),
      createSeriesColors(),
    );
    expect(chart.kind === 'time' && chart.series.map((s) => s.values)).toEqual([
      [800, null, 900],
      [null, 400, null],
    ]);
  });

  it(`stacks at most ${MAX_SERIES} bands, summing the rest as one grey band`, () => {
    const groups = Array.from({ length: 11 }, (_, i) => ({ id: `m${i}`, metric: 'TOTAL_COST' as Metric, points: days.map((d): [string, number] => [d, 11 - i]) }));
    const chart = prepareChart(answer('AREA', { metrics: ['TOTAL_COST'], bucket: 'DAY', groupBy: ['MODEL'] }, groups), createSeriesColors());
    if (chart.kind !== 'time') throw new Error(chart.kind);
    expect(chart.series).toHaveLength(MAX_SERIES);
    const other = chart.series[MAX_SERIES - 1];
    expect(other).toMatchObject({ id: OTHER_ID, label: '4 others', color: OTHER_COLOR });
    expect(other.values).toEqual([4 + 3 + 2 + 1, 10, 10]);
    expect(chart.totals).toEqual([66, 66, 66]);
    expect(chart.caption).toBe('7 of 11 series; the other 4 are summed as one');
  });

  it('makes slices with their share of the whole, largest first, for a pie', () => {
    const chart = prepareChart(
      answer('PIE', { metrics: ['REQUESTS'], groupBy: ['PROVIDER'] }, [{ id: 'REQUESTS', metric: 'REQUESTS', points: [['google', 1], ['openai', 3], ['anthropic', 2]] }]),
      createSeriesColors(),
    );
    expect(chart.kind === 'pie' && chart.slices.map((s) => [s.label, s.valueLabel, s.share])).toEqual([
      ['openai', '3', '50.0%'],
      ['anthropic', '2', '33.3%'],
      ['google', '1', '16.7%'],
    ]);
  });

  it('takes each group total as a slice when groups over time are drawn as a pie', () => {
    const chart = prepareChart(
      answer('PIE', { metrics: ['TOTAL_COST'], bucket: 'DAY', groupBy: ['MODEL'] }, [
        { id: 'a', metric: 'TOTAL_COST', points: [[days[0], 1], [days[1], 2]] },
        { id: 'b', metric: 'TOTAL_COST', points: [[days[0], 1]] },
      ]),
      createSeriesColors(),
    );
    expect(chart.kind === 'pie' && chart.slices.map((s) => [s.id, s.value])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
  });
});

describe('bucketLabels', () => {
  it.each([
    ['HOUR', '2026-06-17T13:00:00.000Z', 'Europe/Berlin', '15:00', 'Wed 17 Jun, 15:00'],
    ['DAY', '2026-06-16T22:00:00.000Z', 'Europe/Berlin', '17 Jun', 'Wed 17 Jun 2026'],
    ['WEEK', '2026-06-15T00:00:00.000Z', 'UTC', '15 Jun', 'Week of 15 Jun 2026'],
    ['MONTH', '2026-06-01T00:00:00.000Z', 'UTC', 'Jun', 'Jun 2026'],
    ['MONTH', '2026-01-01T00:00:00.000Z', 'UTC', 'Jan 2026', 'Jan 2026'],
  ] as const)('writes a %s bucket starting %s in %s', (bucket, iso, zone, tick, full) => {
    expect(bucketLabels(iso, bucket, zone)).toEqual({ tickLabel: tick, fullLabel: full });
  });
});

describe('formatterFor', () => {
  it.each([
    ['TOTAL_COST', 12.5, '$12.50'],
    ['TOTAL_TOKENS', 2_400_000, '2.4M'],
    ['P95_LATENCY_MS', 840, '840 ms'],
    ['ERROR_RATE', 0.023, '2.3%'],
    ['REQUESTS', 12345, '12,345'],
  ] as const)('writes %s %p as %s', (metric, value, text) => {
    expect(formatterFor(metric)(value)).toBe(text);
  });
});
