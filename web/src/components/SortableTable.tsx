import { useState, type ReactNode } from 'react';
import { nextSort, sortRows, type RowOrder, type SortDirection, type TableSort } from './table-sort';
import './sortable-table.css';

/** One column of a SortableTable: its heading, what its cells show, and whether it sorts. */
export interface SortableColumn<Row, Key extends string> {
  /** The heading, and the name of its sort button. */
  label: string;
  /** What the column shows for a row. */
  cell(row: Row): ReactNode;
  /** The column's name in the table's sort; a column without one has a plain heading. */
  sortKey?: Key;
  /** Which way a first click on the heading sorts. @default 'descending' (figures and dates largest, latest first) */
  firstDirection?: SortDirection;
  /** Figures, set right-aligned: the heading and every cell get the `num` class. */
  numeric?: boolean;
  /** More classes on the heading and every cell. */
  className?: string;
  /** Classes on the cells alone, or on each row's cell as the row says. */
  cellClassName?: string | ((row: Row) => string | undefined);
  /** The column names its row: its cells are row headings (`<th scope="row">`). */
  rowHeader?: boolean;
}

/** Attributes of a row's `<tr>`: a class, data attributes that find it. */
export type RowProps = { className?: string } & { [attribute: `data-${string}`]: string };

interface TableProps<Row, Key extends string> {
  columns: readonly SortableColumn<Row, Key>[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  rowProps?(row: Row): RowProps;
  /** Classes of the `<table>` besides `feed`. */
  className: string;
  /** The hidden caption that names the table for screen readers; as a function, it can say how the table is sorted. */
  caption: string | ((sorted: { label: string; direction: SortDirection }) => string);
  /** Said in one full-width row when there are no rows. */
  empty?: ReactNode;
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

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

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
                  <button type="button" className="sort-button" onClick={() => onSortChange(nextSort(sort, sortKey, firstDirection))}>
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
      <tbody>
        {shownRows.length === 0 && empty ? (
          <tr>
            <td colSpan={columns.length} className="muted">
              {empty}
            </td>
          </tr>
        ) : null}
        {shownRows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((column) => {
              const Cell = column.rowHeader ? 'th' : 'td';
              const cellClass = typeof column.cellClassName === 'function' ? column.cellClassName(row) : column.cellClassName;
              return (
                <Cell key={column.label} scope={column.rowHeader ? 'row' : undefined} className={classes(column.numeric && 'num', column.className, cellClass)}>
                  {column.cell(row)}
                </Cell>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
