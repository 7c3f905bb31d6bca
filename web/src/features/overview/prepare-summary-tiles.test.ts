import type { SummaryFiguresFragment } from '../../gql/graphql';
import { prepareSummaryTiles } from './prepare-summary-tiles';

const summary = (overrides: Partial<SummaryFiguresFragment> = {}): SummaryFiguresFragment => ({
  __typename: 'UsageSummary',
  period: 'LAST_7D',
  totalRequests: 1204,
  totalTokens: 3_200_000,
  inputTokens: 2_500_000,
  outputTokens: 700_000,
  totalCost: 48.5,
  avgLatencyMs: 840,
  p95LatencyMs: 2150,
  errorRate: 0.02,
  byokRequests: 300,
  byokSavings: 12.25,
  unpricedRequests: 0,
  activeAgents: 3,
  topModel: 'gpt-4o',
  trends: { __typename: 'Trends', requestsChangePct: 12.34, tokensChangePct: -4, costChangePct: 25, latencyChangePct: -10 },
  ...overrides,
});

describe('prepareSummaryTiles', () => {
  it('shows the eight figures in order, formatted', () => {
    const { tiles } = prepareSummaryTiles(summary(), 'LAST_7D');
    expect(tiles.map((tile) => [tile.label, tile.value])).toEqual([
      ['Requests', '1,204'],
      ['Tokens', '3.2M'],
      ['Cost', '$48.50'],
      ['Avg latency', '840 ms'],
      ['P95 latency', '2.15 s'],
      ['Error rate', '2.0%'],
      ['BYOK savings', '$12.25'],
      ['Unpriced calls', '0'],
    ]);
  });

  it('gives requests, tokens, cost and average latency a trend, and the rest none', () => {
    const { tiles } = prepareSummaryTiles(summary(), 'LAST_7D');
    expect(tiles.filter((tile) => tile.trend !== null).map((tile) => tile.id)).toEqual(['requests', 'tokens', 'cost', 'avg-latency']);
  });

  it('counts a rising cost as bad news and a falling latency as good news', () => {
    const { tiles } = prepareSummaryTiles(summary(), 'LAST_7D');
    expect(tiles.find((tile) => tile.id === 'cost')?.trend?.tone).toBe('bad');
    expect(tiles.find((tile) => tile.id === 'avg-latency')?.trend?.tone).toBe('good');
  });

  it('flags an error rate above 5% and says how many calls failed', () => {
    const tile = prepareSummaryTiles(summary({ errorRate: 0.08, totalRequests: 250 }), 'LAST_7D').tiles.find((t) => t.id === 'error-rate');
    expect(tile).toMatchObject({ value: '8.0%', detail: '20 failed calls, above 5%', attention: true });
  });

  it('flags unpriced calls and points to where a price is set', () => {
    const tile = prepareSummaryTiles(summary({ unpricedRequests: 42 }), 'LAST_7D').tiles.find((t) => t.id === 'unpriced');
    expect(tile).toMatchObject({ value: '42', attention: true, detail: 'No known price: set one on the Costs page' });
  });

  it('describes BYOK calls and the top model beside their figures', () => {
    const { tiles } = prepareSummaryTiles(summary(), 'LAST_7D');
    expect(tiles.find((t) => t.id === 'byok-savings')?.detail).toBe('300 calls on your own keys');
    expect(tiles.find((t) => t.id === 'cost')?.detail).toBe('Top model: gpt-4o');
  });

  it.each([
    [0, true],
    [1, false],
  ])('is empty when the period has %p requests: %p', (totalRequests, isEmpty) => {
    expect(prepareSummaryTiles(summary({ totalRequests }), 'LAST_7D').isEmpty).toBe(isEmpty);
  });
});
