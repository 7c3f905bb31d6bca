import { DEFAULT_LEADERBOARD_SORT, LEADERBOARD_ORDER, prepareLeaderboard, type LeaderboardColumn, type LeaderboardRow } from './prepare-tools';
import type { ActionLeaderboardQuery } from '../../gql/graphql';
import { ScrollArea } from '../../components/ScrollArea';
import { SortableTable, type SortableColumn } from '../../components/SortableTable';
import { ShareBar } from '../../components/ShareBar';

const COLUMNS: readonly SortableColumn<LeaderboardRow, LeaderboardColumn>[] = [
  { label: '#', className: 'rank', cell: (row) => row.rank },
  { label: 'Action', sortKey: 'actionName', firstDirection: 'ascending', cell: (row) => <code>{row.actionName}</code> },
  { label: 'App', sortKey: 'appName', firstDirection: 'ascending', cell: (row) => row.appName },
  {
    label: 'Uses',
    sortKey: 'usageCount',
    numeric: true,
    cell: (row) => (
      <span className="use-cell">
        <ShareBar share={row.share} className="use-bar" />
        <span className="use-count">{row.uses}</span>
      </span>
    ),
  },
  { label: 'Agents', sortKey: 'agentsUsing', numeric: true, cell: (row) => row.agents },
  {
    label: 'Last used',
    sortKey: 'lastUsedAt',
    cell: (row) => (row.lastUsedAt ? <time dateTime={row.lastUsedAt}>{row.lastUsed}</time> : <span className="muted">{row.lastUsed}</span>),
  },
];

/** The action leaderboard, sorted in the browser by whichever column header was clicked. */
export function LeaderboardTable({ entries, now }: { entries: ActionLeaderboardQuery['composioActions']; now: Date }) {
  return (
    <ScrollArea label="Action leaderboard">
      <SortableTable
        columns={COLUMNS}
        rows={prepareLeaderboard(entries, now)}
        rowKey={(row) => row.key}
        className="leaderboard"
        caption="Actions by use; click a column header to sort by it"
        defaultSort={DEFAULT_LEADERBOARD_SORT}
        order={LEADERBOARD_ORDER}
      />
    </ScrollArea>
  );
}
