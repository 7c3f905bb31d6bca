/** The Runs page and the pure functions that prepare it. */
export { RunsPage } from './RunsPage';
export {
  DEFAULT_RUN_SORT,
  runViewFromParams,
  runMatches,
  mergeRunUpdate,
  prepareRunRows,
  prepareWaterfall,
  prepareWorkflows,
  type RunView,
  type RunTableRow,
  type Waterfall,
  type WaterfallBar,
  type WorkflowRow,
} from './prepare-runs';
