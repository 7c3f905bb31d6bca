import { ScrollArea } from '../../components/ScrollArea';
import { SortableTable, type SortableColumn } from '../../components/SortableTable';
import type { TableSort } from '../../components/table-sort';
import { BREAKDOWN_ORDER, type BreakdownSortKey, type BreakdownTable as Table, type BreakdownTableRow } from './prepare-breakdown';
import './breakdown-table.css';

const COLUMNS: readonly SortableColumn<BreakdownTableRow, BreakdownSortKey>[] = [
  {
    label: 'Name',
    sortKey: 'label',
    firstDirection: 'ascending',
    cellClassName: 'name-cell',
    cell: (row) => (
      <span className="model">
        {row.color ? <span className="swatch" style={{ background: row.color }} aria-hidden="true" /> : null}
        <span>{row.label}</span>
      </span>
    ),
  },
  { label: 'Requests', sortKey: 'requests', numeric: true, className: 'narrow-hidden', cell: (row) => row.requests },
  { label: 'Input cost', sortKey: 'inputCost', numeric: true, className: 'narrow-hidden', cell: (row) => row.inputCost },
  { label: 'Output cost', sortKey: 'outputCost', numeric: true, className: 'narrow-hidden', cell: (row) => row.outputCost },
  { label: 'Cost', sortKey: 'totalCost', numeric: true, cell: (row) => <strong>{row.totalCost}</strong> },
  {
    label: 'Share',
    className: 'share-column',
    cell: (row) => (
      <span className="share">
        <span className="share-bar" aria-hidden="true">
          <span style={{ width: `${row.sharePct}%`, background: row.color ?? undefined }} />
        </span>
        <span className="share-text">{row.share}</span>
      </span>
    ),
  },
];

/**
 * Cost per model, provider or agent as a table sorted by any column (its heading's button), each
 * row with its share of the total. The card holds the sort, so it outlasts a switch of dimension
 * or period (the table is gone while the new rows load).
 */
export function BreakdownTable({
  label,
  caption,
  table,
  sort,
  onSortChange,
}: {
  /** The scroll area's name. */
  label: string;
  /** What the rows are, for screen readers: "Cost per model over the last 7 days". */
  caption: string;
  table: Table;
  sort: TableSort<BreakdownSortKey>;
  onSortChange(next: TableSort<BreakdownSortKey>): void;
}) {
  return (
    <ScrollArea label={label}>
      <SortableTable
        columns={COLUMNS}
        rows={table.rows}
        rowKey={(row) => row.key || '(none)'}
        className="breakdown"
        caption={(sorted) => `${caption}, sorted by ${sorted.label}, ${sorted.direction}`}
        sort={sort}
        onSortChange={onSortChange}
        order={BREAKDOWN_ORDER}
      />
    </ScrollArea>
  );
}
