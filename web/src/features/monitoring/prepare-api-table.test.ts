import type { EndpointFiguresFragment } from '../../gql/graphql';
import { sortRows } from '../../components/table-sort';
import { API_ORDER, DEFAULT_API_SORT, prepareApiRows } from './prepare-api-table';

const endpoint = (key: string, overrides: Partial<EndpointFiguresFragment> = {}): EndpointFiguresFragment => ({
  __typename: 'EndpointStats',
  key,
  callCount: 10,
  totalTimeMs: 1000,
  avgTimeMs: 100,
  minTimeMs: 10,
  maxTimeMs: 900,
  p50TimeMs: 80,
  p95TimeMs: 400,
  p99TimeMs: 850,
  recentTimesMs: [80, 400, 850],
  errorCount: 0,
  limitedCount: 0,
  statusCodes: [{ __typename: 'StatusCount', code: 200, count: 10 }],
  lastCalled: '2025-05-03T14:59:30Z',
  ...overrides,
});

const now = new Date('2025-05-03T15:00:00Z');

describe('sorting the API table', () => {
  const endpoints = [
    endpoint('GET /health', { callCount: 50, p95TimeMs: 3 }),
    endpoint('graphql query Summary', { callCount: 5, p95TimeMs: 900 }),
    endpoint('POST /graphql', { callCount: 50, p95TimeMs: 20 }),
  ];

  const rows = prepareApiRows(endpoints, now);

  it('starts with the busiest first, ties by key', () => {
    expect(sortRows(rows, DEFAULT_API_SORT, API_ORDER).map((row) => row.key)).toEqual(['GET /health', 'POST /graphql', 'graphql query Summary']);
  });

  it('sorts by p95, slowest first or fastest first', () => {
    expect(sortRows(rows, { key: 'p95TimeMs', direction: 'descending' }, API_ORDER).map((row) => row.endpoint.p95TimeMs)).toEqual([900, 20, 3]);
    expect(sortRows(rows, { key: 'p95TimeMs', direction: 'ascending' }, API_ORDER).map((row) => row.endpoint.p95TimeMs)).toEqual([3, 20, 900]);
  });
});

describe('prepareApiRows', () => {
  it('writes the figures a person reads at a glance', () => {
    const [row] = prepareApiRows(
      [
        endpoint('POST /graphql', {
          callCount: 1234,
          errorCount: 12,
          limitedCount: 5,
          statusCodes: [
            { __typename: 'StatusCount', code: 200, count: 1222 },
            { __typename: 'StatusCount', code: 400, count: 7 },
            { __typename: 'StatusCount', code: 429, count: 5 },
          ],
        }),
      ],
      now,
    );
    expect(row).toMatchObject({
      kind: 'REST',
      name: row.key,
      calls: '1,234',
      avg: '100 ms',
      p99: '850 ms',
      errors: '12',
      errorRate: '1.0%',
      limited: '5',
      recentTimesMs: [80, 400, 850],
      statusCodes: '200 ×1,222 · 400 ×7 · 429 ×5',
      lastCalled: '30 s ago',
      hasErrors: true,
      hasLimited: true,
    });
  });

  it('marks GraphQL operations and writes no error rate without errors', () => {
    const [row] = prepareApiRows([endpoint('graphql mutation Track')], now);
    expect(row).toMatchObject({ kind: 'GraphQL', name: 'mutation Track', key: 'graphql mutation Track' });
    expect(row.errorRate).toBeNull();
    expect(row).toMatchObject({ limited: '0', hasLimited: false });
  });

  it('marks sockets refused at connection_init as WebSocket', () => {
    const [row] = prepareApiRows([endpoint('WS /graphql', { limitedCount: 3 })], now);
    expect(row).toMatchObject({ kind: 'WebSocket', limited: '3', hasLimited: true });
  });
});
