/** The Tools page and the pure functions that prepare it. */
export { ToolsPage } from './ToolsPage';
export {
  usageWindowFor,
  prepareConnectedApps,
  prepareLeaderboard,
  nextLeaderboardSort,
  prepareAgentTools,
  DEFAULT_LEADERBOARD_SORT,
  type UsageWindow,
  type LeaderboardSort,
  type LeaderboardColumn,
} from './prepare-tools';
