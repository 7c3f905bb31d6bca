import { prepareProjection, type ProjectionData } from './prepare-projection';

const projection = (overrides: Partial<ProjectionData> = {}): ProjectionData => ({
  __typename: 'CostProjection',
  period: 'LAST_7D',
  currentPeriodCost: 21,
  previousPeriodCost: 14,
  changePct: 50,
  dailyAverage: 4.2,
  daysWithData: 5,
  projectedMonthlyCost: 126,
  ...overrides,
});

describe('prepareProjection', () => {
  it('writes the projection, its basis and the period against the one before', () => {
    const figures = prepareProjection(projection(), 'LAST_7D');
    expect(figures).toMatchObject({
      projectedMonthly: '$126.00',
      dailyAverage: '$4.20',
      current: '$21.00',
      previous: '$14.00',
      basis: '5 days with calls in the last 7 days; $4.20 a day on average, times 30',
      isEmpty: false,
    });
    expect(figures.trend).toMatchObject({ arrow: '▲', text: '+50.0%', tone: 'bad' });
  });

  it.each([
    ['LAST_7D', 5, 'Only 5 of 7 days had calls: the average counts those days only, so the projection assumes every day of the month is as busy.'],
    ['LAST_7D', 7, null],
    ['LAST_30D', 30, null],
    ['LAST_24H', 1, null],
  ] as const)('in %s with %p days of calls notes sparse days: %p', (period, daysWithData, note) => {
    expect(prepareProjection(projection({ daysWithData }), period).sparseNote).toBe(note);
  });

  it.each([
    ['LAST_7D', 8, 'The last 7 days reach into 8 calendar days, the first and the last only in part, so the daily average reads a little low.'],
    ['LAST_7D', 7, null],
    ['LAST_30D', 31, 'The last 30 days reach into 31 calendar days, the first and the last only in part, so the daily average reads a little low.'],
    ['LAST_24H', 2, 'The last 24 hours reach into 2 calendar days, the first and the last only in part, so the daily average reads a little low.'],
    ['LAST_24H', 1, null],
  ] as const)('in %s with calls on %p calendar days notes partial days: %p', (period, daysWithData, note) => {
    expect(prepareProjection(projection({ daysWithData }), period).partialDaysNote).toBe(note);
  });

  it('says there is nothing to compare with when the previous period cost nothing', () => {
    const figures = prepareProjection(projection({ previousPeriodCost: 0, changePct: null }), 'LAST_7D');
    expect(figures.trend).toMatchObject({ text: 'new', description: 'nothing in the previous 7 days to compare with' });
  });

  it('is empty when no day had calls', () => {
    const figures = prepareProjection(projection({ daysWithData: 0, currentPeriodCost: 0, dailyAverage: 0, projectedMonthlyCost: 0 }), 'LAST_7D');
    expect(figures.isEmpty).toBe(true);
  });

  it('says "1 day" for a single day of calls', () => {
    expect(prepareProjection(projection({ daysWithData: 1 }), 'LAST_24H').basis).toBe('1 day with calls in the last 24 hours; $4.20 a day on average, times 30');
  });
});
