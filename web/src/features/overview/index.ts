/** The Overview page and the pure functions that prepare its charts. */
export { OverviewPage } from './OverviewPage';
export { prepareCostByModel, OTHER_MODELS_ID, type CostByModelChart, type ModelUsage } from './prepare-cost-by-model';
export { prepareTokensOverTime, tokenBucketFor, type TokensOverTimeChart } from './prepare-tokens-over-time';
export { prepareFeedRows, mergeFeedCalls, type FeedRow } from './prepare-live-feed';
export { prepareSummaryTiles, type SummaryTile, type SummaryTiles } from './prepare-summary-tiles';
