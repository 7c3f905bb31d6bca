import { sortRows, type TableSort } from '../../components/table-sort';
import type { ActionLeaderboardQuery, AgentToolsQuery, ConnectedAppsQuery } from '../../gql/graphql';
import {
  LEADERBOARD_ORDER,
  prepareAgentTools,
  prepareConnectedApps,
  prepareLeaderboard,
  usageWindowFor,
  type LeaderboardColumn,
} from './prepare-tools';

const NOW = new Date('2025-06-15T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

type App = ConnectedAppsQuery['composioApps'][number];
type Entry = ActionLeaderboardQuery['composioActions'][number];
type Mapping = AgentToolsQuery['composioAgentTools'][number];

const app = (overrides: Partial<App>): App => ({
  __typename: 'ConnectedAppStats',
  appName: 'GITHUB',
  status: 'ACTIVE',
  totalActionsUsed: 0,
  agentCount: 0,
  documentsSynced: 0,
  lastUsedAt: null,
  ...overrides,
});

const entry = (actionName: string, appName: string, usageCount: number, agentsUsing: number, lastUsedAt: string | null): Entry => ({
  __typename: 'ActionLeaderboardEntry',
  actionName,
  appName,
  usageCount,
  agentsUsing,
  lastUsedAt,
});

describe('usageWindowFor', () => {
  it.each([
    ['LAST_24H', 'today (UTC)', 1],
    ['LAST_7D', 'in the last 7 days (UTC)', 7],
    ['LAST_30D', 'in the last 30 days (UTC)', 30],
    ['LAST_90D', 'in the last 90 days (UTC)', 90],
  ] as const)('turns %s into %s, in whole UTC days', (period, phrase, days) => {
    expect(usageWindowFor(period)).toEqual({ days, phrase });
  });
});

describe('prepareConnectedApps', () => {
  it('writes each app’s status, use, agents, documents and last use in words', () => {
    const { tiles, summary } = prepareConnectedApps(
      [
        app({ appName: 'GITHUB', totalActionsUsed: 1204, agentCount: 3, lastUsedAt: minutesAgo(5) }),
        app({ appName: 'GOOGLEDRIVE', status: 'DISCONNECTED', documentsSynced: 1, agentCount: 1, totalActionsUsed: 1 }),
        app({ appName: 'SLACK', status: 'ERROR' }),
      ],
      NOW,
    );
    expect(summary).toBe('3 apps · 1 active');
    expect(tiles.map((t) => [t.appName, t.status.text, t.status.tone, t.uses, t.agents, t.documents, t.lastUsed])).toEqual([
      ['GITHUB', 'Active', 'ok', '1,204 actions', '3 agents', null, 'used 5 min ago'],
      ['GOOGLEDRIVE', 'Disconnected', 'muted', '1 action', '1 agent', '1 document synced', 'never used'],
      ['SLACK', 'Error', 'error', 'no actions', '0 agents', null, 'never used'],
    ]);
  });
});

describe('the action leaderboard', () => {
  const entries = [
    entry('SLACK_SEND', 'SLACK', 9, 1, minutesAgo(1)),
    entry('GITHUB_STAR_REPO', 'GITHUB', 5, 2, minutesAgo(30)),
    entry('NOTION_SEARCH', 'NOTION', 5, 3, null),
    entry('GMAIL_SEND', 'GMAIL', 1, 1, minutesAgo(600)),
  ];
  const sorted = (sort: TableSort<LeaderboardColumn>) => sortRows(prepareLeaderboard(entries, NOW), sort, LEADERBOARD_ORDER);
  const order = (sort: TableSort<LeaderboardColumn>) => sorted(sort).map((r) => r.actionName);

  it('lists the most used first, ties by name, with bars against the most used', () => {
    const rows = prepareLeaderboard(entries, NOW);
    expect(rows.map((r) => [r.rank, r.actionName, r.uses, r.share, r.lastUsed])).toEqual([
      [1, 'SLACK_SEND', '9', 1, '1 min ago'],
      [2, 'GITHUB_STAR_REPO', '5', 5 / 9, '30 min ago'],
      [3, 'NOTION_SEARCH', '5', 5 / 9, 'never'],
      [4, 'GMAIL_SEND', '1', 1 / 9, '10 h ago'],
    ]);
  });

  it.each<[TableSort<LeaderboardColumn>, string[]]>([
    [{ key: 'usageCount', direction: 'ascending' }, ['GMAIL_SEND', 'GITHUB_STAR_REPO', 'NOTION_SEARCH', 'SLACK_SEND']],
    [{ key: 'actionName', direction: 'ascending' }, ['GITHUB_STAR_REPO', 'GMAIL_SEND', 'NOTION_SEARCH', 'SLACK_SEND']],
    [{ key: 'appName', direction: 'descending' }, ['SLACK_SEND', 'NOTION_SEARCH', 'GMAIL_SEND', 'GITHUB_STAR_REPO']],
    [{ key: 'agentsUsing', direction: 'descending' }, ['NOTION_SEARCH', 'GITHUB_STAR_REPO', 'SLACK_SEND', 'GMAIL_SEND']],
    [{ key: 'lastUsedAt', direction: 'descending' }, ['SLACK_SEND', 'GITHUB_STAR_REPO', 'GMAIL_SEND', 'NOTION_SEARCH']],
  ])('sorts by %o', (sort, expected) => {
    expect(order(sort)).toEqual(expected);
  });

  it('keeps each action’s rank by use whatever the sort', () => {
    const rows = sorted({ key: 'actionName', direction: 'ascending' });
    expect(rows.map((r) => [r.actionName, r.rank])).toEqual([
      ['GITHUB_STAR_REPO', 2],
      ['GMAIL_SEND', 4],
      ['NOTION_SEARCH', 3],
      ['SLACK_SEND', 1],
    ]);
  });

  it('gives no bar when nothing was used', () => {
    expect(prepareLeaderboard([entry('A', 'X', 0, 0, null)], NOW)[0].share).toBe(0);
  });
});

describe('prepareAgentTools', () => {
  it('sums each agent’s tools, apps and uses, and writes each tool', () => {
    const mapping: Mapping = {
      __typename: 'AgentToolMapping',
      agentId: 'r1',
      agentName: 'Research bot',
      tools: [
        { __typename: 'AgentTool', appName: 'SLACK', actionName: 'SLACK_SEND', usageCount: 1200, enabled: true, lastUsedAt: minutesAgo(2) },
        { __typename: 'AgentTool', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', usageCount: 4, enabled: false, lastUsedAt: null },
      ],
    };
    const [row] = prepareAgentTools([mapping], NOW);
    expect(row).toMatchObject({ agentId: 'r1', agentName: 'Research bot', summary: '2 tools · 1 enabled', apps: 'GITHUB, SLACK', uses: '1,204' });
    expect(row.tools.map((t) => [t.actionName, t.uses, t.enabled, t.lastUsed])).toEqual([
      ['SLACK_SEND', '1,200', true, '2 min ago'],
      ['GITHUB_STAR_REPO', '4', false, 'never'],
    ]);
  });
});
