import type { DonutSlice } from '../../components/charts/DonutChart';
import type { SeriesColors } from '../../components/series-colors';
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

/** Workspaces per plan, the most common plan first; each plan keeps its colour across reloads. */
export function preparePlanDistribution(plans: readonly PlanCount[], colors: SeriesColors): PlanChart {
  const total = plans.reduce((sum, plan) => sum + plan.count, 0);
  const slices = plans
    .filter((plan) => plan.count > 0)
    .sort((a, b) => b.count - a.count || a.plan.localeCompare(b.plan))
    .map((plan) => ({
      id: plan.plan,
      label: plan.plan,
      value: plan.count,
      color: colors.colorFor(`plan:${plan.plan}`),
      valueLabel: plural(plan.count, 'workspace', 'workspaces'),
      shareLabel: share(plan.count, total),
      detail: share(plan.count, total),
    }));
  return { slices, totalLabel: plural(total, 'workspace', 'workspaces'), isEmpty: total === 0 };
}
