import { formatDollars } from '../../format';
import type { BudgetFieldsFragment, BudgetInput, BudgetWindow } from '../../gql/graphql';

/** A threshold's mark on a budget's bar. */
export interface ThresholdMark {
  /** Position on the bar, 0 to 100 (a threshold above the whole amount sits at the end). */
  pct: number;
  /** "80%" */
  label: string;
  crossed: boolean;
}

/** A budget in words, with its bar. */
export interface BudgetRow {
  id: string;
  /** "Whole workspace", "Agent support-bot", "Model gpt-4o". */
  target: string;
  /** "Daily budget of $50.00". */
  title: string;
  /** "$12.34 spent since Mon 3 May". */
  spentLabel: string;
  /** "24.7% used". */
  usedLabel: string;
  /** The bar's fill, 0 to 100. */
  barPct: number;
  marks: ThresholdMark[];
  state: 'ok' | 'warning' | 'over';
  /** In words, since the bar's colour only repeats it: "On track", "Past the 80% alert", "Over budget". */
  stateLabel: string;
}

const WINDOW_WORDS: Record<BudgetWindow, string> = { DAY: 'Daily', WEEK: 'Weekly', MONTH: 'Monthly' };

const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

/** Budgets as rows with bars and threshold marks; `agentNames` turns agent ids into names. */
export function prepareBudgetRows(
  budgets: readonly BudgetFieldsFragment[],
  { agentNames, timeZone }: { agentNames: ReadonlyMap<string, string>; timeZone: string },
): BudgetRow[] {
  const since = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' });
  return budgets.map((budget) => {
    const fraction = Number.isFinite(budget.spentFraction) ? budget.spentFraction : 0;
    const thresholds = [...budget.thresholds].sort((a, b) => a - b);
    const crossed = thresholds.filter((threshold) => fraction >= threshold);
    const state = fraction >= 1 ? 'over' : crossed.length > 0 ? 'warning' : 'ok';
    const target = budget.agentId
      ? `Agent ${agentNames.get(budget.agentId) ?? budget.agentId}`
      : budget.modelId
        ? `Model ${budget.modelId}`
        : 'Whole workspace';
    return {
      id: budget.id,
      target,
      title: `${WINDOW_WORDS[budget.window]} budget of ${formatDollars(budget.amount)}`,
      spentLabel: `${formatDollars(budget.spent)} spent since ${since.format(new Date(budget.windowStart))}`,
      usedLabel: `${percent(fraction)} used`,
      barPct: Math.max(0, Math.min(100, fraction * 100)),
      marks: thresholds.map((threshold) => ({ pct: Math.min(100, threshold * 100), label: percent(threshold), crossed: fraction >= threshold })),
      state,
      stateLabel: state === 'over' ? 'Over budget' : state === 'warning' ? `Past the ${percent(crossed[crossed.length - 1])} alert` : 'On track',
    };
  });
}

/** The budget form as typed: text fields, and the target as "" (workspace), "agent:<id>" or "model:<id>". */
export interface BudgetFormValues {
  amount: string;
  window: BudgetWindow;
  target: string;
  /** Percentages of the amount: "80, 90, 100". */
  thresholds: string;
}

/** The form's answer: the mutation's input, or a message per field that is wrong. */
export type BudgetFormResult = { ok: true; input: BudgetInput } | { ok: false; errors: Partial<Record<'amount' | 'thresholds', string>> };

/** The form's defaults: a monthly budget for the whole workspace, alerting at 80, 90 and 100%. */
export const EMPTY_BUDGET_FORM: BudgetFormValues = { amount: '', window: 'MONTH', target: '', thresholds: '80, 90, 100' };

/**
 * Reads the budget form as the gateway will check it: an amount above 0 dollars, and 1 to 10
 * thresholds, each a percentage above 0 and at most 1000 (sent as fractions: 80 -> 0.8).
 */
export function parseBudgetForm(values: BudgetFormValues): BudgetFormResult {
  const errors: Partial<Record<'amount' | 'thresholds', string>> = {};
  const amountText = values.amount.trim().replace(/^\$/, '').replace(/,/g, '');
  const amount = Number(amountText);
  if (amountText === '' || !Number.isFinite(amount) || amount <= 0) {
    errors.amount = `Enter an amount in dollars above 0, such as 50${amountText ? ` (got "${values.amount.trim()}")` : ''}`;
  }
  const parts = values.thresholds
    .split(/[,\s]+/)
    .map((part) => part.trim().replace(/%$/, ''))
    .filter((part) => part !== '');
  const numbers = parts.map(Number);
  const bad = parts.find((_part, index) => !Number.isFinite(numbers[index]) || numbers[index] <= 0 || numbers[index] > 1000);
  if (parts.length === 0 || parts.length > 10) {
    errors.thresholds = `Enter 1 to 10 percentages, such as 80, 90, 100 (got ${parts.length})`;
  } else if (bad !== undefined) {
    errors.thresholds = `Each threshold is a percentage above 0 and at most 1000, but got "${bad}"`;
  }
  if (errors.amount || errors.thresholds) return { ok: false, errors };
  const input: BudgetInput = {
    amount,
    window: values.window,
    thresholds: [...new Set(numbers.map((n) => Math.round(n * 100) / 10_000))].sort((a, b) => a - b),
  };
  if (values.target.startsWith('agent:')) input.agentId = values.target.slice('agent:'.length);
  if (values.target.startsWith('model:')) input.modelId = values.target.slice('model:'.length);
  return { ok: true, input };
}
