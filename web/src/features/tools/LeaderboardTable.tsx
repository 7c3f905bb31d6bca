import { useState } from 'react';
import {
  DEFAULT_LEADERBOARD_SORT,
  nextLeaderboardSort,
  prepareLeaderboard,
  type LeaderboardColumn,
  type LeaderboardSort,
} from './prepare-tools';
import type { ActionLeaderboardQuery } from '../../gql/graphql';
import { ScrollArea } from '../../components/ScrollArea';

const COLUMNS: { column: LeaderboardColumn; label: string; numeric: boolean }[] = [
  { column: 'actionName', label: 'Action', numeric: false },
  { column: 'appName', label: 'App', numeric: false },
  { column: 'usageCount', label: 'Uses', numeric: true },
  { column: 'agentsUsing', label: 'Agents', numeric: true },
  { column: 'lastUsedAt', label: 'Last used', numeric: false },
];

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/** The action leaderboard, sorted in the browser by whichever column header was clicked. */
export function LeaderboardTable({ entries, now }: { entries: ActionLeaderboardQuery['composioActions']; now: Date }) {
  const [sort, setSort] = useState<LeaderboardSort>(DEFAULT_LEADERBOARD_SORT);
  const rows = prepareLeaderboard(entries, sort, now);
  return (
    <ScrollArea label="Action leaderboard">
      <table className="feed leaderboard">
        <caption className="visually-hidden">Actions by use; click a column header to sort by it</caption>
        <thead>
          <tr>
            <th scope="col" className="rank">
              #
            </th>
            {COLUMNS.map(({ column, label, numeric }) => (
              <th key={column} scope="col" className={numeric ? 'num' : undefined} aria-sort={sort.column === column ? ARIA_SORT[sort.direction] : 'none'}>
                <button type="button" className="sort-button" onClick={() => setSort((current) => nextLeaderboardSort(current, column))}>
                  {label}
                  <span className="sort-arrow" aria-hidden="true">
                    {sort.column === column ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <td className="rank">{row.rank}</td>
              <td>
                <code>{row.actionName}</code>
              </td>
              <td>{row.appName}</td>
              <td className="num">
                <span className="use-cell">
                  <span className="use-bar" aria-hidden="true">
                    <span style={{ width: `${Math.round(row.share * 100)}%` }} />
                  </span>
                  <span className="use-count">{row.uses}</span>
                </span>
              </td>
              <td className="num">{row.agents}</td>
              <td>{row.lastUsedAt ? <time dateTime={row.lastUsedAt}>{row.lastUsed}</time> : <span className="muted">{row.lastUsed}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}
