import { ScrollArea } from '../../components/ScrollArea';
import type { BreakdownSort, BreakdownSortKey, BreakdownTable as Table } from './prepare-breakdown';
import './breakdown-table.css';

const COLUMNS: readonly { key: BreakdownSortKey; label: string; numeric: boolean; narrowHidden?: boolean }[] = [
  { key: 'label', label: 'Name', numeric: false },
  { key: 'requests', label: 'Requests', numeric: true, narrowHidden: true },
  { key: 'inputCost', label: 'Input cost', numeric: true, narrowHidden: true },
  { key: 'outputCost', label: 'Output cost', numeric: true, narrowHidden: true },
  { key: 'totalCost', label: 'Cost', numeric: true },
];

/** Cost per model, provider or agent as a table sorted by any column (its heading's button), each row with its share of the total. */
export function BreakdownTable({
  label,
  caption,
  table,
  sort,
  onSort,
}: {
  /** The scroll area's name. */
  label: string;
  /** What the rows are, for screen readers: "Cost per model over the last 7 days". */
  caption: string;
  table: Table;
  sort: BreakdownSort;
  onSort(key: BreakdownSortKey): void;
}) {
  return (
    <ScrollArea label={label}>
      <table className="feed breakdown">
        <caption className="visually-hidden">
          {caption}, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label}, {sort.direction}
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                scope="col"
                className={[column.numeric ? 'num' : '', column.narrowHidden ? 'narrow-hidden' : ''].join(' ').trim() || undefined}
                aria-sort={sort.key === column.key ? sort.direction : undefined}
              >
                <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                  {column.label}
                  <span aria-hidden="true" className="sort-mark">
                    {sort.key === column.key ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col" className="share-column">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key || '(none)'}>
              <td className="name-cell">
                <span className="model">
                  {row.color ? <span className="swatch" style={{ background: row.color }} aria-hidden="true" /> : null}
                  <span>{row.label}</span>
                </span>
              </td>
              <td className="num narrow-hidden">{row.requests}</td>
              <td className="num narrow-hidden">{row.inputCost}</td>
              <td className="num narrow-hidden">{row.outputCost}</td>
              <td className="num">
                <strong>{row.totalCost}</strong>
              </td>
              <td className="share-column">
                <span className="share">
                  <span className="share-bar" aria-hidden="true">
                    <span style={{ width: `${row.sharePct}%`, background: row.color ?? undefined }} />
                  </span>
                  <span className="share-text">{row.share}</span>
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}
