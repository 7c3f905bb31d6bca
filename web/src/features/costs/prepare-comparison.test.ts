import { createSeriesColors } from '../../components/series-colors';
import { defaultComparedModels, formatCostPerCall, prepareComparisonRadar, prepareComparisonTable, toggleComparedModel, type ComparisonItem } from './prepare-comparison';

const item = (modelId: string, overrides: Partial<ComparisonItem> = {}): ComparisonItem => ({
  __typename: 'ModelComparisonItem',
  modelId,
  provider: 'openai',
  displayName: modelId.toUpperCase(),
  pricing: { __typename: 'ModelPricing', inputPerMTok: 2.5, outputPerMTok: 10, cacheReadPerMTok: 1.25 },
  contextWindow: 128_000,
  capabilities: ['vision', 'tools'],
  requests: 100,
  totalTokens: 50_000,
  totalCost: 2,
  avgCostPerRequest: 0.02,
  avgLatencyMs: 800,
  p95LatencyMs: 2000,
  errorRate: 0.01,
  ...overrides,
});

describe('toggleComparedModel', () => {
  it.each([
    [['a'], 'b', ['a', 'b'], false],
    [['a', 'b'], 'a', ['b'], false],
    [['a', 'b', 'c'], 'd', ['a', 'b', 'c', 'd'], false],
    [['a', 'b', 'c', 'd'], 'e', ['a', 'b', 'c', 'd'], true],
    [['a', 'b', 'c', 'd'], 'c', ['a', 'b', 'd'], false],
  ])('with %p selected, a click on %p selects %p (refused: %p)', (selected, modelId, expected, refused) => {
    expect(toggleComparedModel(selected, modelId)).toEqual({ selected: expected, refused });
  });
});

describe('defaultComparedModels', () => {
  it.each([
    [['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c']],
    [['a'], ['a']],
    [[], []],
  ])('starts from the costliest of %p: %p', (models, expected) => {
    expect(defaultComparedModels(models)).toEqual(expected);
  });
});

describe('prepareComparisonTable', () => {
  const cheap = item('mini', { pricing: { __typename: 'ModelPricing', inputPerMTok: 0.15, outputPerMTok: 0.6, cacheReadPerMTok: null }, avgLatencyMs: 400, contextWindow: 128_000 });
  const dear = item('large', { avgLatencyMs: 900, contextWindow: 200_000 });

  it('puts one column per model, in the order given, with its provider and colour', () => {
    const colors = createSeriesColors();
    const table = prepareComparisonTable([cheap, dear], colors);
    expect(table.columns).toEqual([
      { id: 'mini', label: 'MINI', detail: 'openai', color: colors.colorFor('mini') },
      { id: 'large', label: 'LARGE', detail: 'openai', color: colors.colorFor('large') },
    ]);
  });

  it.each([
    ['input-price', ['$0.15 / M', '$2.50 / M'], [true, false], 'lowest'],
    ['cache-price', ['–', '$1.25 / M'], [false, false], null],
    ['context', ['128k tokens', '200k tokens'], [false, true], 'highest'],
    ['avg-latency', ['400 ms', '900 ms'], [true, false], 'lowest'],
    ['error-rate', ['1.0%', '1.0%'], [false, false], null],
    ['requests', ['100', '100'], [false, false], null],
    ['capabilities', ['vision, tools', 'vision, tools'], [false, false], null],
  ])('row %s reads %p and marks the best cell %p (%s)', (rowId, texts, best, bestMeans) => {
    const row = prepareComparisonTable([cheap, dear], createSeriesColors()).rows.find((r) => r.id === rowId);
    expect(row?.cells.map((cell) => cell.text)).toEqual(texts);
    expect(row?.cells.map((cell) => cell.best)).toEqual(best);
    expect(row?.bestMeans).toBe(bestMeans);
  });

  it('shows no usage figures for a model without calls, so its zero latency never wins', () => {
    const idle = item('idle', { requests: 0, totalTokens: 0, totalCost: 0, avgCostPerRequest: 0, avgLatencyMs: 0, p95LatencyMs: 0, errorRate: 0 });
    const row = prepareComparisonTable([dear, idle], createSeriesColors()).rows.find((r) => r.id === 'avg-latency');
    expect(row?.cells).toEqual([
      { text: '900 ms', best: false },
      { text: '–', best: false },
    ]);
  });

  it('marks nothing when only one model is compared', () => {
    const table = prepareComparisonTable([cheap], createSeriesColors());
    expect(table.rows.flatMap((row) => row.cells).some((cell) => cell.best)).toBe(false);
  });
});

describe('formatCostPerCall', () => {
  it.each([
    [0.022351, '$0.0224'],
    [0.02, '$0.02'],
    [0.0004321, '$0.000432'],
    [0, '$0.00'],
    [12.5, '$12.50'],
  ])('writes %p as %p', (value, text) => {
    expect(formatCostPerCall(value)).toBe(text);
  });
});

describe('prepareComparisonRadar', () => {
  it('scales each axis to the largest value among the models, keeping the real figure for the tooltip', () => {
    const radar = prepareComparisonRadar(
      [item('a', { avgCostPerRequest: 0.02, avgLatencyMs: 400, errorRate: 0 }), item('b', { avgCostPerRequest: 0.08, avgLatencyMs: 1000, errorRate: 0 })],
      createSeriesColors(),
    );
    expect(radar.axes).toEqual(['Cost per call', 'Avg latency', 'P95 latency', 'Error rate', 'Requests', 'Context size']);
    expect(radar.series.map((s) => s.values)).toEqual([
      [25, 40, 100, 0, 100, 100],
      [100, 100, 100, 0, 100, 100],
    ]);
    expect(radar.series[0].texts.slice(0, 2)).toEqual(['$0.02', '400 ms']);
  });

  it('writes an unknown context window as "unknown" and scales it as 0', () => {
    const radar = prepareComparisonRadar([item('a', { contextWindow: null }), item('b', { contextWindow: 100_000 })], createSeriesColors());
    expect(radar.series[0].values[5]).toBe(0);
    expect(radar.series[0].texts[5]).toBe('unknown');
  });
});
