import type { DonutSlice } from '../../components/charts/DonutChart';
import { SERIES_PALETTE } from '../../components/series-colors';
import { formatCount, formatDollars, formatPercent } from '../../format';
import type { AdminDashboardQuery } from '../../gql/graphql';

/** adminDashboard.byokSplit. */
export type ByokSplit = AdminDashboardQuery['adminDashboard']['byokSplit'];
/** adminDashboard.planDistribution. */
export type PlanCount = AdminDashboardQuery['adminDashboard']['planDistribution'][number];

/** A slice with the line the legend shows under its name. */
export interface ShareSlice extends DonutSlice {
  /** "1,204 calls", "2 workspaces". */
  detail: string;
}

/** The BYOK vs platform donut, ready to draw. */
export interface ByokChart {
  slices: ShareSlice[];
  totalLabel: string;
  /** Why there is nothing to draw: no calls at all, or calls with no known cost; null when there is. */
  emptyReason: 'no-calls' | 'no-cost' | null;
}

/** The fixed colours of the two sides, the same on every load. */
export const BYOK_COLORS = { byok: '#2fb37d', platform: '#4f7df3' } as const;

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;
const share = (part: number, whole: number) => (whole > 0 ? formatPercent(part / whole) : formatPercent(0));

/**
 * Cost on customers' own keys (BYOK) against cost on the platform's keys; each side says how many
 * calls it carried. A side with no cost gets no slice, but keeps its line in the legend.
 */
export function prepareByokSplit(split: ByokSplit): ByokChart {
  const total = split.byokCost + split.platformCost;
  const sides: ShareSlice[] = [
    {
      id: 'platform',
      label: 'Platform keys',
      value: split.platformCost,
      color: BYOK_COLORS.platform,
      valueLabel: formatDollars(split.platformCost),
      shareLabel: share(split.platformCost, total),
      detail: plural(split.platformRequests, 'call', 'calls'),
    },
    {
      id: 'byok',
      label: 'BYOK (own keys)',
      value: split.byokCost,
      color: BYOK_COLORS.byok,
      valueLabel: formatDollars(split.byokCost),
      shareLabel: share(split.byokCost, total),
      detail: plural(split.byokRequests, 'call', 'calls'),
    },
  ];
  const calls = split.byokRequests + split.platformRequests;
  return {
    slices: sides,
    totalLabel: formatDollars(total),
    emptyReason: calls === 0 && total === 0 ? 'no-calls' : total === 0 ? 'no-cost' : null,
  };
}

/** The plan distribution pie, ready to draw. */
export interface PlanChart {
  slices: ShareSlice[];
  totalLabel: string;
  isEmpty: boolean;
}

/**
 * The known plans' colours, far apart so neighbouring slices never look alike (the shared series
 * palette has blues close enough to confuse in a pie of three).
 */
export const PLAN_COLORS: Readonly<Record<string, string>> = {
  free: '#2fb37d',
  trial: '#1fb5c9',
  pro: '#4f7df3',
  team: '#f28c38',
  enterprise: '#9b6cf0',
  internal: '#8c7a6b',
};

/** Colours for plans beyond the known ones: the palette's hues the known plans do not use. */
const OTHER_PLAN_COLORS = SERIES_PALETTE.filter((color) => !Object.values(PLAN_COLORS).includes(color));

/**
 * Workspaces per plan, the most common plan first. A known plan always has its own colour; other
 * plans take the remaining hues in name order, so the same set of plans is drawn the same way.
 */
export function preparePlanDistribution(plans: readonly PlanCount[]): PlanChart {
  const total = plans.reduce((sum, plan) => sum + plan.count, 0);
  const unknown = [...new Set(plans.map((plan) => plan.plan).filter((name) => !(name in PLAN_COLORS)))].sort();
  const colorOf = (name: string) => PLAN_COLORS[name] ?? OTHER_PLAN_COLORS[unknown.indexOf(name) % OTHER_PLAN_COLORS.length];
  const slices = plans
    .filter((plan) => plan.count > 0)
    .sort((a, b) => b.count - a.count || a.plan.localeCompare(b.plan))
    .map((plan) => ({
      id: plan.plan,
      label: plan.plan,
      value: plan.count,
      color: colorOf(plan.plan),
      valueLabel: plural(plan.count, 'workspace', 'workspaces'),
      shareLabel: share(plan.count, total),
      detail: share(plan.count, total),
    }));
  return { slices, totalLabel: plural(total, 'workspace', 'workspaces'), isEmpty: total === 0 };
}
