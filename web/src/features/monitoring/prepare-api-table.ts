import { formatAgo, formatCount, formatLatency, formatPercent } from '../../format';
import type { EndpointFiguresFragment } from '../../gql/graphql';

/** The columns the API table sorts by. */
export type ApiSortKey = 'key' | 'callCount' | 'avgTimeMs' | 'p50TimeMs' | 'p95TimeMs' | 'p99TimeMs' | 'errorCount' | 'limitedCount' | 'lastCalled';

export interface ApiSort {
  by: ApiSortKey;
  descending: boolean;
}

/** Busiest first: the table's order until someone picks a column. */
export const DEFAULT_API_SORT: ApiSort = { by: 'callCount', descending: true };

/** One row of the API table, in words. */
export interface ApiRow {
  key: string;
  /** What the key is: a REST route, a GraphQL operation, or WebSocket connections refused at connection_init. */
  kind: 'REST' | 'GraphQL' | 'WebSocket';
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
}

/**
 * The sort after a click on `by`: the same column flips its direction; another column starts
 * with what reads first (names A to Z, figures largest first).
 */
export function nextSort(current: ApiSort, by: ApiSortKey): ApiSort {
  if (current.by === by) return { by, descending: !current.descending };
  return { by, descending: by !== 'key' };
}

function sortValue(endpoint: EndpointFiguresFragment, by: ApiSortKey): number | string {
  if (by === 'key') return endpoint.key;
  if (by === 'lastCalled') return endpoint.lastCalled ? Date.parse(endpoint.lastCalled) : 0;
  return endpoint[by];
}

/** The endpoints in the table's order; ties fall back to the key, so rows never swap places between snapshots. */
export function sortEndpoints(endpoints: readonly EndpointFiguresFragment[], sort: ApiSort): EndpointFiguresFragment[] {
  const direction = sort.descending ? -1 : 1;
  return [...endpoints].sort((a, b) => {
    const x = sortValue(a, sort.by);
    const y = sortValue(b, sort.by);
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
    return order !== 0 ? order * direction : a.key.localeCompare(b.key);
  });
}

/** The table's rows, sorted, with every figure written out. */
export function prepareApiRows(endpoints: readonly EndpointFiguresFragment[], sort: ApiSort, now: Date): ApiRow[] {
  return sortEndpoints(endpoints, sort).map((e) => ({
    key: e.key,
    kind: e.key.startsWith('graphql ') ? 'GraphQL' : e.key.startsWith('WS ') ? 'WebSocket' : 'REST',
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
  }));
}
