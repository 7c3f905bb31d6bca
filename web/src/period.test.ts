import { CARD_PERIOD_PARAMS, DEFAULT_PERIOD, parseCardPeriod, parsePeriod } from './period';

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

describe('parseCardPeriod', () => {
  it.each([
    ['LAST_24H', 'LAST_24H'],
    ['LAST_30D', 'LAST_30D'],
    ['LAST_1H', null],
    ['', null],
    [null, null],
  ])('reads %p as %p (null follows the page)', (value, expected) => {
    expect(parseCardPeriod(value)).toBe(expected);
  });
});

describe('CARD_PERIOD_PARAMS', () => {
  it('gives each card a parameter of its own, none the page period', () => {
    const names = Object.values(CARD_PERIOD_PARAMS);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('period');
  });
});
