import { createSeriesColors, OTHER_COLOR } from '../../components/series-colors';
import { dailyChartPeriod, dailyCostFromMetrics, dayAxis, OTHER_DAILY_ID, prepareDailyCost, type DailyCostData } from './prepare-daily-cost';

/** A day of llmDailyCostByModel: the date and each model's cost; the total is their sum, as the gateway sends it. */
const day = (date: string, costs: Record<string, number>) => ({
  __typename: 'DailyModelCosts' as const,
  date,
  total: Object.values(costs).reduce((sum, cost) => sum + cost, 0),
  costs: Object.entries(costs).map(([modelId, cost]) => ({ __typename: 'ModelCost' as const, modelId, cost })),
});

const data = (models: string[], series: ReturnType<typeof day>[]): DailyCostData => ({ __typename: 'DailyCostByModel', models, series });

describe('dailyChartPeriod', () => {
  it.each([
    ['LAST_1H', 'LAST_7D'],
    ['LAST_24H', 'LAST_7D'],
    ['LAST_7D', 'LAST_7D'],
    ['LAST_30D', 'LAST_30D'],
    ['LAST_90D', 'LAST_90D'],
  ] as const)('draws days for the page period %s over %s', (page, chart) => {
    expect(dailyChartPeriod(page)).toBe(chart);
  });
});

describe('dayAxis', () => {
  it('keeps the gateway days as they are and labels them without moving them to another zone', () => {
    const axis = dayAxis(['2025-05-02', '2025-05-03'], 'Pacific/Auckland');
    expect(axis.slots).toEqual([
      { key: '2025-05-02', tickLabel: '2 May', fullLabel: 'Fri 2 May' },
      { key: '2025-05-03', tickLabel: '3 May', fullLabel: 'Sat 3 May' },
    ]);
    expect(axis.timeZone).toBe('Pacific/Auckland');
  });

  it('labels at most maxTicks days, always the latest', () => {
    const dates = Array.from({ length: 31 }, (_, i) => `2025-05-${String(i + 1).padStart(2, '0')}`);
    const axis = dayAxis(dates, 'UTC', 8);
    expect(axis.tickKeys.length).toBeLessThanOrEqual(8);
    expect(axis.tickKeys.at(-1)).toBe('2025-05-31');
  });
});

describe('prepareDailyCost', () => {
  const options = { timeZone: 'UTC', colors: createSeriesColors() };

  it('stacks the costliest model at the bottom and keeps quiet days as zeros', () => {
    const chart = prepareDailyCost(
      data(['gpt-4o', 'claude'], [day('2025-05-01', { 'gpt-4o': 2, claude: 1 }), day('2025-05-02', { 'gpt-4o': 0, claude: 0 }), day('2025-05-03', { 'gpt-4o': 3, claude: 0.5 })]),
      options,
    );
    expect(chart.series.map((s) => [s.id, s.values, s.totalLabel])).toEqual([
      ['gpt-4o', [2, 0, 3], '$5.00'],
      ['claude', [1, 0, 0.5], '$1.50'],
    ]);
    expect(chart.dayTotals).toEqual([3, 0, 3.5]);
    expect(chart.totalLabel).toBe('$6.50');
    expect(chart.emptyReason).toBeNull();
  });

  it('gives a model the colour the shared allocator gives it, so it matches every other chart', () => {
    const colors = createSeriesColors();
    const expected = colors.colorFor('claude');
    const chart = prepareDailyCost(data(['gpt-4o', 'claude'], [day('2025-05-01', { 'gpt-4o': 2, claude: 1 })]), { timeZone: 'UTC', colors });
    expect(chart.series.find((s) => s.id === 'claude')?.color).toBe(expected);
  });

  it('leaves out models that cost nothing over the whole period', () => {
    const chart = prepareDailyCost(data(['gpt-4o', 'local-llm'], [day('2025-05-01', { 'gpt-4o': 2, 'local-llm': 0 })]), options);
    expect(chart.series.map((s) => s.id)).toEqual(['gpt-4o']);
  });

  it('stacks the models past the top as one grey band and says how many are shown of how many', () => {
    const models = ['a', 'b', 'c', 'd', 'e'];
    const chart = prepareDailyCost(
      data(models, [day('2025-05-01', { a: 5, b: 4, c: 3, d: 2, e: 1 }), day('2025-05-02', { a: 1, b: 1, c: 1, d: 1, e: 1 })]),
      { ...options, top: 3 },
    );
    expect(chart.series.map((s) => s.id)).toEqual(['a', 'b', OTHER_DAILY_ID]);
    const other = chart.series[2];
    expect(other).toMatchObject({ label: '3 other models', color: OTHER_COLOR, values: [6, 3], total: 9 });
    expect(chart.caption).toBe('2 of 5 models; the other 3 are stacked as one band');
  });

  it.each([
    ['no model at all', [], { }, 'no-calls'],
    ['models that cost nothing', ['local-llm'], { 'local-llm': 0 }, 'no-cost'],
    ['a priced model', ['gpt-4o'], { 'gpt-4o': 0.01 }, null],
  ] as const)('says why it is empty for %s', (_case, models, costs, reason) => {
    expect(prepareDailyCost(data([...models], [day('2025-05-01', { ...costs })]), options).emptyReason).toBe(reason);
  });

  it.each([
    [7, true],
    [31, false],
  ])('draws dots with %p days: %p', (days, showPoints) => {
    const series = Array.from({ length: days }, (_, i) => day(`2025-05-${String(i + 1).padStart(2, '0')}`, { m: 1 }));
    expect(prepareDailyCost(data(['m'], series), options).showPoints).toBe(showPoints);
  });
});

describe('dailyCostFromMetrics', () => {
  it('puts each model’s cost on its day in the zone the buckets were asked in, every day listed, the costliest model first', () => {
    const cost = (bucket: string, model: string, value: number) => ({ bucket, dimensions: [{ dimension: 'MODEL', value: model }], values: [{ metric: 'TOTAL_COST', value }] });
    // Midnight in Berlin is 23:00 UTC the day before.
    const data = dailyCostFromMetrics(
      ['2026-03-01', '2026-03-02', '2026-03-03'],
      [cost('2026-02-28T23:00:00.000Z', 'mini', 1), cost('2026-03-02T23:00:00.000Z', 'gpt-4o', 4), cost('2026-03-02T23:00:00.000Z', 'mini', 0.5), cost('2026-03-09T23:00:00.000Z', 'mini', 9)],
      'Europe/Berlin',
    );
    expect(data.models).toEqual(['gpt-4o', 'mini']);
    expect(data.series.map((entry) => [entry.date, entry.total, entry.costs.map((c) => c.cost)])).toEqual([
      ['2026-03-01', 1, [0, 1]],
      ['2026-03-02', 0, [0, 0]],
      ['2026-03-03', 4.5, [4, 0.5]],
    ]);
  });
});
