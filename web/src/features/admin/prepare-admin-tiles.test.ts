import { prepareAdminTiles, type AdminDashboardData } from './prepare-admin-tiles';

const dashboard = (overrides: Partial<AdminDashboardData> = {}): AdminDashboardData => ({
  __typename: 'AdminDashboard',
  totalCost: 1234.5,
  mrrProjection: 4321,
  workspaceCount: 3,
  activeWorkspaces: 2,
  apiRequests: 12_000,
  totalTokens: 4_800_000,
  byokSavings: 56.78,
  dailyCostByProvider: [],
  byokSplit: { __typename: 'ByokSplit', byokCost: 56.78, platformCost: 1177.72, byokRequests: 1, platformRequests: 11_999 },
  planDistribution: [],
  anomalies: [],
  ...overrides,
});

describe('prepareAdminTiles', () => {
  it.each([
    ['total-cost', 'Total cost', '$1,234.50', 'Every workspace, the last 7 days'],
    ['mrr', 'MRR projection', '$4,321.00', "Paying plans' daily average × 30"],
    ['workspaces', 'Active workspaces', '2 of 3', '1 workspace without calls'],
    ['requests', 'API requests', '12,000', "1 call on customers' own keys"],
    ['tokens', 'Tokens', '4.8M', '400 per request on average'],
    ['byok-savings', 'BYOK savings', '$56.78', 'What BYOK calls would have cost on platform keys'],
  ])('writes the %s tile as %p %p (%p)', (id, label, value, detail) => {
    const tile = prepareAdminTiles(dashboard(), 'the last 7 days').find((candidate) => candidate.id === id);
    expect(tile).toEqual({ id, label, value, detail });
  });

  it('says so when every workspace had calls', () => {
    const tiles = prepareAdminTiles(dashboard({ activeWorkspaces: 3 }), 'the last 7 days');
    expect(tiles.find((tile) => tile.id === 'workspaces')).toMatchObject({ value: '3 of 3', detail: 'Every workspace had calls' });
  });

  it('says there were no requests instead of dividing tokens by zero', () => {
    const tiles = prepareAdminTiles(dashboard({ apiRequests: 0, totalTokens: 0, activeWorkspaces: 0 }), 'the last 24 hours');
    expect(tiles.find((tile) => tile.id === 'tokens')?.detail).toBe('No requests yet');
    expect(tiles.find((tile) => tile.id === 'workspaces')).toMatchObject({ value: '0 of 3', detail: '3 workspaces without calls' });
  });
});
