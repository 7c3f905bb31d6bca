import type { BudgetFieldsFragment } from '../../gql/graphql';
import { EMPTY_BUDGET_FORM, parseBudgetForm, prepareBudgetRows } from './prepare-budgets';

const budget = (overrides: Partial<BudgetFieldsFragment> = {}): BudgetFieldsFragment => ({
  __typename: 'Budget',
  id: 'b1',
  amount: 50,
  window: 'MONTH',
  agentId: null,
  modelId: null,
  thresholds: [0.8, 0.9, 1],
  spent: 12.34,
  spentFraction: 0.2468,
  windowStart: '2025-05-01T00:00:00Z',
  ...overrides,
});

const options = { agentNames: new Map([['agent-1', 'support-bot']]), timeZone: 'UTC' };

describe('prepareBudgetRows', () => {
  it('writes a budget in words with its bar and threshold marks', () => {
    expect(prepareBudgetRows([budget()], options)[0]).toEqual({
      id: 'b1',
      target: 'Whole workspace',
      title: 'Monthly budget of $50.00',
      spentLabel: '$12.34 spent since Thu 1 May',
      usedLabel: '24.7% used',
      barPct: 24.68,
      marks: [
        { pct: 80, label: '80%', crossed: false },
        { pct: 90, label: '90%', crossed: false },
        { pct: 100, label: '100%', crossed: false },
      ],
      state: 'ok',
      stateLabel: 'On track',
    });
  });

  it.each([
    [0.5, 'ok', 'On track'],
    [0.85, 'warning', 'Past the 80% alert'],
    [0.95, 'warning', 'Past the 90% alert'],
    [1, 'over', 'Over budget'],
    [1.7, 'over', 'Over budget'],
  ] as const)('at %p of the amount is %s: "%s"', (spentFraction, state, stateLabel) => {
    expect(prepareBudgetRows([budget({ spentFraction })], options)[0]).toMatchObject({ state, stateLabel });
  });

  it('fills the bar at most to its end when spending passes the amount', () => {
    expect(prepareBudgetRows([budget({ spentFraction: 1.7 })], options)[0].barPct).toBe(100);
  });

  it.each([
    [{ agentId: 'agent-1' }, 'Agent support-bot'],
    [{ agentId: 'agent-9' }, 'Agent agent-9'],
    [{ modelId: 'gpt-4o' }, 'Model gpt-4o'],
  ])('names the target of %o as "%s"', (overrides, target) => {
    expect(prepareBudgetRows([budget(overrides)], options)[0].target).toBe(target);
  });

  it('gives the window start as a day in the viewer zone', () => {
    const row = prepareBudgetRows([budget({ window: 'DAY', windowStart: '2025-05-03T22:00:00Z' })], { ...options, timeZone: 'Europe/Berlin' })[0];
    expect(row.spentLabel).toBe('$12.34 spent since Sun 4 May');
    expect(row.title).toBe('Daily budget of $50.00');
  });
});

describe('parseBudgetForm', () => {
  it('turns percentages into sorted fractions and the target into an agent or model id', () => {
    expect(parseBudgetForm({ amount: '$1,200', window: 'WEEK', target: 'agent:agent-1', thresholds: '100, 75%, 50' })).toEqual({
      ok: true,
      input: { amount: 1200, window: 'WEEK', thresholds: [0.5, 0.75, 1], agentId: 'agent-1' },
    });
    expect(parseBudgetForm({ ...EMPTY_BUDGET_FORM, amount: '50', target: 'model:gpt-4o' })).toEqual({
      ok: true,
      input: { amount: 50, window: 'MONTH', thresholds: [0.8, 0.9, 1], modelId: 'gpt-4o' },
    });
  });

  it.each([
    ['', 'Enter an amount in dollars above 0, such as 50'],
    ['0', 'Enter an amount in dollars above 0, such as 50 (got "0")'],
    ['ten', 'Enter an amount in dollars above 0, such as 50 (got "ten")'],
  ])('refuses the amount %p: "%s"', (amount, message) => {
    expect(parseBudgetForm({ ...EMPTY_BUDGET_FORM, amount })).toEqual({ ok: false, errors: { amount: message } });
  });

  it.each([
    ['', 'Enter 1 to 10 percentages, such as 80, 90, 100 (got 0)'],
    ['1 2 3 4 5 6 7 8 9 10 11', 'Enter 1 to 10 percentages, such as 80, 90, 100 (got 11)'],
    ['80, lots', 'Each threshold is a percentage above 0 and at most 1000, but got "lots"'],
    ['0, 50', 'Each threshold is a percentage above 0 and at most 1000, but got "0"'],
    ['2000', 'Each threshold is a percentage above 0 and at most 1000, but got "2000"'],
  ])('refuses the thresholds %p: "%s"', (thresholds, message) => {
    expect(parseBudgetForm({ ...EMPTY_BUDGET_FORM, amount: '10', thresholds })).toEqual({ ok: false, errors: { thresholds: message } });
  });
});
