import type { ReactNode } from 'react';

/** One column of a FeedTable: its heading and what its cells show. */
export interface FeedColumn<Row> {
  /** The heading. */
  label: string;
  /** The heading is for screen readers alone (a column of buttons needs no visible one). */
  labelHidden?: boolean;
  /** What the column shows for a row. */
  cell(row: Row): ReactNode;
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

/** What a FeedTable's body is made of. */
export interface FeedRowsProps<Row> {
  columns: readonly FeedColumn<Row>[];
  rows: readonly Row[];
  rowKey(row: Row): string;
  rowProps?(row: Row): RowProps;
  /** Said in one full-width row when there are no rows. */
  empty?: ReactNode;
  /** What a screen reader reads out while the table is shown: the rows that arrive (a live feed), or any change (badges that turn). */
  announce?: 'arriving rows' | 'changes';
}

export interface FeedTableProps<Row> extends FeedRowsProps<Row> {
  /** Classes of the `<table>` besides `feed`. */
  className?: string;
  /** The hidden caption that names the table for screen readers. */
  caption: string;
}

export const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/** A table of rows, a column definition per column, in the order given. */
export function FeedTable<Row>({ className, caption, ...body }: FeedTableProps<Row>) {
  return (
    <table className={className ? `feed ${className}` : 'feed'}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {body.columns.map(({ label, labelHidden, numeric, className: columnClass }) => (
            <th key={label} scope="col" className={classes(numeric && 'num', columnClass)}>
              {labelHidden ? <span className="visually-hidden">{label}</span> : label}
            </th>
          ))}
        </tr>
      </thead>
      <FeedRows {...body} />
    </table>
  );
}

/** The `<tbody>` of a FeedTable, and of a SortableTable. */
export function FeedRows<Row>({ columns, rows, rowKey, rowProps, empty, announce }: FeedRowsProps<Row>) {
  return (
    <tbody aria-live={announce ? 'polite' : undefined} aria-relevant={announce === 'arriving rows' ? 'additions' : undefined}>
      {rows.length === 0 && empty ? (
        <tr>
          <td colSpan={columns.length} className="muted">
            {empty}
          </td>
        </tr>
      ) : null}
      {rows.map((row) => (
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
  );
}
