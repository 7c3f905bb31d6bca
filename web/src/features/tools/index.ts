/** The Tools page and the pure functions that prepare it. */
export { ToolsPage } from './ToolsPage';
export {
  usageWindowFor,
  prepareConnectedApps,
  prepareLeaderboard,
  LEADERBOARD_ORDER,
  prepareAgentTools,
  DEFAULT_LEADERBOARD_SORT,
  type UsageWindow,
  type LeaderboardColumn,
} from './prepare-tools';
