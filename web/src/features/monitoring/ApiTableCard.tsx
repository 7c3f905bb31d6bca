import { Card } from '../../components/Card';
import type { EndpointFiguresFragment } from '../../gql/graphql';
import { API_ORDER, DEFAULT_API_SORT, prepareApiRows, type ApiRow, type ApiSortKey } from './prepare-api-table';
import { loadableStatus, type Loadable } from './use-monitoring-data';
import { ScrollArea } from '../../components/ScrollArea';
import { Sparkline } from '../../components/charts/Sparkline';
import { SortableTable, type SortableColumn } from '../../components/SortableTable';

const COLUMNS: readonly SortableColumn<ApiRow, ApiSortKey>[] = [
  {
    label: 'Route or operation',
    sortKey: 'key',
    firstDirection: 'ascending',
    cell: (row) => (
      <>
        <span className="api-kind muted">{row.kind}</span> <code className="api-key">{row.name}</code>
      </>
    ),
  },
  { label: 'Calls', sortKey: 'callCount', numeric: true, cell: (row) => row.calls },
  { label: 'Avg', sortKey: 'avgTimeMs', numeric: true, cell: (row) => row.avg },
  { label: 'p50', sortKey: 'p50TimeMs', numeric: true, cell: (row) => row.p50 },
  { label: 'p95', sortKey: 'p95TimeMs', numeric: true, cell: (row) => row.p95 },
  { label: 'p99', sortKey: 'p99TimeMs', numeric: true, cell: (row) => row.p99 },
  {
    label: 'Errors',
    sortKey: 'errorCount',
    numeric: true,
    cellClassName: (row) => (row.hasErrors ? 'error-text' : undefined),
    cell: (row) => (
      <>
        {row.errors}
        {row.errorRate ? <span className="muted"> ({row.errorRate})</span> : null}
      </>
    ),
  },
  { label: 'Limited', sortKey: 'limitedCount', numeric: true, cellClassName: (row) => (row.hasLimited ? 'error-text' : 'muted'), cell: (row) => row.limited },
  { label: 'Last call', sortKey: 'lastCalled', cell: (row) => row.lastCalled },
  { label: 'Last 100 times', cellClassName: 'api-sparkline', cell: (row) => <Sparkline values={row.recentTimesMs} label={`Response times of ${row.key}`} /> },
  { label: 'Statuses', cellClassName: 'muted', cell: (row) => row.statusCodes },
];

/** Every REST route and GraphQL operation the gateway served, sortable by any column. */
export function ApiTableCard({ endpoints, state, now }: { endpoints: readonly EndpointFiguresFragment[] | null; state: Loadable; now: Date }) {
  const rows = endpoints ? prepareApiRows(endpoints, now) : [];
  const status = loadableStatus(state, rows.length === 0, <p>No requests since the gateway started. Every HTTP route and GraphQL operation appears here after its first call.</p>);
  return (
    <Card
      title="API performance"
      caption="Since the gateway started; percentiles over each key's last 100 calls; Limited: refused by a rate or socket limit"
      status={status}
      className="card-wide"
      minBodyHeight={160}
    >
      <ScrollArea label="Calls per route and operation">
        <SortableTable
          columns={COLUMNS}
          rows={rows}
          rowKey={(row) => row.key}
          className="api-table"
          caption="Calls, times, errors and calls refused by a limit, per route and GraphQL operation"
          defaultSort={DEFAULT_API_SORT}
          order={API_ORDER}
        />
      </ScrollArea>
    </Card>
  );
}
