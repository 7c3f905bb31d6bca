/** The Insights page (questions in plain words, presets, pinned charts), the Overview's Insights section, and the pure functions behind them. */
export { InsightsPage } from './InsightsPage';
export { InsightsSection } from './InsightsSection';
export { OVERVIEW_PRESETS, analyticsChartVariables } from './chart-query';
export { prepareChart, formatterFor, bucketLabels, type PreparedChart, type ChartAnswer } from './prepare-chart';
export { describeInterpretation, readInterpretation, type InterpretedQuery, type InterpretationLine } from './prepare-interpretation';
export { rememberQuestion, togglePin, pinIdOf, type ChartRequest, type PinnedChart } from './insights-storage';
export { chartFailure, examplesIn, widerQuestion } from './chart-error';
