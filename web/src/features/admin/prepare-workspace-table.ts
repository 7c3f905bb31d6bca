import { formatCount, formatDollars, formatPercent, formatTokens } from '../../format';
import type { WorkspaceCostFieldsFragment } from '../../gql/graphql';

/** A workspace's cost, tokens and requests in the period, as adminDashboard sends it. */
export type WorkspaceCost = WorkspaceCostFieldsFragment;

/** The columns the workspace table sorts by. */
export type WorkspaceSortKey = 'name' | 'plan' | 'cost' | 'tokens' | 'requests' | 'anomaly';

export interface WorkspaceSort {
  by: WorkspaceSortKey;
  descending: boolean;
}

/** Costliest first: the table's order until someone picks a column. */
export const DEFAULT_WORKSPACE_SORT: WorkspaceSort = { by: 'cost', descending: true };

/** The gateway flags a workspace whose cost is above this many times the average. */
export const ANOMALY_FACTOR = 2;

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
}

/** The average workspace cost: the yardstick anomalies are measured against (every workspace counts, idle ones too). */
export function averageWorkspaceCost(workspaces: readonly WorkspaceCost[]): number {
  return workspaces.length > 0 ? workspaces.reduce((sum, workspace) => sum + workspace.cost, 0) / workspaces.length : 0;
}

/** "3.4× the average", or "—" when there is no average to compare with. */
export function describeFactor(cost: number, average: number): string {
  return average > 0 ? `${(cost / average).toFixed(1)}× the average` : '—';
}

/**
 * The sort after a click on `by`: the same column flips its direction; another starts with what
 * reads first (names A to Z, figures and anomalies largest first).
 */
export function nextWorkspaceSort(current: WorkspaceSort, by: WorkspaceSortKey): WorkspaceSort {
  if (current.by === by) return { by, descending: !current.descending };
  return { by, descending: by !== 'name' && by !== 'plan' };
}

function sortValue(workspace: WorkspaceCost, by: WorkspaceSortKey): number | string {
  switch (by) {
    case 'name':
      return workspace.name.toLowerCase();
    case 'plan':
      return workspace.plan.toLowerCase();
    case 'anomaly':
      return workspace.isAnomaly ? 1 : 0;
    default:
      return workspace[by];
  }
}

/** The workspaces in the table's order; ties fall back to cost (largest first), then the name, so rows never swap places. */
export function sortWorkspaces(workspaces: readonly WorkspaceCost[], sort: WorkspaceSort): WorkspaceCost[] {
  const direction = sort.descending ? -1 : 1;
  return [...workspaces].sort((a, b) => {
    const x = sortValue(a, sort.by);
    const y = sortValue(b, sort.by);
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
    if (order !== 0) return order * direction;
    return b.cost - a.cost || a.name.localeCompare(b.name) || a.workspaceId.localeCompare(b.workspaceId);
  });
}

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** The workspace table: every workspace with its figures written out and anomalies named in words. */
export function prepareWorkspaceTable(workspaces: readonly WorkspaceCost[], sort: WorkspaceSort): WorkspaceTable {
  const total = workspaces.reduce((sum, workspace) => sum + workspace.cost, 0);
  const average = averageWorkspaceCost(workspaces);
  const anomalies = workspaces.filter((workspace) => workspace.isAnomaly).length;
  const rows = sortWorkspaces(workspaces, sort).map((workspace) => ({
    id: workspace.workspaceId,
    name: workspace.name,
    plan: workspace.plan,
    cost: formatDollars(workspace.cost),
    share: formatPercent(total > 0 ? workspace.cost / total : 0),
    shareValue: total > 0 ? workspace.cost / total : 0,
    tokens: formatTokens(workspace.tokens),
    requests: formatCount(workspace.requests),
    anomaly: workspace.isAnomaly ? describeFactor(workspace.cost, average) : null,
  }));
  const parts = [plural(workspaces.length, 'workspace', 'workspaces'), `average ${formatDollars(average)}`];
  if (anomalies > 0) parts.push(plural(anomalies, 'anomaly', 'anomalies'));
  return { rows, caption: parts.join(' · ') };
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
export function prepareAnomalies(anomalies: readonly WorkspaceCost[], workspaces: readonly WorkspaceCost[]): AnomalyList {
  const average = averageWorkspaceCost(workspaces);
  const items = [...anomalies]
    .sort((a, b) => b.cost - a.cost || a.name.localeCompare(b.name))
    .map((workspace) => ({
      id: workspace.workspaceId,
      name: workspace.name,
      plan: workspace.plan,
      cost: formatDollars(workspace.cost),
      factor: describeFactor(workspace.cost, average),
      detail: `${formatDollars(workspace.cost)} against an average of ${formatDollars(average)} across ${plural(workspaces.length, 'workspace', 'workspaces')}`,
    }));
  return { items, threshold: `More than ${ANOMALY_FACTOR}× the average workspace cost (${formatDollars(ANOMALY_FACTOR * average)})` };
}
