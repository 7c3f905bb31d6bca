import type { SeriesColors } from '../../components/series-colors';
import type { RowOrder, TableSort } from '../../components/table-sort';
import { formatCount, formatDollars, formatPercent } from '../../format';
import type { CostBreakdownDimension, CostBreakdownFieldsFragment } from '../../gql/graphql';

/** One row of cost by model, provider or agent (llmCosts, adminCostAnalytics). */
export type BreakdownRow = CostBreakdownFieldsFragment;

/** The columns a breakdown table sorts by. */
export type BreakdownSortKey = 'label' | 'requests' | 'inputCost' | 'outputCost' | 'totalCost';

/** Most expensive first, as the gateway sends it. */
export const DEFAULT_BREAKDOWN_SORT: TableSort<BreakdownSortKey> = { key: 'totalCost', direction: 'descending' };

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
  /** The figures the row was written from, which the table sorts by. */
  figures: BreakdownRow;
}

/** How the breakdown table orders its rows by each column; ties fall back to the higher cost, then the name. */
export const BREAKDOWN_ORDER: RowOrder<BreakdownTableRow, BreakdownSortKey> = {
  byColumn: {
    label: (a, b) => a.label.localeCompare(b.label),
    requests: (a, b) => a.figures.requests - b.figures.requests,
    inputCost: (a, b) => a.figures.inputCost - b.figures.inputCost,
    outputCost: (a, b) => a.figures.outputCost - b.figures.outputCost,
    totalCost: (a, b) => a.figures.totalCost - b.figures.totalCost,
  },
  tiebreak: (a, b) => b.figures.totalCost - a.figures.totalCost || a.label.localeCompare(b.label),
};

/** The breakdown table, ready to show. */
export interface BreakdownTable {
  rows: BreakdownTableRow[];
  totalLabel: string;
  emptyReason: 'no-calls' | 'no-cost' | null;
}

/** Rows of llmCosts as a table (it sorts them: BREAKDOWN_ORDER); the model breakdown wears the models' colours. */
export function prepareBreakdownTable(
  rows: readonly BreakdownRow[],
  { dimension, colors }: { dimension: CostBreakdownDimension; colors: SeriesColors },
): BreakdownTable {
  const total = rows.reduce((sum, row) => sum + row.totalCost, 0);
  return {
    rows: rows.map((row) => ({
      key: row.key,
      label: row.label || row.key || '(none)',
      requests: formatCount(row.requests),
      inputCost: formatDollars(row.inputCost),
      outputCost: formatDollars(row.outputCost),
      totalCost: formatDollars(row.totalCost),
      share: formatPercent(row.share),
      sharePct: Math.max(0, Math.min(100, row.share * 100)),
      color: dimension === 'MODEL' ? colors.colorFor(row.key) : null,
      figures: row,
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
