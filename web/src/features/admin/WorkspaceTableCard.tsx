import { useQuery } from '@apollo/client/react';
import { useDeferredValue, useId, useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { AdminWorkspaceCostsDocument, type Period } from '../../gql/graphql';
import { DEFAULT_WORKSPACE_SORT, prepareWorkspaceTable, WORKSPACE_PAGE_SIZE, type WorkspaceRow, type WorkspaceSortKey } from './prepare-workspace-table';
import type { AdminDashboardState } from './use-admin-dashboard';
import { workspacePageVariables } from './admin-queries';
import { ScrollArea } from '../../components/ScrollArea';
import { SortableTable, type SortableColumn } from '../../components/SortableTable';
import type { TableSort } from '../../components/table-sort';
import { ShareBar } from '../../components/ShareBar';

const COLUMNS: readonly SortableColumn<WorkspaceRow, WorkspaceSortKey>[] = [
  { label: 'Workspace', sortKey: 'name', firstDirection: 'ascending', rowHeader: true, cellClassName: 'admin-workspace', cell: (row) => row.name },
  { label: 'Plan', sortKey: 'plan', firstDirection: 'ascending', cell: (row) => <span className="admin-plan">{row.plan}</span> },
  {
    label: 'Cost',
    sortKey: 'cost',
    numeric: true,
    cell: (row) => (
      <span className="admin-cost">
        <ShareBar share={row.shareValue} className="admin-share-bar" />
        {row.cost}
        <span className="muted admin-share"> {row.share}</span>
      </span>
    ),
  },
  { label: 'Tokens', sortKey: 'tokens', numeric: true, cell: (row) => row.tokens },
  { label: 'Requests', sortKey: 'requests', numeric: true, cell: (row) => row.requests },
  {
    label: 'Status',
    cell: (row) =>
      row.anomaly ? (
        <span className="badge badge-warn">
          <span aria-hidden="true">⚠</span> Anomaly <span className="badge-detail">· {row.anomaly}</span>
        </span>
      ) : (
        <span className="muted">Normal</span>
      ),
  },
];

/**
 * Every workspace's cost, tokens and requests in the period, a page at a time: the server
 * searches by name, sorts by any column and cuts the page, so thousands of workspaces draw as
 * fast as ten. Anomalies are named in words.
 */
export function WorkspaceTableCard({ state, period, phrase }: { state: AdminDashboardState; period: Period; phrase: string }) {
  const searchId = useId();
  const [sort, setSort] = useState(DEFAULT_WORKSPACE_SORT);
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const deferredSearch = useDeferredValue(search);
  const page = useQuery(AdminWorkspaceCostsDocument, { variables: workspacePageVariables(period, { search: deferredSearch, sort, offset }) });
  const answer = page.data?.adminWorkspaceCosts ?? page.previousData?.adminWorkspaceCosts ?? null;
  const totals = state.data ? { totalCost: state.data.totalCost, workspaceCount: state.data.workspaceCount, anomalyCount: state.data.anomalies.length } : null;
  const table = answer && totals ? prepareWorkspaceTable(answer.rows, totals, { offset, matching: answer.total, search: deferredSearch }) : null;
  const status = cardStatus({
    loading: state.loading || (page.loading && !answer),
    error: state.error ?? page.error,
    hasData: table !== null,
    isEmpty: totals?.workspaceCount === 0,
    emptyMessage: <p>There are no workspaces yet. Create one with the <code>createWorkspace</code> mutation.</p>,
    retry: () => {
      state.retry();
      void page.refetch();
    },
  });
  const sortBy = (next: TableSort<WorkspaceSortKey>) => {
    setSort(next);
    setOffset(0);
  };
  const lastOffset = answer ? Math.max(0, Math.floor((answer.total - 1) / WORKSPACE_PAGE_SIZE) * WORKSPACE_PAGE_SIZE) : 0;
  return (
    <Card
      title="Workspaces by cost"
      caption={table ? `${table.caption} · ${phrase}` : `Cost, tokens and requests per workspace over ${phrase}`}
      status={status}
      className="card-wide"
      minBodyHeight={160}
    >
      {table && answer ? (
        <>
          <div className="admin-table-tools">
            <label htmlFor={searchId}>Find a workspace</label>
            <input
              id={searchId}
              type="search"
              className="input admin-search"
              value={search}
              placeholder="Part of a name"
              onChange={(event) => {
                setSearch(event.target.value);
                setOffset(0);
              }}
            />
            <span className="muted admin-range" role="status">
              {table.range}
            </span>
            <span className="admin-pager">
              <button type="button" className="button button-quiet" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - WORKSPACE_PAGE_SIZE))}>
                Previous
              </button>
              <button type="button" className="button button-quiet" disabled={offset >= lastOffset} onClick={() => setOffset(offset + WORKSPACE_PAGE_SIZE)}>
                Next
              </button>
            </span>
          </div>
          <ScrollArea label="Workspaces by cost">
            <SortableTable
              columns={COLUMNS}
              rows={table.rows}
              rowKey={(row) => row.id}
              rowProps={(row) => ({ className: row.anomaly ? 'admin-row-anomaly' : undefined })}
              className="admin-table"
              caption="Cost, tokens and requests per workspace, one page at a time; sort by a column with its heading button"
              sort={sort}
              onSortChange={sortBy}
            />
          </ScrollArea>
        </>
      ) : null}
    </Card>
  );
}
