import { formatAgo, formatCount, formatLatency, formatPercent } from '../../format';
import type { Comparator, RowOrder, TableSort } from '../../components/table-sort';
import type { EndpointFiguresFragment } from '../../gql/graphql';

/** The columns the API table sorts by. */
export type ApiSortKey = 'key' | 'callCount' | 'avgTimeMs' | 'p50TimeMs' | 'p95TimeMs' | 'p99TimeMs' | 'errorCount' | 'limitedCount' | 'lastCalled';

/** Busiest first: the table's order until someone picks a column. */
export const DEFAULT_API_SORT: TableSort<ApiSortKey> = { key: 'callCount', direction: 'descending' };

/** One row of the API table, in words. */
export interface ApiRow {
  key: string;
  /** What the key is: a REST route, a GraphQL operation, or WebSocket connections refused at connection_init. */
  kind: 'REST' | 'GraphQL' | 'WebSocket';
  /** The key as the table shows it beside its kind: a GraphQL operation without the "graphql " its kind already says. */
  name: string;
  calls: string;
  avg: string;
  p50: string;
  p95: string;
  p99: string;
  errors: string;
  /** errorCount / callCount, written only when there are errors. */
  errorRate: string | null;
  /** Calls refused by an abuse limit (they are errors too). */
  limited: string;
  /** The last 100 response times, oldest first, for the row's sparkline. */
  recentTimesMs: readonly number[];
  /** "200 ×12 · 400 ×1". */
  statusCodes: string;
  lastCalled: string;
  hasErrors: boolean;
  hasLimited: boolean;
  /** The figures the row was written from, which the table sorts by. */
  endpoint: EndpointFiguresFragment;
}

const byFigure =
  (figure: Exclude<ApiSortKey, 'key' | 'lastCalled'>): Comparator<ApiRow> =>
  (a, b) =>
    a.endpoint[figure] - b.endpoint[figure];

const lastCalledAt = (row: ApiRow) => (row.endpoint.lastCalled ? Date.parse(row.endpoint.lastCalled) : 0);

/** How the API table orders its rows by each column; ties fall back to the key, so rows never swap places between snapshots. */
export const API_ORDER: RowOrder<ApiRow, ApiSortKey> = {
  byColumn: {
    key: (a, b) => a.key.localeCompare(b.key),
    callCount: byFigure('callCount'),
    avgTimeMs: byFigure('avgTimeMs'),
    p50TimeMs: byFigure('p50TimeMs'),
    p95TimeMs: byFigure('p95TimeMs'),
    p99TimeMs: byFigure('p99TimeMs'),
    errorCount: byFigure('errorCount'),
    limitedCount: byFigure('limitedCount'),
    lastCalled: (a, b) => lastCalledAt(a) - lastCalledAt(b),
  },
  tiebreak: (a, b) => a.key.localeCompare(b.key),
};

/** How the gateway's tracker names a GraphQL operation's key: 'graphql {operation type} {operation name}'. */
const GRAPHQL_PREFIX = 'graphql ';

/** The table's rows (it sorts them: API_ORDER), with every figure written out. */
export function prepareApiRows(endpoints: readonly EndpointFiguresFragment[], now: Date): ApiRow[] {
  return endpoints.map((e) => ({
    key: e.key,
    kind: e.key.startsWith(GRAPHQL_PREFIX) ? 'GraphQL' : e.key.startsWith('WS ') ? 'WebSocket' : 'REST',
    name: e.key.startsWith(GRAPHQL_PREFIX) ? e.key.slice(GRAPHQL_PREFIX.length) : e.key,
    calls: formatCount(e.callCount),
    avg: formatLatency(e.avgTimeMs),
    p50: formatLatency(e.p50TimeMs),
    p95: formatLatency(e.p95TimeMs),
    p99: formatLatency(e.p99TimeMs),
    errors: formatCount(e.errorCount),
    errorRate: e.errorCount > 0 && e.callCount > 0 ? formatPercent(e.errorCount / e.callCount) : null,
    limited: formatCount(e.limitedCount),
    recentTimesMs: e.recentTimesMs,
    statusCodes: e.statusCodes.map((s) => `${s.code} ×${formatCount(s.count)}`).join(' · '),
    lastCalled: e.lastCalled ? formatAgo(e.lastCalled, now) : 'never',
    hasErrors: e.errorCount > 0,
    hasLimited: e.limitedCount > 0,
    endpoint: e,
  }));
}
