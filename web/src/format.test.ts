import { formatAgo, formatDollars, formatFullDateTime, formatLatency, formatPercent, formatTokens } from './format';

describe('formatDollars', () => {
  it.each([
    [0, '$0.00'],
    [1234.567, '$1,234.57'],
    [0.01, '$0.01'],
    [0.5, '$0.50'],
    [0.004321, '$0.004321'],
    [0.00012345, '$0.0001235'],
    [0.000001, '$0.000001'],
    [-0.002, '-$0.002'],
    [-12.5, '-$12.50'],
    [Number.NaN, '–'],
  ])('writes %p as %p', (amount, expected) => {
    expect(formatDollars(amount)).toBe(expected);
  });
});

describe('formatTokens', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [999, '999'],
    [1000, '1.0k'],
    [1234, '1.2k'],
    [9949, '9.9k'],
    [9950, '10k'],
    [48_200, '48k'],
    [999_400, '999k'],
    [999_950, '1.0M'],
    [3_400_000, '3.4M'],
    [12_345_678, '12M'],
    [1_100_000_000, '1.1B'],
    [2_500_000_000_000, '2500B'],
    [-1500, '-1.5k'],
  ])('writes %p as %p', (count, expected) => {
    expect(formatTokens(count)).toBe(expected);
  });
});

describe('formatLatency', () => {
  it.each([
    [0, '0 ms'],
    [840, '840 ms'],
    [999.4, '999 ms'],
    [999.6, '1.00 s'],
    [1250, '1.25 s'],
    [12_340, '12.3 s'],
    [125_000, '2 min 5 s'],
  ])('writes %p ms as %p', (ms, expected) => {
    expect(formatLatency(ms)).toBe(expected);
  });
});

describe('formatAgo', () => {
  const now = new Date('2025-05-03T12:00:00Z');
  it.each([
    ['2025-05-03T11:59:58Z', 'just now'],
    ['2025-05-03T11:59:18Z', '42 s ago'],
    ['2025-05-03T11:55:00Z', '5 min ago'],
    ['2025-05-03T09:00:00Z', '3 h ago'],
    ['2025-04-30T12:00:00Z', '3 d ago'],
    ['2025-05-03T12:00:30Z', 'just now'],
  ])('writes %p as %p', (iso, expected) => {
    expect(formatAgo(iso, now)).toBe(expected);
  });
});

it('formatPercent writes a share of one with one decimal', () => {
  expect(formatPercent(0.1234)).toBe('12.3%');
});

describe('formatFullDateTime', () => {
  it.each([
    ['UTC', '3 May 2025, 14:05:09 UTC'],
    ['America/New_York', '3 May 2025, 10:05:09 GMT-4'],
    ['Asia/Kolkata', '3 May 2025, 19:35:09 GMT+5:30'],
  ])('writes a moment in %s as %s', (zone, expected) => {
    expect(formatFullDateTime('2025-05-03T14:05:09Z', zone)).toBe(expected);
  });
});
