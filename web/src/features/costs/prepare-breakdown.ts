import type { SeriesColors } from '../../components/series-colors';
import { formatCount, formatDollars, formatPercent } from '../../format';
import type { CostBreakdownDimension, CostBreakdownFieldsFragment } from '../../gql/graphql';

/** One row of cost by model, provider or agent (llmCosts, adminCostAnalytics). */
export type BreakdownRow = CostBreakdownFieldsFragment;

/** The columns a breakdown table sorts by. */
export type BreakdownSortKey = 'label' | 'requests' | 'inputCost' | 'outputCost' | 'totalCost';

/** A table's sort: the column and its direction. */
export interface BreakdownSort {
  key: BreakdownSortKey;
  direction: 'ascending' | 'descending';
}

/** Most expensive first, as the gateway sends it. */
export const DEFAULT_BREAKDOWN_SORT: BreakdownSort = { key: 'totalCost', direction: 'descending' };

/** The sort after a click on a column: the same column flips; another starts A to Z for names and largest first for figures. */
export function nextSort(current: BreakdownSort, key: BreakdownSortKey): BreakdownSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'label' ? 'ascending' : 'descending' };
}

/** Rows in the sort's order; ties fall back to the higher cost, then the name. */
export function sortBreakdown(rows: readonly BreakdownRow[], sort: BreakdownSort): BreakdownRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const primary = sort.key === 'label' ? a.label.localeCompare(b.label) : a[sort.key] - b[sort.key];
    return primary * sign || b.totalCost - a.totalCost || a.label.localeCompare(b.label);
  });
}

/** A row of the breakdown table, in words, with the width of its share bar. */
export interface BreakdownTableRow {
  key: string;
  label: string;
  requests: string;
  inputCost: string;
  outputCost: string;
  totalCost: string;
  share: string;
  /** The share bar's width, 0 to 100. */
  sharePct: number;
  /** A model's own colour; providers and agents share the accent colour. */
  color: string | null;
}

/** The breakdown table, ready to show. */
export interface BreakdownTable {
  rows: BreakdownTableRow[];
  totalLabel: string;
  emptyReason: 'no-calls' | 'no-cost' | null;
}

/** Rows of llmCosts as a sorted table; the model breakdown wears the models' colours. */
export function prepareBreakdownTable(
  rows: readonly BreakdownRow[],
  { dimension, sort, colors }: { dimension: CostBreakdownDimension; sort: BreakdownSort; colors: SeriesColors },
): BreakdownTable {
  const total = rows.reduce((sum, row) => sum + row.totalCost, 0);
  return {
    rows: sortBreakdown(rows, sort).map((row) => ({
      key: row.key,
      label: row.label || row.key || '(none)',
      requests: formatCount(row.requests),
      inputCost: formatDollars(row.inputCost),
      outputCost: formatDollars(row.outputCost),
      totalCost: formatDollars(row.totalCost),
      share: formatPercent(row.share),
      sharePct: Math.max(0, Math.min(100, row.share * 100)),
      color: dimension === 'MODEL' ? colors.colorFor(row.key) : null,
    })),
    totalLabel: formatDollars(total),
    emptyReason: rows.length === 0 ? 'no-calls' : total === 0 ? 'no-cost' : null,
  };
}

/** A usageMetrics row grouped by one dimension with REQUESTS, INPUT_COST, OUTPUT_COST and TOTAL_COST. */
export interface MetricsBreakdownRow {
  dimensions: readonly { value: string; label: string }[];
  values: readonly { metric: string; value: number }[];
}

/** usageMetrics' cost by one dimension as llmCosts' rows, each with its share of their total cost. */
export function breakdownRowsFromMetrics(rows: readonly MetricsBreakdownRow[]): BreakdownRow[] {
  const get = (row: MetricsBreakdownRow, metric: string) => row.values.find((value) => value.metric === metric)?.value ?? 0;
  const total = rows.reduce((sum, row) => sum + get(row, 'TOTAL_COST'), 0);
  return rows.map((row) => ({
    __typename: 'CostBreakdown',
    key: row.dimensions[0]?.value ?? '',
    label: row.dimensions[0]?.label || row.dimensions[0]?.value || '',
    requests: get(row, 'REQUESTS'),
    inputCost: get(row, 'INPUT_COST'),
    outputCost: get(row, 'OUTPUT_COST'),
    totalCost: get(row, 'TOTAL_COST'),
    share: total > 0 ? get(row, 'TOTAL_COST') / total : 0,
  }));
}
