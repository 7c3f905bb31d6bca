import { DEFAULT_PERIOD, parsePeriod } from './period';

describe('parsePeriod', () => {
  it.each([
    ['LAST_24H', 'LAST_24H'],
    ['LAST_90D', 'LAST_90D'],
    ['LAST_1H', DEFAULT_PERIOD],
    ['last_7d', DEFAULT_PERIOD],
    [null, DEFAULT_PERIOD],
  ])('reads %p as %p', (value, expected) => {
    expect(parsePeriod(value)).toBe(expected);
  });
});
