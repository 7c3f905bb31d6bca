import type { SeriesColors } from '../../components/series-colors';
import { formatCount, formatDollars, formatLatency, formatPercent, formatTokens } from '../../format';
import type { ModelComparisonQuery } from '../../gql/graphql';

/** One model of llmModelComparison. */
export type ComparisonItem = ModelComparisonQuery['llmModelComparison'][number];

/** The gateway compares at most this many models at once. */
export const MAX_COMPARED_MODELS = 4;

/** The selection after a click on a model: added or removed; `refused` when adding would pass the cap. */
export function toggleComparedModel(
  selected: readonly string[],
  modelId: string,
  max = MAX_COMPARED_MODELS,
): { selected: string[]; refused: boolean } {
  if (selected.includes(modelId)) return { selected: selected.filter((id) => id !== modelId), refused: false };
  if (selected.length >= max) return { selected: [...selected], refused: true };
  return { selected: [...selected, modelId], refused: false };
}

/** The models compared before anyone picks: the costliest few of the period. */
export function defaultComparedModels(modelIdsByCost: readonly string[], count = 3): string[] {
  return modelIdsByCost.slice(0, Math.min(count, MAX_COMPARED_MODELS));
}

/** A model as a column of the comparison table. */
export interface ComparisonColumn {
  id: string;
  label: string;
  /** The provider, or "unknown provider". */
  detail: string;
  color: string;
}

/** A cell: the figure in words, and whether it is the best of the row. */
export interface ComparisonCell {
  text: string;
  best: boolean;
}

/** A row of the comparison table: one figure for every model. */
export interface ComparisonRow {
  id: string;
  label: string;
  /** What "best" means in this row, for the legend: "lowest" or "highest"; null when no cell is marked. */
  bestMeans: 'lowest' | 'highest' | null;
  cells: ComparisonCell[];
}

/** The comparison table, ready to show. */
export interface ComparisonTable {
  columns: ComparisonColumn[];
  rows: ComparisonRow[];
}

interface RowSpec {
  id: string;
  label: string;
  value(item: ComparisonItem): number | null;
  format(value: number): string;
  /** Which end is better, or null for rows where neither is (volume). */
  better: 'lowest' | 'highest' | null;
  /** Usage figures of a model with no calls are zeros, not measurements: they never win. */
  needsCalls: boolean;
}

const perMTok = (value: number) => `${formatDollars(value)} / M`;

const PER_CALL = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });

/** A cost per call with three significant digits under a dollar ("$0.0224"), so close models do not both read "$0.02". */
export function formatCostPerCall(value: number): string {
  return value > 0 && value < 1 ? PER_CALL.format(value) : formatDollars(value);
}

const ROWS: readonly RowSpec[] = [
  { id: 'input-price', label: 'Input price', value: (m) => m.pricing?.inputPerMTok ?? null, format: perMTok, better: 'lowest', needsCalls: false },
  { id: 'output-price', label: 'Output price', value: (m) => m.pricing?.outputPerMTok ?? null, format: perMTok, better: 'lowest', needsCalls: false },
  { id: 'cache-price', label: 'Cache read price', value: (m) => m.pricing?.cacheReadPerMTok ?? null, format: perMTok, better: 'lowest', needsCalls: false },
  { id: 'context', label: 'Context window', value: (m) => m.contextWindow, format: (v) => `${formatTokens(v)} tokens`, better: 'highest', needsCalls: false },
  { id: 'requests', label: 'Requests', value: (m) => m.requests, format: formatCount, better: null, needsCalls: false },
  { id: 'tokens', label: 'Tokens', value: (m) => m.totalTokens, format: formatTokens, better: null, needsCalls: false },
  { id: 'cost', label: 'Total cost', value: (m) => m.totalCost, format: formatDollars, better: null, needsCalls: false },
  { id: 'cost-per-call', label: 'Cost per call', value: (m) => m.avgCostPerRequest, format: formatCostPerCall, better: 'lowest', needsCalls: true },
  { id: 'avg-latency', label: 'Avg latency', value: (m) => m.avgLatencyMs, format: formatLatency, better: 'lowest', needsCalls: true },
  { id: 'p95-latency', label: 'P95 latency', value: (m) => m.p95LatencyMs, format: formatLatency, better: 'lowest', needsCalls: true },
  { id: 'error-rate', label: 'Error rate', value: (m) => m.errorRate, format: formatPercent, better: 'lowest', needsCalls: true },
];

/**
 * Registry facts and the period's usage side by side, one column per model. In each row where
 * one end is better, the best cell is marked, but only when at least two models have a figure
 * and the figures differ; a model with no calls has no usage figures to win with.
 */
export function prepareComparisonTable(items: readonly ComparisonItem[], colors: SeriesColors): ComparisonTable {
  const columns = items.map((item) => ({
    id: item.modelId,
    label: item.displayName,
    detail: item.provider ?? 'unknown provider',
    color: colors.colorFor(item.modelId),
  }));
  const rows: ComparisonRow[] = ROWS.map((spec) => {
    const values = items.map((item) => (spec.needsCalls && item.requests === 0 ? null : spec.value(item)));
    const known = values.filter((value): value is number => value !== null);
    const target = spec.better && known.length >= 2 && new Set(known).size > 1 ? (spec.better === 'lowest' ? Math.min(...known) : Math.max(...known)) : null;
    return {
      id: spec.id,
      label: spec.label,
      bestMeans: target === null ? null : spec.better,
      cells: values.map((value) => ({ text: value === null ? '–' : spec.format(value), best: target !== null && value === target })),
    };
  });
  rows.splice(4, 0, {
    id: 'capabilities',
    label: 'Capabilities',
    bestMeans: null,
    cells: items.map((item) => ({ text: item.capabilities.length > 0 ? item.capabilities.join(', ') : '–', best: false })),
  });
  return { columns, rows };
}

/** One model on the radar: a 0 to 100 value on every axis, and the figure behind it. */
export interface RadarSeries {
  id: string;
  label: string;
  color: string;
  /** Each axis scaled to the largest value among the compared models (100). */
  values: number[];
  /** The real figures, for the tooltip: "$0.0042", "840 ms". */
  texts: string[];
}

/** The radar chart, ready to draw. */
export interface ComparisonRadar {
  axes: string[];
  series: RadarSeries[];
}

const RADAR_AXES: readonly { label: string; value(item: ComparisonItem): number; format(value: number): string }[] = [
  { label: 'Cost per call', value: (m) => m.avgCostPerRequest, format: formatCostPerCall },
  { label: 'Avg latency', value: (m) => m.avgLatencyMs, format: formatLatency },
  { label: 'P95 latency', value: (m) => m.p95LatencyMs, format: formatLatency },
  { label: 'Error rate', value: (m) => m.errorRate, format: formatPercent },
  { label: 'Requests', value: (m) => m.requests, format: formatCount },
  { label: 'Context size', value: (m) => m.contextWindow ?? 0, format: (v) => (v > 0 ? `${formatTokens(v)} tokens` : 'unknown') },
];

/**
 * The compared models on axes of different units, each axis normalised on its own: the largest
 * value among the models is 100 and the others are their share of it (an axis where every model
 * is 0 stays at 0), so shapes compare models with each other, not units with units.
 */
export function prepareComparisonRadar(items: readonly ComparisonItem[], colors: SeriesColors): ComparisonRadar {
  const maxima = RADAR_AXES.map((axis) => Math.max(0, ...items.map((item) => axis.value(item))));
  return {
    axes: RADAR_AXES.map((axis) => axis.label),
    series: items.map((item) => ({
      id: item.modelId,
      label: item.displayName,
      color: colors.colorFor(item.modelId),
      values: RADAR_AXES.map((axis, index) => (maxima[index] > 0 ? Math.round((axis.value(item) / maxima[index]) * 1000) / 10 : 0)),
      texts: RADAR_AXES.map((axis) => axis.format(axis.value(item))),
    })),
  };
}
