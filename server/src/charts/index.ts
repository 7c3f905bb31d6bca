/** Natural-language charts: the question parser, the chart presets and the analyticsChart service. */
export { ChartsResolver } from './charts.resolver';
export { analyticsChart, loadKnownEntities, type ChartAnswer, type ChartRequest } from './charts.service';
export { CHART_PRESETS, findPreset, type ChartPresetValues } from './chart-presets';
export { interpretQuestion, EXAMPLE_QUESTIONS, type ChartInterpretation, type ChartType, type KnownEntities, type MetricsQueryJson, type ParseContext } from './question-parser';
export { summarizeChart, type SummaryInput } from './chart-summary';
