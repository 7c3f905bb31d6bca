import { useState } from 'react';
import { classes, FeedRows, type FeedColumn, type FeedRowsProps } from './FeedTable';
import { nextSort, sortRows, type RowOrder, type SortDirection, type TableSort } from './table-sort';
import './sortable-table.css';

/** One column of a SortableTable: a FeedTable's column that may sort. */
export interface SortableColumn<Row, Key extends string> extends FeedColumn<Row> {
  /** The column's name in the table's sort; a column without one has a plain heading. */
  sortKey?: Key;
  /** Which way a first click on the heading sorts. @default 'descending' (figures and dates largest, latest first) */
  firstDirection?: SortDirection;
}

interface TableProps<Row, Key extends string> extends Omit<FeedRowsProps<Row>, 'columns' | 'announce'> {
  columns: readonly SortableColumn<Row, Key>[];
  /** Classes of the `<table>` besides `feed`. */
  className: string;
  /** The hidden caption that names the table for screen readers; as a function, it can say how the table is sorted. */
  caption: string | ((sorted: { label: string; direction: SortDirection }) => string);
}

/** The table owns its sort, from `defaultSort` on, and orders the rows it is given by it. */
interface SelfSortingProps<Row, Key extends string> {
  defaultSort: TableSort<Key>;
  order: RowOrder<Row, Key>;
  sort?: never;
  onSortChange?: never;
}

/**
 * The parent owns the sort (it must outlive the table, or the URL holds it) and a heading's click
 * asks it for the next one. With `order` the table orders the rows by it; without, the rows come
 * in the sort's order (the server sorted them).
 */
interface ControlledProps<Row, Key extends string> {
  sort: TableSort<Key>;
  onSortChange(next: TableSort<Key>): void;
  order?: RowOrder<Row, Key>;
  defaultSort?: never;
}

export type SortableTableProps<Row, Key extends string> = TableProps<Row, Key> & (SelfSortingProps<Row, Key> | ControlledProps<Row, Key>);

/**
 * A table sorted by any column that has a sort key, through a button in its heading: a first
 * click sorts the column in its first direction, the next turns it around. The sorted heading
 * carries `aria-sort` (the others `none`) and a mark; the buttons are the keyboard's way in.
 */
export function SortableTable<Row, Key extends string>(props: SortableTableProps<Row, Key>) {
  return props.onSortChange ? <SortedTable {...props} /> : <SelfSortingTable {...props} />;
}

function SelfSortingTable<Row, Key extends string>({ defaultSort, ...table }: TableProps<Row, Key> & SelfSortingProps<Row, Key>) {
  const [sort, setSort] = useState(defaultSort);
  return <SortedTable {...table} sort={sort} onSortChange={setSort} />;
}

function SortedTable<Row, Key extends string>({ columns, rows, rowKey, rowProps, className, caption, empty, sort, onSortChange, order }: TableProps<Row, Key> & ControlledProps<Row, Key>) {
  const shownRows = order ? sortRows(rows, sort, order) : rows;
  const sortedLabel = columns.find((column) => column.sortKey === sort.key)?.label ?? '';
  return (
    <table className={`feed ${className}`}>
      <caption className="visually-hidden">{typeof caption === 'string' ? caption : caption({ label: sortedLabel, direction: sort.direction })}</caption>
      <thead>
        <tr>
          {columns.map(({ label, sortKey, firstDirection = 'descending', numeric, className: columnClass }) => {
            const sorted = sortKey === sort.key;
            return (
              <th key={label} scope="col" className={classes(numeric && 'num', columnClass)} aria-sort={sortKey === undefined ? undefined : sorted ? sort.direction : 'none'}>
                {sortKey === undefined ? (
                  label
                ) : (
                  <button type="button" className="bare-button sort-button" onClick={() => onSortChange(nextSort(sort, sortKey, firstDirection))}>
                    {label}
                    <span className="sort-mark" aria-hidden="true">
                      {sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                )}
              </th>
            );
          })}
        </tr>
      </thead>
      <FeedRows columns={columns} rows={shownRows} rowKey={rowKey} rowProps={rowProps} empty={empty} />
    </table>
  );
}
