import { useQuery } from '@apollo/client/react';
import { useDeferredValue, useId, useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { AdminWorkspaceCostsDocument, type Period } from '../../gql/graphql';
import {
  DEFAULT_WORKSPACE_SORT,
  nextWorkspaceSort,
  prepareWorkspaceTable,
  WORKSPACE_PAGE_SIZE,
  type WorkspaceSort,
  type WorkspaceSortKey,
} from './prepare-workspace-table';
import type { AdminDashboardState } from './use-admin-dashboard';
import { workspacePageVariables } from './admin-queries';
import { ScrollArea } from '../../components/ScrollArea';

const COLUMNS: readonly { key: WorkspaceSortKey | null; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Workspace', numeric: false },
  { key: 'plan', label: 'Plan', numeric: false },
  { key: 'cost', label: 'Cost', numeric: true },
  { key: 'tokens', label: 'Tokens', numeric: true },
  { key: 'requests', label: 'Requests', numeric: true },
  { key: null, label: 'Status', numeric: false },
];

/**
 * Every workspace's cost, tokens and requests in the period, a page at a time: the server
 * searches by name, sorts by any column and cuts the page, so thousands of workspaces draw as
 * fast as ten. Anomalies are named in words.
 */
export function WorkspaceTableCard({ state, period, phrase }: { state: AdminDashboardState; period: Period; phrase: string }) {
  const searchId = useId();
  const [sort, setSort] = useState<WorkspaceSort>(DEFAULT_WORKSPACE_SORT);
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
  const sortBy = (key: WorkspaceSortKey) => {
    setSort((current) => nextWorkspaceSort(current, key));
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
              className="admin-search"
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
            <table className="feed admin-table">
              <caption className="visually-hidden">Cost, tokens and requests per workspace, one page at a time; sort by a column with its heading button</caption>
              <thead>
                <tr>
                  {COLUMNS.map((column) => {
                    const key = column.key;
                    const active = key !== null && sort.by === key;
                    return (
                      <th
                        key={column.label}
                        scope="col"
                        className={column.numeric ? 'num' : undefined}
                        aria-sort={key === null ? undefined : active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                      >
                        {key === null ? (
                          column.label
                        ) : (
                          <button type="button" className="admin-sort" onClick={() => sortBy(key)}>
                            {column.label}
                            <span aria-hidden="true" className="admin-sort-mark">
                              {active ? (sort.descending ? '▼' : '▲') : ''}
                            </span>
                          </button>
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr key={row.id} className={row.anomaly ? 'admin-row-anomaly' : undefined}>
                    <th scope="row" className="admin-workspace">
                      {row.name}
                    </th>
                    <td>
                      <span className="admin-plan">{row.plan}</span>
                    </td>
                    <td className="num">
                      <span className="admin-cost">
                        <span className="admin-share-bar" aria-hidden="true">
                          <span style={{ width: `${Math.round(row.shareValue * 100)}%` }} />
                        </span>
                        {row.cost}
                        <span className="muted admin-share"> {row.share}</span>
                      </span>
                    </td>
                    <td className="num">{row.tokens}</td>
                    <td className="num">{row.requests}</td>
                    <td>
                      {row.anomaly ? (
                        <span className="badge badge-warn">
                          <span aria-hidden="true">⚠</span> Anomaly <span className="badge-detail">· {row.anomaly}</span>
                        </span>
                      ) : (
                        <span className="muted">Normal</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        </>
      ) : null}
    </Card>
  );
}
