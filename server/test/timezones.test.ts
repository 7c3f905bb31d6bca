import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

const USAGE_METRICS = `query Buckets($query: MetricsQueryInput!) {
  usageMetrics(query: $query) { source rows { bucket values { metric value } } }
}`;

interface Bucketed {
  source: string;
  /** Bucket instant (ISO) -> [requests, input tokens]. */
  buckets: [string, number, number][];
}

let server: TestServer;
beforeAll(async () => {
  // These cases hold a few calls each: by cost they would read raw rows, and the rollups' buckets go untested.
  server = await startTestServer({ env: { METRICS_SOURCES: 'rollup' } });
});
afterAll(() => server.dispose());

/**
 * A workspace of its own holding one call at each instant; call i carries 10^i input
 * tokens, so a bucket's token sum names exactly which calls it holds.
 */
async function workspaceWithCallsAt(name: string, instants: string[]): Promise<string> {
  const { key } = await server.workspaceWithKey(name);
  const inputs = instants.map((occurredAt, i) => call({ occurredAt, inputTokens: 10 ** i, outputTokens: 0 }));
  const result = await server.gql(TRACK_MANY, { inputs }, { key });
  expect(result.data!.trackLlmCalls).toEqual({ accepted: instants.length, duplicates: 0, rejected: [] });
  return key;
}

async function buckets(key: string, query: Record<string, unknown>): Promise<Bucketed> {
  const result = await server.gql(USAGE_METRICS, { query: { metrics: ['REQUESTS', 'INPUT_TOKENS'], ...query } }, { key });
  expect(result.errors).toBeUndefined();
  const { source, rows } = result.data!.usageMetrics as { source: string; rows: { bucket: string; values: { value: number }[] }[] };
  return { source, buckets: rows.map((r) => [r.bucket, r.values[0].value, r.values[1].value]) };
}

const hoursBetween = (a: string, b: string): number => (Date.parse(b) - Date.parse(a)) / 3_600_000;

describe('DAY buckets in America/New_York', () => {
  it('makes 2026-03-08 (clocks go forward) a local day of 23 hours holding its calls', async () => {
    const key = await workspaceWithCallsAt('ny-spring', [
      '2026-03-08T04:59:59Z', // Mar 7, 23:59:59 EST
      '2026-03-08T05:00:00Z', // Mar 8, 00:00 EST
      '2026-03-08T06:30:00Z', // 01:30 EST
      '2026-03-08T07:30:00Z', // 03:30 EDT, just after the jump
      '2026-03-09T03:59:59Z', // Mar 8, 23:59:59 EDT
      '2026-03-09T04:00:00Z', // Mar 9, 00:00 EDT
    ]);
    const result = await buckets(key, { from: '2026-03-07T05:00:00Z', to: '2026-03-10T04:00:00Z', timezone: 'America/New_York', bucket: 'DAY' });
    expect(result).toEqual({
      source: 'ROLLUP',
      buckets: [
        ['2026-03-07T05:00:00.000Z', 1, 1],
        ['2026-03-08T05:00:00.000Z', 4, 11110],
        ['2026-03-09T04:00:00.000Z', 1, 100000],
      ],
    });
    expect(hoursBetween(result.buckets[1][0], result.buckets[2][0])).toBe(23);
  });

  it('makes 2026-11-01 (clocks go back) a local day of 25 hours holding both 01:30s', async () => {
    const key = await workspaceWithCallsAt('ny-fall', [
      '2026-11-01T03:59:59Z', // Oct 31, 23:59:59 EDT
      '2026-11-01T04:00:00Z', // Nov 1, 00:00 EDT
      '2026-11-01T05:30:00Z', // 01:30 EDT, the first time
      '2026-11-01T06:30:00Z', // 01:30 EST, the second time
      '2026-11-02T04:59:59Z', // Nov 1, 23:59:59 EST
      '2026-11-02T05:00:00Z', // Nov 2, 00:00 EST
    ]);
    const result = await buckets(key, { from: '2026-10-31T04:00:00Z', to: '2026-11-03T05:00:00Z', timezone: 'America/New_York', bucket: 'DAY' });
    expect(result).toEqual({
      source: 'ROLLUP',
      buckets: [
        ['2026-10-31T04:00:00.000Z', 1, 1],
        ['2026-11-01T04:00:00.000Z', 4, 11110],
        ['2026-11-02T05:00:00.000Z', 1, 100000],
      ],
    });
    expect(hoursBetween(result.buckets[1][0], result.buckets[2][0])).toBe(25);
  });

  it('keeps the two 01:00 hours of 2026-11-01 (clocks go back) apart in HOUR buckets', async () => {
    const key = await workspaceWithCallsAt('ny-fall-hours', [
      '2026-11-01T05:30:00Z', // 01:30 EDT
      '2026-11-01T06:30:00Z', // 01:30 EST, an hour later
    ]);
    const result = await buckets(key, { from: '2026-11-01T04:00:00Z', to: '2026-11-01T08:00:00Z', timezone: 'America/New_York', bucket: 'HOUR' });
    expect(result.buckets).toEqual([
      ['2026-11-01T05:00:00.000Z', 1, 1],
      ['2026-11-01T06:00:00.000Z', 1, 10],
    ]);
  });

  it('gives the same days for a range that starts and ends mid-hour', async () => {
    const key = await workspaceWithCallsAt('ny-odd-range', [
      '2026-03-07T05:20:00Z', // before the range starts
      '2026-03-07T05:40:00Z', // Mar 7, in the first partial hour
      '2026-03-08T06:30:00Z', // Mar 8
      '2026-03-09T22:10:00Z', // Mar 9, in the last partial hour
      '2026-03-09T22:20:00Z', // after the range ends
    ]);
    const result = await buckets(key, { from: '2026-03-07T05:30:00Z', to: '2026-03-09T22:15:00Z', timezone: 'America/New_York', bucket: 'DAY' });
    expect(result).toEqual({
      source: 'ROLLUP',
      buckets: [
        ['2026-03-07T05:00:00.000Z', 1, 10],
        ['2026-03-08T05:00:00.000Z', 1, 100],
        ['2026-03-09T04:00:00.000Z', 1, 1000],
      ],
    });
  });
});

describe('Asia/Kolkata (UTC+05:30)', () => {
  it('splits days at 18:30 UTC, reading raw rows because local days cut UTC hours in half', async () => {
    const key = await workspaceWithCallsAt('kolkata-days', [
      '2026-03-01T18:10:00Z', // Mar 1, 23:40 IST
      '2026-03-01T18:29:59Z', // Mar 1, 23:59:59 IST
      '2026-03-01T18:30:00Z', // Mar 2, 00:00 IST
      '2026-03-01T18:45:00Z', // Mar 2, 00:15 IST: the same UTC hour as the first two
      '2026-03-02T18:29:59Z', // Mar 2, 23:59:59 IST
    ]);
    const result = await buckets(key, { from: '2026-02-28T18:30:00Z', to: '2026-03-02T18:30:00Z', timezone: 'Asia/Kolkata', bucket: 'DAY' });
    expect(result).toEqual({
      source: 'RAW',
      buckets: [
        ['2026-02-28T18:30:00.000Z', 2, 11],
        ['2026-03-01T18:30:00.000Z', 3, 11100],
      ],
    });
  });

  it('starts local hours at half past the UTC hour', async () => {
    const key = await workspaceWithCallsAt('kolkata-hours', ['2026-03-01T18:10:00Z', '2026-03-01T18:45:00Z', '2026-03-01T19:29:00Z']);
    const result = await buckets(key, { from: '2026-03-01T00:00:00Z', to: '2026-03-02T06:00:00Z', timezone: 'Asia/Kolkata', bucket: 'HOUR' });
    expect(result).toEqual({
      source: 'RAW',
      buckets: [
        ['2026-03-01T17:30:00.000Z', 1, 1],
        ['2026-03-01T18:30:00.000Z', 2, 110],
      ],
    });
  });
});

describe('MONTH buckets in UTC', () => {
  it('puts 23:59:59 on the last day in its month and 00:00:00 on the first in the next', async () => {
    const key = await workspaceWithCallsAt('utc-months', [
      '2026-01-31T23:59:59Z',
      '2026-02-01T00:00:00Z',
      '2026-02-28T23:59:59Z',
      '2026-03-01T00:00:00Z',
      '2026-03-31T23:59:59Z',
      '2026-04-01T00:00:00Z', // the range ends here
    ]);
    const result = await buckets(key, { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', timezone: 'UTC', bucket: 'MONTH' });
    expect(result).toEqual({
      source: 'ROLLUP',
      buckets: [
        ['2026-01-01T00:00:00.000Z', 1, 1],
        ['2026-02-01T00:00:00.000Z', 2, 110],
        ['2026-03-01T00:00:00.000Z', 2, 11000],
      ],
    });
  });

  it('keeps month edges exact when the range starts and ends inside an hour', async () => {
    const key = await workspaceWithCallsAt('utc-months-odd', [
      '2026-01-31T12:00:00Z', // before the range starts
      '2026-01-31T23:59:59Z',
      '2026-02-01T00:00:00Z',
      '2026-03-01T00:00:00Z',
      '2026-03-01T00:00:31Z', // after the range ends
    ]);
    const result = await buckets(key, { from: '2026-01-31T12:34:56Z', to: '2026-03-01T00:00:30Z', timezone: 'UTC', bucket: 'MONTH' });
    expect(result).toEqual({
      source: 'ROLLUP',
      buckets: [
        ['2026-01-01T00:00:00.000Z', 1, 10],
        ['2026-02-01T00:00:00.000Z', 1, 100],
        ['2026-03-01T00:00:00.000Z', 1, 1000],
      ],
    });
  });
});
