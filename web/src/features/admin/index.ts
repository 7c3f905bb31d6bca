/** The Admin page (admin keys only) and the pure functions that prepare its cards. */
export { AdminPage } from './AdminPage';
export { prepareAdminTiles, type AdminDashboardData, type AdminTile } from './prepare-admin-tiles';
export { prepareProviderDailyCost, OTHER_PROVIDERS_ID, type ProviderDailyCostChart } from './prepare-provider-daily-cost';
export { prepareByokSplit, preparePlanDistribution, BYOK_COLORS, PLAN_COLORS, type ByokChart, type PlanChart, type ShareSlice } from './prepare-shares';
export {
  prepareWorkspaceTable,
  prepareAnomalies,
  averageWorkspaceCost,
  DEFAULT_WORKSPACE_SORT,
  type WorkspaceSortKey,
  type WorkspaceTable,
  type AnomalyList,
} from './prepare-workspace-table';
