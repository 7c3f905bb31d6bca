import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ActionLeaderboardQuery } from '../../gql/graphql';
import { bodyRows } from '../../test-support/table-rows';
import { AgentToolsTable } from './AgentToolsTable';
import { LeaderboardTable } from './LeaderboardTable';
import type { AgentToolsRow } from './prepare-tools';

const NOW = new Date('2025-06-15T12:00:00.000Z');

describe('LeaderboardTable', () => {
  const entries: ActionLeaderboardQuery['composioActions'] = [
    { __typename: 'ActionLeaderboardEntry', actionName: 'SLACK_SEND', appName: 'SLACK', usageCount: 9, agentsUsing: 1, lastUsedAt: null },
    { __typename: 'ActionLeaderboardEntry', actionName: 'GITHUB_STAR_REPO', appName: 'GITHUB', usageCount: 5, agentsUsing: 2, lastUsedAt: null },
  ];
  const actions = () => bodyRows(screen.getByRole('table')).map((cells) => cells[1]);
  const header = (name: string) => screen.getByRole('columnheader', { name });

  it('starts with the most used first and says so to assistive technology', () => {
    render(<LeaderboardTable entries={entries} now={NOW} />);
    expect(actions()).toEqual(['SLACK_SEND', 'GITHUB_STAR_REPO']);
    expect(header('Uses').getAttribute('aria-sort')).toBe('descending');
    expect(header('Action').getAttribute('aria-sort')).toBe('none');
  });

  it('sorts by a clicked column, and the other way on a second click', async () => {
    const user = userEvent.setup();
    render(<LeaderboardTable entries={entries} now={NOW} />);
    await user.click(within(header('Action')).getByRole('button'));
    expect(actions()).toEqual(['GITHUB_STAR_REPO', 'SLACK_SEND']);
    expect(header('Action').getAttribute('aria-sort')).toBe('ascending');
    await user.click(within(header('Action')).getByRole('button'));
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
  // The agent's own row comes first; its tools' rows follow while it is open.
  const visibleToolRows = () => bodyRows(screen.getByRole('table')).slice(1).map((cells) => cells.join(''));

  it('shows each agent closed, then its tools when its row is opened, and closes again', async () => {
    const user = userEvent.setup();
    render(<AgentToolsTable rows={rows} />);
    const button = screen.getByRole('button', { name: /^Research bot/ });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(visibleToolRows()).toHaveLength(0);
    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(visibleToolRows()).toEqual(['SLACK_SENDEnabledSLACK9 · last 2 min ago', 'GITHUB_STAR_REPODisabledGITHUB4 · never used']);
    const controlled = button.getAttribute('aria-controls')!.split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(controlled).toEqual(visibleToolRows());
    await user.click(button);
    expect(visibleToolRows()).toHaveLength(0);
  });
});
