import { useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { DEFAULT_WORKSPACE_SORT, nextWorkspaceSort, prepareWorkspaceTable, type WorkspaceSort, type WorkspaceSortKey } from './prepare-workspace-table';
import type { AdminDashboardState } from './use-admin-dashboard';
import { ScrollArea } from '../../components/ScrollArea';

const COLUMNS: readonly { key: WorkspaceSortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Workspace', numeric: false },
  { key: 'plan', label: 'Plan', numeric: false },
  { key: 'cost', label: 'Cost', numeric: true },
  { key: 'tokens', label: 'Tokens', numeric: true },
  { key: 'requests', label: 'Requests', numeric: true },
  { key: 'anomaly', label: 'Status', numeric: false },
];

/** Every workspace's cost, tokens and requests in the period, sortable by any column, anomalies named in words. */
export function WorkspaceTableCard({ state, phrase }: { state: AdminDashboardState; phrase: string }) {
  const [sort, setSort] = useState<WorkspaceSort>(DEFAULT_WORKSPACE_SORT);
  const table = state.data ? prepareWorkspaceTable(state.data.workspaces, sort) : null;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: table !== null,
    isEmpty: table?.rows.length === 0,
    emptyMessage: <p>There are no workspaces yet. Create one with the <code>createWorkspace</code> mutation.</p>,
    retry: state.retry,
  });
  return (
    <Card
      title="Workspaces by cost"
      caption={table ? `${table.caption} · ${phrase}` : `Cost, tokens and requests per workspace over ${phrase}`}
      status={status}
      className="card-wide"
      minBodyHeight={160}
    >
      {table ? (
        <ScrollArea label="Workspaces by cost">
          <table className="feed admin-table">
            <caption className="visually-hidden">Cost, tokens and requests per workspace; sort by a column with its heading button</caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => {
                  const active = sort.by === column.key;
                  return (
                    <th key={column.key} scope="col" className={column.numeric ? 'num' : undefined} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                      <button type="button" className="admin-sort" onClick={() => setSort((current) => nextWorkspaceSort(current, column.key))}>
                        {column.label}
                        <span aria-hidden="true" className="admin-sort-mark">
                          {active ? (sort.descending ? '▼' : '▲') : ''}
                        </span>
                      </button>
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
      ) : null}
    </Card>
  );
}
