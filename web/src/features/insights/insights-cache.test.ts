import { InMemoryCache } from '@apollo/client';
import { AnalyticsChartDocument, type AnalyticsChartQuery } from '../../gql/graphql';

const chartWith = (points: [string, number][]): AnalyticsChartQuery => ({
  analyticsChart: {
    __typename: 'ChartResult',
    title: 't',
    chartType: 'BAR',
    summary: 's',
    explanation: 'e',
    interpretedAs: { metrics: ['TOTAL_COST'] },
    series: [{ __typename: 'ChartSeries', label: 'Cost', metric: 'TOTAL_COST', points: points.map(([x, y]) => ({ __typename: 'ChartPoint', x, y })) }],
  },
});

describe('the AnalyticsChart document in the cache', () => {
  it('keeps each chart its own series, though series of two charts share a metric and a label', () => {
    const cache = new InMemoryCache();
    const byModel = chartWith([['gpt-4o', 6]]);
    cache.writeQuery({ query: AnalyticsChartDocument, variables: { query: 'cost by model' }, data: byModel });
    cache.writeQuery({ query: AnalyticsChartDocument, variables: { query: 'cost in march' }, data: chartWith([]) });
    expect(cache.readQuery({ query: AnalyticsChartDocument, variables: { query: 'cost by model' } })).toEqual(byModel);
  });
});
