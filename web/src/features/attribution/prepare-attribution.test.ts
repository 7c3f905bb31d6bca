import type { UsageByDimensionQuery, UserSessionsQuery, UsersDailyCostQuery } from './gql/graphql';
import { dailyCostPerUser, sessionRows, periodDays, prepareUsageEntries, searchEntries, userFigures } from './prepare-attribution';

type Row = UsageByDimensionQuery['usageMetrics']['rows'][number];
const row = (value: string, label: string, cost: number, requests: number): Row => ({
  __typename: 'MetricsRow',
  bucket: null,
  dimensions: [{ __typename: 'DimensionValue', dimension: 'USER', value, label }],
  values: [
    { __typename: 'MetricValue', metric: 'TOTAL_COST', value: cost },
    { __typename: 'MetricValue', metric: 'REQUESTS', value: requests },
    { __typename: 'MetricValue', metric: 'TOTAL_TOKENS', value: requests * 1000 },
  ],
});

describe('prepareUsageEntries', () => {
  it('keeps the API order, sizes bars against the costliest and marks the group without a user', () => {
    const entries = prepareUsageEntries([row('u-1', 'u-1', 4, 10), row('', 'No user', 2, 5), row('u-2', 'u-2', 1, 1)]);
    expect(entries.map((entry) => [entry.id, entry.label, entry.named, entry.costLabel, entry.requests, entry.barShare])).toEqual([
      ['u-1', 'u-1', true, '$4.00', '10', 1],
      ['', 'No user', false, '$2.00', '5', 0.5],
      ['u-2', 'u-2', true, '$1.00', '1', 0.25],
    ]);
  });
});

describe('searchEntries', () => {
  const entries = prepareUsageEntries([row('alice@acme', 'alice@acme', 3, 1), row('', 'No user', 2, 1), row('bob@acme', 'bob@acme', 1, 1)]);
  it('finds users by part of their id, in any case, never the group without a user', () => {
    expect(searchEntries(entries, 'ACME').map((entry) => entry.id)).toEqual(['alice@acme', 'bob@acme']);
    expect(searchEntries(entries, 'no user')).toEqual([]);
  });
  it('gives every entry back for a blank search', () => {
    expect(searchEntries(entries, '  ')).toHaveLength(3);
  });
});

describe('periodDays and dailyCostPerUser', () => {
  it('lists every day the period touches and puts each user’s cost on its day, zero elsewhere', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const days = periodDays('LAST_7D', now, 'UTC');
    expect(days).toEqual(['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    const rows: UsersDailyCostQuery['usageMetrics']['rows'] = [
      { __typename: 'MetricsRow', bucket: '2026-03-04T00:00:00.000Z', dimensions: [{ __typename: 'DimensionValue', dimension: 'USER', value: 'u-1', label: 'u-1' }], values: [{ __typename: 'MetricValue', metric: 'TOTAL_COST', value: 2 }] },
      { __typename: 'MetricsRow', bucket: '2026-03-10T00:00:00.000Z', dimensions: [{ __typename: 'DimensionValue', dimension: 'USER', value: 'u-1', label: 'u-1' }], values: [{ __typename: 'MetricValue', metric: 'TOTAL_COST', value: 3 }] },
      { __typename: 'MetricsRow', bucket: '2026-03-01T00:00:00.000Z', dimensions: [{ __typename: 'DimensionValue', dimension: 'USER', value: 'u-2', label: 'u-2' }], values: [{ __typename: 'MetricValue', metric: 'TOTAL_COST', value: 9 }] },
    ];
    const perUser = dailyCostPerUser(rows, days, 'UTC');
    expect(perUser.get('u-1')).toEqual([0, 2, 0, 0, 0, 0, 0, 3]);
    expect(perUser.has('u-2')).toBe(false);
  });
});

describe('sessionRows', () => {
  type Session = UserSessionsQuery['userSessions']['sessions'][number];
  const session = (sessionId: string | null, calls: number, totalCost: number, models: string[], errors = 0): Session => ({
    __typename: 'UserSession',
    sessionId,
    calls,
    errors,
    totalCost,
    models,
    firstCallAt: '2026-03-01T09:00:00Z',
    lastCallAt: '2026-03-03T10:00:00Z',
  });
  it('puts the sessions the API summed in words, in its order, the calls without a session as "no session"', () => {
    const rows = sessionRows([session('s-a', 3, 3, ['gpt-4o-mini', 'gpt-4o']), session('s-b', 1, 0.25, ['gpt-4o-mini'], 1), session(null, 1, 0.5, ['gpt-4o'])]);
    expect(rows.map((s) => [s.id, s.calls, s.cost, s.firstAt, s.lastAt, s.models, s.errors])).toEqual([
      ['s-a', 3, '$3.00', '2026-03-01T09:00:00Z', '2026-03-03T10:00:00Z', ['gpt-4o-mini', 'gpt-4o'], 0],
      ['s-b', 1, '$0.25', '2026-03-01T09:00:00Z', '2026-03-03T10:00:00Z', ['gpt-4o-mini'], 1],
      [null, 1, '$0.50', '2026-03-01T09:00:00Z', '2026-03-03T10:00:00Z', ['gpt-4o'], 0],
    ]);
  });
});

describe('figures', () => {
  const totals = {
    values: [
      { metric: 'TOTAL_COST' as const, value: 12.5 },
      { metric: 'REQUESTS' as const, value: 1200 },
      { metric: 'TOTAL_TOKENS' as const, value: 2_500_000 },
      { metric: 'ERROR_RATE' as const, value: 0.02 },
      { metric: 'P95_LATENCY_MS' as const, value: 1500 },
      { metric: 'ERROR_COUNT' as const, value: 24 },
      { metric: 'UNPRICED_REQUESTS' as const, value: 3 },
    ],
  };
  it('gives a user’s cost, requests, tokens, error rate and, once known, sessions', () => {
    expect(userFigures(totals, 3).map((figure) => `${figure.label} ${figure.value}`)).toEqual(['Cost $12.50', 'Requests 1,200', 'Tokens 2.5M', 'Error rate 2.0%', 'Sessions 3']);
    expect(userFigures(totals, null).map((figure) => figure.label)).not.toContain('Sessions');
  });
});
