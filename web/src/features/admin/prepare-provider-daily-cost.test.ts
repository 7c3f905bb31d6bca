import { createSeriesColors, OTHER_COLOR } from '../../components/series-colors';
import { OTHER_PROVIDERS_ID, prepareProviderDailyCost, type ProviderDayCost } from './prepare-provider-daily-cost';

const cost = (date: string, provider: string, amount: number): ProviderDayCost => ({ __typename: 'ProviderDailyCost', date, provider, cost: amount });
const now = new Date('2025-05-03T15:20:00Z');
const options = (top?: number) => ({ period: 'LAST_7D' as const, now, colors: createSeriesColors(), top });

describe('prepareProviderDailyCost', () => {
  it('draws every UTC day of the period, a day without calls as zero', () => {
    const chart = prepareProviderDailyCost([cost('2025-04-28', 'openai', 2), cost('2025-05-03', 'openai', 1.5)], options());
    expect(chart.axis.slots.map((slot) => slot.key)).toEqual([
      '2025-04-26',
      '2025-04-27',
      '2025-04-28',
      '2025-04-29',
      '2025-04-30',
      '2025-05-01',
      '2025-05-02',
      '2025-05-03',
    ]);
    expect(chart.series[0].values).toEqual([0, 0, 2, 0, 0, 0, 0, 1.5]);
  });

  it('stacks the costliest provider at the bottom and totals every day', () => {
    const chart = prepareProviderDailyCost(
      [cost('2025-05-02', 'anthropic', 1), cost('2025-05-02', 'openai', 3), cost('2025-05-03', 'anthropic', 0.5), cost('2025-05-03', 'google', 4)],
      options(),
    );
    expect(chart.series.map((band) => [band.label, band.totalLabel])).toEqual([
      ['google', '$4.00'],
      ['openai', '$3.00'],
      ['anthropic', '$1.50'],
    ]);
    expect(chart.dayTotals.slice(-2)).toEqual([4, 4.5]);
    expect(chart.totalLabel).toBe('$8.50');
  });

  it.each([
    [3, 4, '2 of 4 providers; the other 2 are stacked as one band', 3],
    [4, 4, null, 4],
    [6, 4, null, 4],
  ])('with top %i of %i providers, captions %p and draws %i bands', (top, providers, caption, bands) => {
    const rows = Array.from({ length: providers }, (_, index) => cost('2025-05-01', `provider-${index}`, providers - index));
    const chart = prepareProviderDailyCost(rows, options(top));
    expect(chart.caption).toBe(caption);
    expect(chart.series).toHaveLength(bands);
  });

  it('stacks the providers past the top as one grey band', () => {
    const rows = ['a', 'b', 'c', 'd'].map((provider, index) => cost('2025-05-01', provider, 4 - index));
    const other = prepareProviderDailyCost(rows, options(3)).series.at(-1);
    expect(other).toMatchObject({ id: OTHER_PROVIDERS_ID, label: '2 other providers', color: OTHER_COLOR, total: 3 });
  });

  it('gives a provider the same colour as on every other chart', () => {
    const colors = createSeriesColors();
    const expected = colors.colorFor('openai');
    const chart = prepareProviderDailyCost([cost('2025-05-01', 'anthropic', 9), cost('2025-05-01', 'openai', 1)], { period: 'LAST_7D', now, colors });
    expect(chart.series.find((band) => band.id === 'openai')?.color).toBe(expected);
  });

  it.each([
    ['no rows', []],
    ['only zero costs', [cost('2025-05-01', 'openai', 0)]],
    ['only days outside the period', [cost('2025-01-01', 'openai', 5)]],
  ])('is empty with %s', (_, rows) => {
    expect(prepareProviderDailyCost(rows, options()).isEmpty).toBe(true);
  });
});
