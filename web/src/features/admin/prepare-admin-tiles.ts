import { formatCount, formatDollars, formatTokens } from '../../format';
import type { AdminDashboardQuery } from '../../gql/graphql';

/** adminDashboard's answer. */
export type AdminDashboardData = AdminDashboardQuery['adminDashboard'];

/** One hero figure of the Admin page. */
export interface AdminTile {
  id: 'total-cost' | 'mrr' | 'workspaces' | 'requests' | 'tokens' | 'byok-savings';
  label: string;
  value: string;
  /** A line under the figure that says what it counts. */
  detail: string;
}

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** The platform's hero figures for a period: cost, MRR projection, workspaces, requests, tokens, BYOK savings. */
export function prepareAdminTiles(data: AdminDashboardData, phrase: string): AdminTile[] {
  const perRequest = data.apiRequests > 0 ? data.totalTokens / data.apiRequests : 0;
  return [
    {
      id: 'total-cost',
      label: 'Total cost',
      value: formatDollars(data.totalCost),
      detail: `Every workspace, ${phrase}`,
    },
    {
      id: 'mrr',
      label: 'MRR projection',
      value: formatDollars(data.mrrProjection),
      detail: "Paying plans' daily average × 30",
    },
    {
      id: 'workspaces',
      label: 'Active workspaces',
      value: `${formatCount(data.activeWorkspaces)} of ${formatCount(data.workspaceCount)}`,
      detail:
        data.activeWorkspaces >= data.workspaceCount
          ? 'Every workspace had calls'
          : `${plural(data.workspaceCount - data.activeWorkspaces, 'workspace', 'workspaces')} without calls`,
    },
    {
      id: 'requests',
      label: 'API requests',
      value: formatCount(data.apiRequests),
      detail: `${plural(data.byokSplit.byokRequests, 'call', 'calls')} on customers' own keys`,
    },
    {
      id: 'tokens',
      label: 'Tokens',
      value: formatTokens(data.totalTokens),
      detail: data.apiRequests > 0 ? `${formatTokens(perRequest)} per request on average` : 'No requests yet',
    },
    {
      id: 'byok-savings',
      label: 'BYOK savings',
      value: formatDollars(data.byokSavings),
      detail: 'What BYOK calls would have cost on platform keys',
    },
  ];
}
