/** Which way a sorted column runs, in the words `aria-sort` uses. */
export type SortDirection = 'ascending' | 'descending';

/** A table's order: the column it is sorted by and which way. */
export interface TableSort<Key extends string> {
  key: Key;
  direction: SortDirection;
}

/** Negative when `a` comes before `b` in ascending order (A to Z, smallest or oldest first). */
export type Comparator<Row> = (a: Row, b: Row) => number;

/** How a table that sorts its own rows orders them: a comparator per sortable column, and what settles a tie whichever way the column runs. */
export interface RowOrder<Row, Key extends string> {
  byColumn: Record<Key, Comparator<Row>>;
  tiebreak?: Comparator<Row>;
}

/**
 * The sort after a click on `key`'s heading: the sorted column turns around; another column
 * starts in its own first direction (names A to Z, figures largest first).
 */
export function nextSort<Key extends string>(current: TableSort<Key>, key: Key, firstDirection: SortDirection): TableSort<Key> {
  if (current.key !== key) return { key, direction: firstDirection };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

/** The rows in the sort's order; the tiebreak keeps its own direction, so equal rows never swap places when the column turns around. */
export function sortRows<Row, Key extends string>(rows: readonly Row[], sort: TableSort<Key>, order: RowOrder<Row, Key>): Row[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const compare = order.byColumn[sort.key];
  const tiebreak = order.tiebreak ?? (() => 0);
  return [...rows].sort((a, b) => sign * compare(a, b) || tiebreak(a, b));
}
