/** The Costs page and the pure functions that prepare its cards. */
export { CostsPage } from './CostsPage';
export { prepareDailyCost, dayAxis, OTHER_DAILY_ID, type DailyCostChart } from './prepare-daily-cost';
export { prepareProjection, type ProjectionFigures } from './prepare-projection';
export { prepareBreakdownTable, BREAKDOWN_ORDER, DEFAULT_BREAKDOWN_SORT, type BreakdownSortKey } from './prepare-breakdown';
export { prepareComparisonTable, prepareComparisonRadar, toggleComparedModel, MAX_COMPARED_MODELS } from './prepare-comparison';
export { prepareRecommendations } from './prepare-recommendations';
export { prepareBudgetRows, parseBudgetForm } from './prepare-budgets';
export { parsePriceForm, describeReprice } from './prepare-prices';
export { fetchCallsCsv, filenameFromDisposition } from './csv-download';
