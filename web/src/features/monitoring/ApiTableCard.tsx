import { useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import type { EndpointFiguresFragment } from '../../gql/graphql';
import { DEFAULT_API_SORT, nextSort, prepareApiRows, type ApiSort, type ApiSortKey } from './prepare-api-table';
import type { Loadable } from './use-monitoring-data';
import { ScrollArea } from '../../components/ScrollArea';
import { Sparkline } from '../../components/charts/Sparkline';

const COLUMNS: readonly { key: ApiSortKey; label: string; numeric: boolean }[] = [
  { key: 'key', label: 'Route or operation', numeric: false },
  { key: 'callCount', label: 'Calls', numeric: true },
  { key: 'avgTimeMs', label: 'Avg', numeric: true },
  { key: 'p50TimeMs', label: 'p50', numeric: true },
  { key: 'p95TimeMs', label: 'p95', numeric: true },
  { key: 'p99TimeMs', label: 'p99', numeric: true },
  { key: 'errorCount', label: 'Errors', numeric: true },
  { key: 'limitedCount', label: 'Limited', numeric: true },
  { key: 'lastCalled', label: 'Last call', numeric: false },
];

/** Every REST route and GraphQL operation the gateway served, sortable by any column. */
export function ApiTableCard({ endpoints, state, now }: { endpoints: readonly EndpointFiguresFragment[] | null; state: Loadable; now: Date }) {
  const [sort, setSort] = useState<ApiSort>(DEFAULT_API_SORT);
  const rows = endpoints ? prepareApiRows(endpoints, sort, now) : [];
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: state.hasData,
    isEmpty: rows.length === 0,
    emptyMessage: <p>No requests since the gateway started. Every HTTP route and GraphQL operation appears here after its first call.</p>,
    retry: state.refetch,
  });
  return (
    <Card
      title="API performance"
      caption="Since the gateway started; percentiles over each key's last 100 calls; Limited: refused by a rate or socket limit"
      status={status}
      className="card-wide"
      minBodyHeight={160}
    >
      <ScrollArea label="Calls per route and operation">
        <table className="feed api-table">
          <caption className="visually-hidden">Calls, times, errors and calls refused by a limit, per route and GraphQL operation</caption>
          <thead>
            <tr>
              {COLUMNS.map((column) => {
                const active = sort.by === column.key;
                return (
                  <th key={column.key} scope="col" className={column.numeric ? 'num' : undefined} aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                    <button type="button" className="sort-button" onClick={() => setSort((current) => nextSort(current, column.key))}>
                      {column.label}
                      <span aria-hidden="true" className="sort-mark">
                        {active ? (sort.descending ? '▼' : '▲') : ''}
                      </span>
                    </button>
                  </th>
                );
              })}
              <th scope="col">Last 100 times</th>
              <th scope="col">Status codes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <td>
                  <span className="api-kind muted">{row.kind}</span> <code className="api-key">{row.key}</code>
                </td>
                <td className="num">{row.calls}</td>
                <td className="num">{row.avg}</td>
                <td className="num">{row.p50}</td>
                <td className="num">{row.p95}</td>
                <td className="num">{row.p99}</td>
                <td className={row.hasErrors ? 'num error-text' : 'num'}>
                  {row.errors}
                  {row.errorRate ? <span className="muted"> ({row.errorRate})</span> : null}
                </td>
                <td className={row.hasLimited ? 'num error-text' : 'num muted'}>{row.limited}</td>
                <td>{row.lastCalled}</td>
                <td className="api-sparkline">
                  <Sparkline values={row.recentTimesMs} label={`Response times of ${row.key}`} />
                </td>
                <td className="muted">{row.statusCodes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </Card>
  );
}
