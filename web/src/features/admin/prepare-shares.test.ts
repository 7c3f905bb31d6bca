import { OTHER_COLOR } from '../../components/series-colors';
import { BYOK_COLORS, PLAN_COLORS, prepareByokSplit, preparePlanDistribution, type ByokSplit, type PlanCount } from './prepare-shares';

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
    const chart = preparePlanDistribution([plan('pro', 1), plan('free', 2), plan('enterprise', 1)]);
    expect(chart.slices.map((s) => [s.label, s.valueLabel, s.shareLabel])).toEqual([
      ['free', '2 workspaces', '50.0%'],
      ['enterprise', '1 workspace', '25.0%'],
      ['pro', '1 workspace', '25.0%'],
    ]);
    expect(chart.totalLabel).toBe('4 workspaces');
  });

  it('keeps a known plan on its own colour whatever else is drawn', () => {
    expect(preparePlanDistribution([plan('pro', 1)]).slices[0].color).toBe(PLAN_COLORS.pro);
    expect(preparePlanDistribution([plan('free', 5), plan('pro', 1), plan('custom', 2)]).slices.find((s) => s.id === 'pro')?.color).toBe(PLAN_COLORS.pro);
  });

  it('gives every slice its own colour, unknown plans included, and none of them the grey of "other"', () => {
    const names = ['free', 'pro', 'enterprise', 'team', 'trial', 'internal', 'startup', 'academic', 'partner'];
    const colors = preparePlanDistribution(names.map((name) => plan(name, 1))).slices.map((s) => s.color);
    expect(new Set(colors).size).toBe(names.length);
    expect(colors).not.toContain(OTHER_COLOR);
  });

  it('colours unknown plans by name, whatever order they arrive in', () => {
    const one = preparePlanDistribution([plan('startup', 1), plan('academic', 1)]).slices;
    const other = preparePlanDistribution([plan('academic', 1), plan('startup', 1)]).slices;
    expect(Object.fromEntries(one.map((s) => [s.id, s.color]))).toEqual(Object.fromEntries(other.map((s) => [s.id, s.color])));
  });

  it.each([
    ['no plans', []],
    ['plans without workspaces', [plan('pro', 0)]],
  ])('is empty with %s', (_, plans) => {
    expect(preparePlanDistribution(plans).isEmpty).toBe(true);
  });
});
