import type { TableSort } from '../../components/table-sort';
import { formatCount, formatDollars, formatPercent, formatTokens } from '../../format';
import type { WorkspaceCostFieldsFragment } from '../../gql/graphql';

/** A workspace's cost, tokens and requests in the period, as adminDashboard and adminWorkspaceCosts send it. */
export type WorkspaceCost = WorkspaceCostFieldsFragment;

/** The columns the workspace table sorts by (the server sorts: the table holds one page). */
export type WorkspaceSortKey = 'name' | 'plan' | 'cost' | 'tokens' | 'requests';

/** Costliest first: the table's order until someone picks a column. */
export const DEFAULT_WORKSPACE_SORT: TableSort<WorkspaceSortKey> = { key: 'cost', direction: 'descending' };

/** Rows in a page of the table: enough to scan, few enough to draw at once. */
export const WORKSPACE_PAGE_SIZE = 50;

/** The gateway flags a workspace whose cost is above this many times the average. */
export const ANOMALY_FACTOR = 2;

/** The platform's figures the table and the anomalies measure against. */
export interface PlatformTotals {
  totalCost: number;
  workspaceCount: number;
  anomalyCount: number;
}

/** One row of the workspace table, in words. */
export interface WorkspaceRow {
  id: string;
  name: string;
  plan: string;
  cost: string;
  /** The workspace's share of the platform's cost: "42.0%". */
  share: string;
  /** The share as a number from 0 to 1, for the bar behind the figure. */
  shareValue: number;
  tokens: string;
  requests: string;
  /** "3.4× the average", set only for an anomaly. */
  anomaly: string | null;
}

/** The table's rows and the line under its title. */
export interface WorkspaceTable {
  rows: WorkspaceRow[];
  /** "3 workspaces · average $12.40 · 1 anomaly". */
  caption: string;
  /** "Workspaces 1–50 of 212 matching “acme”", for the pager. */
  range: string;
}

/** The average workspace cost: the yardstick anomalies are measured against (every workspace counts, idle ones too). */
export function averageWorkspaceCost(totals: Pick<PlatformTotals, 'totalCost' | 'workspaceCount'>): number {
  return totals.workspaceCount > 0 ? totals.totalCost / totals.workspaceCount : 0;
}

/** "3.4× the average", or "—" when there is no average to compare with. */
export function describeFactor(cost: number, average: number): string {
  return average > 0 ? `${(cost / average).toFixed(1)}× the average` : '—';
}

/** The server's name for a sort column (adminWorkspaceCosts orderBy). */
export const SORT_ORDER = { name: 'NAME', plan: 'PLAN', cost: 'COST', tokens: 'TOKENS', requests: 'REQUESTS' } as const;

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/**
 * One page of the workspace table (the server has searched, sorted and cut it): each row's
 * figures written out, its share of the platform's cost, anomalies named in words.
 */
export function prepareWorkspaceTable(
  page: readonly WorkspaceCost[],
  totals: PlatformTotals,
  window: { offset: number; matching: number; search: string },
): WorkspaceTable {
  const average = averageWorkspaceCost(totals);
  const rows = page.map((workspace) => ({
    id: workspace.workspaceId,
    name: workspace.name,
    plan: workspace.plan,
    cost: formatDollars(workspace.cost),
    share: formatPercent(totals.totalCost > 0 ? workspace.cost / totals.totalCost : 0),
    shareValue: totals.totalCost > 0 ? workspace.cost / totals.totalCost : 0,
    tokens: formatTokens(workspace.tokens),
    requests: formatCount(workspace.requests),
    anomaly: workspace.isAnomaly ? describeFactor(workspace.cost, average) : null,
  }));
  const parts = [plural(totals.workspaceCount, 'workspace', 'workspaces'), `average ${formatDollars(average)}`];
  if (totals.anomalyCount > 0) parts.push(plural(totals.anomalyCount, 'anomaly', 'anomalies'));
  const search = window.search.trim();
  const matching = search ? ` matching “${search}”` : '';
  const range =
    page.length === 0
      ? `No workspaces${matching}`
      : `Workspaces ${formatCount(window.offset + 1)}–${formatCount(window.offset + page.length)} of ${formatCount(window.matching)}${matching}`;
  return { rows, caption: parts.join(' · '), range };
}

/** One entry of the anomalies list. */
export interface AnomalyItem {
  id: string;
  name: string;
  plan: string;
  cost: string;
  /** "3.4× the average". */
  factor: string;
  /** "$41.20 against an average of $12.10 across 3 workspaces". */
  detail: string;
}

/** The anomalies list, costliest first, and the threshold they crossed. */
export interface AnomalyList {
  items: AnomalyItem[];
  /** "More than 2× the average workspace cost ($24.20)". */
  threshold: string;
}

/** The workspaces flagged as anomalies, each measured against the average of every workspace. */
export function prepareAnomalies(anomalies: readonly WorkspaceCost[], totals: Pick<PlatformTotals, 'totalCost' | 'workspaceCount'>): AnomalyList {
  const average = averageWorkspaceCost(totals);
  const items = [...anomalies]
    .sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name))
    .map((workspace) => ({
      id: workspace.workspaceId,
      name: workspace.name,
      plan: workspace.plan,
      cost: formatDollars(workspace.cost),
      factor: describeFactor(workspace.cost, average),
      detail: `${formatDollars(workspace.cost)} against an average of ${formatDollars(average)} across ${plural(totals.workspaceCount, 'workspace', 'workspaces')}`,
    }));
  return { items, threshold: `More than ${ANOMALY_FACTOR}× the average workspace cost (${formatDollars(ANOMALY_FACTOR * average)})` };
}
