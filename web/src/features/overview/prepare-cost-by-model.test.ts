import { createSeriesColors, OTHER_COLOR } from '../../components/series-colors';
import { OTHER_MODELS_ID, prepareCostByModel, type ModelUsage } from './prepare-cost-by-model';

const usage = (key: string, totalCost: number, requests = 1, totalTokens = 1000): ModelUsage => ({ key, label: key, totalCost, requests, totalTokens });

describe('prepareCostByModel', () => {
  it('puts the costliest model first and writes each cost in dollars', () => {
    const chart = prepareCostByModel([usage('gpt-4o-mini', 0.0042), usage('gpt-4o', 12.5), usage('claude', 3)], createSeriesColors());
    expect(chart.bars.map((bar) => [bar.label, bar.valueLabel])).toEqual([
      ['gpt-4o', '$12.50'],
      ['claude', '$3.00'],
      ['gpt-4o-mini', '$0.0042'],
    ]);
    expect(chart.totalLabel).toBe('$15.50');
    expect(chart.caption).toBeNull();
  });

  it('shows the top models and sums the rest as one grey bar, saying how many of how many', () => {
    const groups = Array.from({ length: 23 }, (_, i) => usage(`model-${String(i).padStart(2, '0')}`, 100 - i, 2));
    const chart = prepareCostByModel(groups, createSeriesColors(), 8);
    expect(chart.bars).toHaveLength(8);
    expect(chart.caption).toBe('7 of 23 models; the other 16 are summed as one bar');
    const other = chart.bars[7];
    expect(other).toMatchObject({ id: OTHER_MODELS_ID, label: '16 other models', color: OTHER_COLOR });
    expect(other.value).toBe(groups.slice(7).reduce((sum, group) => sum + group.totalCost, 0));
    expect(chart.totalCost).toBe(groups.reduce((sum, group) => sum + group.totalCost, 0));
  });

  it('gives every model its bar when there are exactly as many as the top', () => {
    const chart = prepareCostByModel(Array.from({ length: 8 }, (_, i) => usage(`m${i}`, i + 1)), createSeriesColors(), 8);
    expect(chart.bars.some((bar) => bar.id === OTHER_MODELS_ID)).toBe(false);
    expect(chart.caption).toBeNull();
  });

  it('colours a model as the shared allocator does, so it matches other charts', () => {
    const colors = createSeriesColors();
    const expected = colors.colorFor('gpt-4o');
    expect(prepareCostByModel([usage('claude', 5), usage('gpt-4o', 1)], colors).bars[1].color).toBe(expected);
  });

  it('describes calls, tokens and cost of each model in its tooltip line', () => {
    const chart = prepareCostByModel([usage('gpt-4o', 2, 1204, 3_200_000)], createSeriesColors());
    expect(chart.bars[0].detail).toBe('1,204 calls · 3.2M tokens');
  });

  it.each([
    ['no models at all', [], 'no-calls'],
    ['calls with no price', [usage('local-llm', 0, 40)], 'no-cost'],
    ['priced calls', [usage('gpt-4o', 0.01)], null],
  ] as const)('says why it is empty for %s', (_case, groups, reason) => {
    expect(prepareCostByModel(groups, createSeriesColors()).emptyReason).toBe(reason);
  });
});
