import { createSeriesColors } from '../../components/series-colors';
import { BYOK_COLORS, prepareByokSplit, preparePlanDistribution, type ByokSplit, type PlanCount } from './prepare-shares';

const split = (byokCost: number, platformCost: number, byokRequests: number, platformRequests: number): ByokSplit => ({
  __typename: 'ByokSplit',
  byokCost,
  platformCost,
  byokRequests,
  platformRequests,
});
const plan = (name: string, count: number): PlanCount => ({ __typename: 'PlanCount', plan: name, count });

describe('prepareByokSplit', () => {
  it('writes each side with its cost, share and calls, platform first', () => {
    const chart = prepareByokSplit(split(25, 75, 10, 1))
    expect(chart.slices.map((s) => [s.label, s.valueLabel, s.shareLabel, s.detail, s.color])).toEqual([
      ['Platform keys', '$75.00', '75.0%', '1 call', BYOK_COLORS.platform],
      ['BYOK (own keys)', '$25.00', '25.0%', '10 calls', BYOK_COLORS.byok],
    ]);
    expect(chart.totalLabel).toBe('$100.00');
  });

  it.each([
    ['no calls at all', split(0, 0, 0, 0), 'no-calls'],
    ['calls without a known price', split(0, 0, 4, 9), 'no-cost'],
    ['cost on one side only', split(0, 12, 0, 3), null],
    ['cost on both sides', split(1, 2, 3, 4), null],
  ] as const)('with %s, its empty reason is %p', (_, input, reason) => {
    expect(prepareByokSplit(input).emptyReason).toBe(reason);
  });
});

describe('preparePlanDistribution', () => {
  it('puts the most common plan first and counts workspaces in words', () => {
    const chart = preparePlanDistribution([plan('pro', 1), plan('free', 2), plan('enterprise', 1)], createSeriesColors());
    expect(chart.slices.map((s) => [s.label, s.valueLabel, s.shareLabel])).toEqual([
      ['free', '2 workspaces', '50.0%'],
      ['enterprise', '1 workspace', '25.0%'],
      ['pro', '1 workspace', '25.0%'],
    ]);
    expect(chart.totalLabel).toBe('4 workspaces');
  });

  it('keeps a plan on one colour whatever else is drawn', () => {
    const colors = createSeriesColors();
    const alone = preparePlanDistribution([plan('pro', 1)], colors).slices[0].color;
    const together = preparePlanDistribution([plan('free', 5), plan('pro', 1)], colors).slices.find((s) => s.id === 'pro')?.color;
    expect(together).toBe(alone);
  });

  it.each([
    ['no plans', []],
    ['plans without workspaces', [plan('pro', 0)]],
  ])('is empty with %s', (_, plans) => {
    expect(preparePlanDistribution(plans, createSeriesColors()).isEmpty).toBe(true);
  });
});
