import { act } from 'react';
import type { ActionLeaderboardQuery } from '../../gql/graphql';
import { AgentToolsTable } from './AgentToolsTable';
import { LeaderboardTable } from './LeaderboardTable';
import type { AgentToolsRow } from './prepare-tools';
import { useDomRoot } from '../../test-support/dom-root';

const dom = useDomRoot();

const NOW = new Date('2025-06-15T12:00:00.000Z');

describe('LeaderboardTable', () => {
  const entries: ActionLeaderboardQuery['composioActions'] = [
    { __typename: 'ActionLeaderboardEntry', actionName: 'SLACK_SEND', appName: 'SLACK', usageCount: 9, agentsUsing: 1, lastUsedAt: null },
    { __typename: 'ActionLeaderboardEntry', actionName: 'GITHUB_STAR_REPO', appName: 'GITHUB', usageCount: 5, agentsUsing: 2, lastUsedAt: null },
  ];
  const actions = () => [...dom.container.querySelectorAll('tbody tr')].map((tr) => tr.querySelectorAll('td')[1].textContent);
  const header = (label: string) => [...dom.container.querySelectorAll('th')].find((th) => th.textContent?.startsWith(label))!;

  it('starts with the most used first and says so to assistive technology', () => {
    act(() => dom.root.render(<LeaderboardTable entries={entries} now={NOW} />));
    expect(actions()).toEqual(['SLACK_SEND', 'GITHUB_STAR_REPO']);
    expect(header('Uses').getAttribute('aria-sort')).toBe('descending');
    expect(header('Action').getAttribute('aria-sort')).toBe('none');
  });

  it('sorts by a clicked column, and the other way on a second click', () => {
    act(() => dom.root.render(<LeaderboardTable entries={entries} now={NOW} />));
    act(() => header('Action').querySelector('button')!.click());
    expect(actions()).toEqual(['GITHUB_STAR_REPO', 'SLACK_SEND']);
    expect(header('Action').getAttribute('aria-sort')).toBe('ascending');
    act(() => header('Action').querySelector('button')!.click());
    expect(actions()).toEqual(['SLACK_SEND', 'GITHUB_STAR_REPO']);
    expect(header('Action').getAttribute('aria-sort')).toBe('descending');
  });
});

describe('AgentToolsTable', () => {
  const rows: AgentToolsRow[] = [
    {
      agentId: 'r1',
      agentName: 'Research bot',
      summary: '2 tools · 1 enabled',
      apps: 'GITHUB, SLACK',
      uses: '13',
      tools: [
        { key: 'a', appName: 'SLACK', actionName: 'SLACK_SEND', uses: '9', enabled: true, lastUsed: '2 min ago', lastUsedAt: NOW.toISOString() },
        { key: 'b', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', uses: '4', enabled: false, lastUsed: 'never', lastUsedAt: null },
      ],
    },
  ];
  const visibleToolRows = () => [...dom.container.querySelectorAll<HTMLTableRowElement>('tr.tool-list')].filter((tr) => !tr.hidden);

  it('shows each agent closed, then its tools when its row is opened, and closes again', () => {
    act(() => dom.root.render(<AgentToolsTable rows={rows} />));
    const button = dom.container.querySelector<HTMLButtonElement>('button.expand-button')!;
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(visibleToolRows()).toHaveLength(0);
    act(() => button.click());
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(visibleToolRows().map((tr) => tr.textContent)).toEqual(['SLACK_SENDEnabledSLACK9 · last 2 min ago', 'GITHUB_STAR_REPODisabledGITHUB4 · never used']);
    for (const id of button.getAttribute('aria-controls')!.split(' ')) expect(document.getElementById(id)).not.toBeNull();
    act(() => button.click());
    expect(visibleToolRows()).toHaveLength(0);
  });
});
