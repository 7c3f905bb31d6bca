import type { ChartType } from './question-parser';

/** A ready-made question with the chart it is drawn as. */
export interface ChartPresetValues {
  id: string;
  title: string;
  description: string;
  /** The question, run through the same parser as a typed one. */
  query: string;
  chartType: ChartType;
}

/** The presets the dashboard offers, in the order it shows them. */
export const CHART_PRESETS: readonly ChartPresetValues[] = [
  {
    id: 'cost-by-model',
    title: 'Cost by model',
    description: 'What each model cost over the last 7 days, costliest first.',
    query: 'cost by model over the last 7 days',
    chartType: 'BAR',
  },
  {
    id: 'tokens-over-time',
    title: 'Tokens over time',
    description: 'Input and output tokens per day over the last 7 days.',
    query: 'daily input and output tokens over the last 7 days',
    chartType: 'LINE',
  },
  {
    id: 'cost-trend-daily',
    title: 'Daily cost trend',
    description: 'Spend per day over the last 30 days, stacked by model.',
    query: 'daily cost by model over the last 30 days',
    chartType: 'AREA',
  },
  {
    id: 'requests-by-provider',
    title: 'Requests by provider',
    description: "Each provider's share of requests over the last 7 days.",
    query: 'share of requests by provider over the last 7 days',
    chartType: 'PIE',
  },
  {
    id: 'latency-by-model',
    title: 'Latency by model',
    description: 'p95 latency per model over the last 7 days, slowest first.',
    query: 'p95 latency by model over the last 7 days, slowest first',
    chartType: 'BAR',
  },
  {
    id: 'cost-by-request-type',
    title: 'Cost by request type',
    description: 'How spend splits between chat, workflows, tool calls and embeddings over the last 30 days.',
    query: 'cost by request type over the last 30 days',
    chartType: 'PIE',
  },
];

/** A preset by id, or undefined. */
export function findPreset(id: string): ChartPresetValues | undefined {
  return CHART_PRESETS.find((preset) => preset.id === id);
}
