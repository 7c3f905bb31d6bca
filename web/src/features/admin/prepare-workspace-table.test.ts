import { averageWorkspaceCost, prepareAnomalies, prepareWorkspaceTable, type WorkspaceCost } from './prepare-workspace-table';

const workspace = (name: string, plan: string, cost: number, tokens: number, requests: number, isAnomaly = false): WorkspaceCost => ({
  __typename: 'WorkspaceCostRow',
  workspaceId: `id-${name}`,
  name,
  plan,
  cost,
  tokens,
  requests,
  isAnomaly,
});

// Average cost 20: Acme (50) is 2.5 times it. The server sends a page in the order asked.
const platform = [
  workspace('Acme', 'enterprise', 50, 1_000, 10, true),
  workspace('Beta', 'free', 5, 9_000, 90),
  workspace('Cargo', 'pro', 5, 500_000, 4_000),
];
const totals = { totalCost: 60, workspaceCount: 3, anomalyCount: 1 };
const whole = { offset: 0, matching: 3, search: '' };

describe('prepareWorkspaceTable', () => {
  it('writes each row with its share of the cost and names an anomaly in words', () => {
    const table = prepareWorkspaceTable(platform, totals, whole);
    expect(table.rows[0]).toEqual({
      id: 'id-Acme',
      name: 'Acme',
      plan: 'enterprise',
      cost: '$50.00',
      share: '83.3%',
      shareValue: 50 / 60,
      tokens: '1.0k',
      requests: '10',
      anomaly: '2.5× the average',
    });
    expect(table.rows.slice(1).map((row) => row.anomaly)).toEqual([null, null]);
  });

  it.each([
    ['several workspaces with an anomaly', platform, totals, '3 workspaces · average $20.00 · 1 anomaly'],
    ['one idle workspace', [workspace('Solo', 'free', 0, 0, 0)], { totalCost: 0, workspaceCount: 1, anomalyCount: 0 }, '1 workspace · average $0.00'],
  ])('captions %s as %p', (_, rows, platformTotals, caption) => {
    expect(prepareWorkspaceTable(rows, platformTotals, whole).caption).toBe(caption);
  });

  it('measures a page against the whole platform and says which rows of how many it shows', () => {
    const table = prepareWorkspaceTable([platform[1]], { totalCost: 1_000, workspaceCount: 3_000, anomalyCount: 7 }, { offset: 50, matching: 212, search: ' Beta ' });
    expect(table.rows.map((row) => [row.name, row.share])).toEqual([['Beta', '0.5%']]);
    expect(table.caption).toBe('3,000 workspaces · average $0.33 · 7 anomalies');
    expect(table.range).toBe('Workspaces 51–51 of 212 matching “Beta”');
    expect(prepareWorkspaceTable([], totals, { offset: 0, matching: 0, search: 'zz' }).range).toBe('No workspaces matching “zz”');
  });

  it('writes shares of zero when nothing cost anything', () => {
    const table = prepareWorkspaceTable([workspace('A', 'free', 0, 10, 1), workspace('B', 'free', 0, 0, 0)], { totalCost: 0, workspaceCount: 2, anomalyCount: 0 }, whole);
    expect(table.rows.map((row) => [row.share, row.shareValue])).toEqual([
      ['0.0%', 0],
      ['0.0%', 0],
    ]);
  });
});

describe('prepareAnomalies', () => {
  it('measures each anomaly against the average of every workspace, costliest first', () => {
    const second = workspace('Delta', 'pro', 45, 0, 0, true);
    const everyone = { totalCost: 105, workspaceCount: 5 };
    const list = prepareAnomalies([second, platform[0]], everyone);
    expect(averageWorkspaceCost(everyone)).toBe(21);
    expect(list.items.map((item) => [item.name, item.factor, item.detail])).toEqual([
      ['Acme', '2.4× the average', '$50.00 against an average of $21.00 across 5 workspaces'],
      ['Delta', '2.1× the average', '$45.00 against an average of $21.00 across 5 workspaces'],
    ]);
    expect(list.threshold).toBe('More than 2× the average workspace cost ($42.00)');
  });

  it('has no items when no workspace is an anomaly', () => {
    expect(prepareAnomalies([], totals).items).toEqual([]);
  });
});
