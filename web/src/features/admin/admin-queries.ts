import type { ApolloClient } from '@apollo/client';
import { AdminCostAnalyticsDocument, AdminDashboardDocument, AdminWorkspaceCostsDocument, type AdminWorkspaceCostsQueryVariables, type Period } from '../../gql/graphql';
import type { TableSort } from '../../components/table-sort';
import { SORT_ORDER, WORKSPACE_PAGE_SIZE, type WorkspaceSortKey } from './prepare-workspace-table';

/** The variables of a page of the workspace table, as the table asks for it. */
export function workspacePageVariables(period: Period, { search, sort, offset }: { search: string; sort: TableSort<WorkspaceSortKey>; offset: number }): AdminWorkspaceCostsQueryVariables {
  return { period, search, orderBy: SORT_ORDER[sort.key], descending: sort.direction === 'descending', limit: WORKSPACE_PAGE_SIZE, offset };
}

/**
 * Starts the Admin page's queries (the dashboard, the cost breakdown, the table's first page)
 * with the variables its cards use: the app calls it while the key is being checked, so the
 * three platform-wide statements run side by side with the page's code coming in.
 */
export function prefetchAdmin(client: ApolloClient, { period, firstPage }: { period: Period; firstPage: { search: string; sort: TableSort<WorkspaceSortKey> } }): void {
  const requests: Promise<unknown>[] = [
    client.query({ query: AdminDashboardDocument, variables: { period } }),
    client.query({ query: AdminCostAnalyticsDocument, variables: { period } }),
    client.query({ query: AdminWorkspaceCostsDocument, variables: workspacePageVariables(period, { ...firstPage, offset: 0 }) }),
  ];
  // A failed answer (a member's key: FORBIDDEN) is not cached: the page says so when it mounts.
  for (const request of requests) request.catch(() => undefined);
}
