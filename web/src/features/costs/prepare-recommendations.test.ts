import { prepareRecommendations, type RecommendationData } from './prepare-recommendations';

const recommendation = (overrides: Partial<RecommendationData>): RecommendationData => ({
  __typename: 'Recommendation',
  id: 'SWITCH_MODEL:gpt-4o',
  kind: 'SWITCH_MODEL',
  impact: 'HIGH',
  title: 'Use gpt-4o-mini for short answers',
  description: 'Most gpt-4o calls answer in under 200 tokens.',
  estimatedMonthlySavings: 42.5,
  modelId: 'gpt-4o',
  agentId: null,
  ...overrides,
});

describe('prepareRecommendations', () => {
  it('keeps the gateway order and writes impact, kind and saving in words', () => {
    const list = prepareRecommendations([
      recommendation({}),
      recommendation({ id: 'REDUCE_LATENCY:claude', kind: 'REDUCE_LATENCY', impact: 'LOW', estimatedMonthlySavings: null }),
    ]);
    expect(list.items.map((item) => [item.id, item.impactLabel, item.kindLabel, item.savingsLabel])).toEqual([
      ['SWITCH_MODEL:gpt-4o', 'High impact', 'Switch model', 'Saves about $42.50 a month'],
      ['REDUCE_LATENCY:claude', 'Low impact', 'Reduce latency', null],
    ]);
  });

  it.each([
    [[42.5, 7.5], 'Up to $50.00 a month in all'],
    [[null, null], null],
    [[0, 3], 'Up to $3.00 a month in all'],
  ])('sums the savings %p as %p', (savings, label) => {
    const list = prepareRecommendations(savings.map((estimatedMonthlySavings, i) => recommendation({ id: `r${i}`, estimatedMonthlySavings })));
    expect(list.totalSavingsLabel).toBe(label);
  });
});
