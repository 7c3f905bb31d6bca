import { describeTrend, previousPeriodPhrase } from './trend';

describe('describeTrend', () => {
  it.each([
    [12.34, 'neutral', '▲', '+12.3%', 'neutral', 'up 12.3% on the previous 7 days'],
    [-4, 'neutral', '▼', '−4.0%', 'neutral', 'down 4.0% on the previous 7 days'],
    [25, 'lower-is-better', '▲', '+25.0%', 'bad', 'up 25.0% on the previous 7 days'],
    [-10, 'lower-is-better', '▼', '−10.0%', 'good', 'down 10.0% on the previous 7 days'],
    [8, 'higher-is-better', '▲', '+8.0%', 'good', 'up 8.0% on the previous 7 days'],
    [0.01, 'lower-is-better', '→', '0.0%', 'neutral', 'unchanged from the previous 7 days'],
    [null, 'lower-is-better', '', 'new', 'neutral', 'nothing in the previous 7 days to compare with'],
  ] as const)('writes a change of %p (%s) as %p %p, tone %s: "%s"', (change, sense, arrow, text, tone, description) => {
    expect(describeTrend(change, sense, 'LAST_7D')).toEqual({ arrow, text, tone, description });
  });
});

describe('previousPeriodPhrase', () => {
  it.each([
    ['LAST_24H', 'the previous 24 hours'],
    ['LAST_30D', 'the previous 30 days'],
  ] as const)('names the period before %s as "%s"', (period, phrase) => {
    expect(previousPeriodPhrase(period)).toBe(phrase);
  });
});
