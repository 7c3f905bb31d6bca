import {
  averageWorkspaceCost,
  DEFAULT_WORKSPACE_SORT,
  nextWorkspaceSort,
  prepareAnomalies,
  prepareWorkspaceTable,
  sortWorkspaces,
  type WorkspaceCost,
  type WorkspaceSort,
} from './prepare-workspace-table';

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

// Average cost 20: Acme (50) is 2.5 times it.
const platform = [
  workspace('Beta', 'free', 5, 9_000, 90),
  workspace('Acme', 'enterprise', 50, 1_000, 10, true),
  workspace('Cargo', 'pro', 5, 500_000, 4_000),
];

describe('sortWorkspaces', () => {
  it.each<[WorkspaceSort, string[]]>([
    [DEFAULT_WORKSPACE_SORT, ['Acme', 'Beta', 'Cargo']],
    [{ by: 'cost', descending: false }, ['Beta', 'Cargo', 'Acme']],
    [{ by: 'name', descending: false }, ['Acme', 'Beta', 'Cargo']],
    [{ by: 'name', descending: true }, ['Cargo', 'Beta', 'Acme']],
    [{ by: 'plan', descending: false }, ['Acme', 'Beta', 'Cargo']],
    [{ by: 'tokens', descending: true }, ['Cargo', 'Beta', 'Acme']],
    [{ by: 'requests', descending: false }, ['Acme', 'Beta', 'Cargo']],
    [{ by: 'anomaly', descending: true }, ['Acme', 'Beta', 'Cargo']],
  ])('orders by %j as %j', (sort, names) => {
    expect(sortWorkspaces(platform, sort).map((w) => w.name)).toEqual(names);
  });

  it('breaks ties by cost, then name, so rows keep their places', () => {
    const tied = [workspace('Zed', 'pro', 1, 0, 0), workspace('Ann', 'pro', 1, 0, 0), workspace('Max', 'pro', 3, 0, 0)];
    expect(sortWorkspaces(tied, { by: 'plan', descending: false }).map((w) => w.name)).toEqual(['Max', 'Ann', 'Zed']);
  });
});

describe('nextWorkspaceSort', () => {
  it.each<[WorkspaceSort, WorkspaceSort['by'], WorkspaceSort]>([
    [{ by: 'cost', descending: true }, 'cost', { by: 'cost', descending: false }],
    [{ by: 'cost', descending: true }, 'name', { by: 'name', descending: false }],
    [{ by: 'name', descending: false }, 'plan', { by: 'plan', descending: false }],
    [{ by: 'name', descending: false }, 'tokens', { by: 'tokens', descending: true }],
    [{ by: 'name', descending: false }, 'anomaly', { by: 'anomaly', descending: true }],
  ])('from %j, a click on %p sorts by %j', (current, by, next) => {
    expect(nextWorkspaceSort(current, by)).toEqual(next);
  });
});

describe('prepareWorkspaceTable', () => {
  it('writes each row with its share of the cost and names an anomaly in words', () => {
    const table = prepareWorkspaceTable(platform, DEFAULT_WORKSPACE_SORT);
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
    ['several workspaces with an anomaly', platform, '3 workspaces · average $20.00 · 1 anomaly'],
    ['one idle workspace', [workspace('Solo', 'free', 0, 0, 0)], '1 workspace · average $0.00'],
  ])('captions %s as %p', (_, rows, caption) => {
    expect(prepareWorkspaceTable(rows, DEFAULT_WORKSPACE_SORT).caption).toBe(caption);
  });

  it('writes shares of zero when nothing cost anything', () => {
    const table = prepareWorkspaceTable([workspace('A', 'free', 0, 10, 1), workspace('B', 'free', 0, 0, 0)], DEFAULT_WORKSPACE_SORT);
    expect(table.rows.map((row) => [row.share, row.shareValue])).toEqual([
      ['0.0%', 0],
      ['0.0%', 0],
    ]);
  });
});

describe('prepareAnomalies', () => {
  it('measures each anomaly against the average of every workspace, costliest first', () => {
    const second = workspace('Delta', 'pro', 45, 0, 0, true);
    const everyone = [...platform, second, workspace('Echo', 'free', 0, 0, 0)];
    const list = prepareAnomalies([second, platform[1]], everyone);
    expect(averageWorkspaceCost(everyone)).toBe(21);
    expect(list.items.map((item) => [item.name, item.factor, item.detail])).toEqual([
      ['Acme', '2.4× the average', '$50.00 against an average of $21.00 across 5 workspaces'],
      ['Delta', '2.1× the average', '$45.00 against an average of $21.00 across 5 workspaces'],
    ]);
    expect(list.threshold).toBe('More than 2× the average workspace cost ($42.00)');
  });

  it('has no items when no workspace is an anomaly', () => {
    expect(prepareAnomalies([], platform).items).toEqual([]);
  });
});
