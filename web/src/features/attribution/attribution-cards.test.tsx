import type { MockLink } from '@apollo/client/testing';
import { getNodeText, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type UsageDimension, type UsageFilter } from '../../gql/graphql';
import { FilteredSummaryDocument, UsageByDimensionDocument, UsersDailyCostDocument } from './gql/graphql';
import { recordingClient } from '../../test-support/recording-client';
import { renderWithClient, renderWithMocks } from '../../test-support/render-with-apollo';
import { bodyRows } from '../../test-support/table-rows';
import { FilterBar } from './FilterBar';
import { FilteredSummaryCard } from './FilteredSummaryCard';
import { TagsCard } from './TagsCard';
import { USERS_FETCHED, USERS_SHOWN, UsersCard } from './UsersCard';

afterEach(() => {
  window.location.hash = '';
});

/** The first column of the card's table: who or what each row is. */
const rowNames = () => bodyRows(screen.getByRole('table')).map((cells) => cells[0]);

/** The gateway's answer to a breakdown by `dimension`: each entry a value, its label and its cost. */
function breakdown(dimension: UsageDimension, filter: UsageFilter | undefined, limit: number, entries: [string, string, number][]): MockLink.MockedResponse {
  return {
    request: { query: UsageByDimensionDocument, variables: { period: 'LAST_7D', dimension, filter, limit } },
    result: {
      data: {
        usageMetrics: {
          __typename: 'MetricsResult',
          rows: entries.map(([value, label, cost]) => ({
            __typename: 'MetricsRow',
            bucket: null,
            dimensions: [{ __typename: 'DimensionValue', dimension, value, label }],
            values: [
              { __typename: 'MetricValue', metric: 'TOTAL_COST', value: cost },
              { __typename: 'MetricValue', metric: 'REQUESTS', value: 10 },
              { __typename: 'MetricValue', metric: 'TOTAL_TOKENS', value: 5000 },
            ],
          })),
        },
      },
    },
  };
}

function dailyCosts(filter: UsageFilter, perUser: Record<string, number>): MockLink.MockedResponse {
  const today = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
  return {
    request: { query: UsersDailyCostDocument, variables: { period: 'LAST_7D', timezone: 'UTC', filter } },
    result: {
      data: {
        usageMetrics: {
          __typename: 'MetricsResult',
          rows: Object.entries(perUser).map(([user, cost]) => ({
            __typename: 'MetricsRow',
            bucket: today,
            dimensions: [{ __typename: 'DimensionValue', dimension: 'USER', value: user, label: user }],
            values: [{ __typename: 'MetricValue', metric: 'TOTAL_COST', value: cost }],
          })),
        },
      },
    },
  };
}

describe('UsersCard', () => {
  const filter = { tags: ['prod'] };
  const users = breakdown('USER', filter, USERS_FETCHED, [
    ['alice@acme', 'alice@acme', 4],
    ['', 'No user', 2],
    ['bob@acme', 'bob@acme', 1],
  ]);

  it('lists the costliest users under the page’s filter, each with its trend and a link to its page', async () => {
    window.location.hash = '#/costs?period=LAST_7D&tag=prod';
    renderWithMocks(<UsersCard period="LAST_7D" timeZone="UTC" filter={filter} />, [
      users,
      dailyCosts({ tags: ['prod'], userIds: ['alice@acme', 'bob@acme'] }, { 'alice@acme': 4, 'bob@acme': 1 }),
    ]);
    await waitFor(() => expect(screen.getAllByRole('img', { name: /^Daily cost of / })).toHaveLength(2));
    expect(rowNames()).toEqual(['alice@acme', 'No user', 'bob@acme']);
    expect(screen.getAllByRole('img', { name: /^Daily cost of / })[0].getAttribute('aria-label')).toMatch(
      /^Daily cost of alice@acme\. The last 8 days: cheapest \$0\.00, costliest \$4\.00, latest \$4\.00$/,
    );
    // A user's page is about the user, not the Costs page's filter.
    const links = within(screen.getByRole('table')).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['#/users/alice%40acme?period=LAST_7D', '#/users/bob%40acme?period=LAST_7D']);
  });

  it('finds a user by part of its id, and by its whole id past the fetched ones', async () => {
    const user = userEvent.setup();
    window.location.hash = '#/costs?period=LAST_7D&tag=prod';
    const exact = breakdown('USER', { tags: ['prod'], userIds: ['carol@corp'] }, 1, [['carol@corp', 'carol@corp', 0.5]]);
    renderWithMocks(<UsersCard period="LAST_7D" timeZone="UTC" filter={filter} />, [
      users,
      dailyCosts({ tags: ['prod'], userIds: ['alice@acme', 'bob@acme'] }, {}),
      dailyCosts({ tags: ['prod'], userIds: ['bob@acme'] }, {}),
      exact,
      breakdown('USER', { tags: ['prod'], userIds: ['nobody'] }, 1, []),
      dailyCosts({ tags: ['prod'], userIds: ['carol@corp'] }, { 'carol@corp': 0.5 }),
    ]);
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    const search = screen.getByRole('searchbox', { name: 'Find a user' });
    await user.type(search, 'BOB');
    expect(rowNames()).toEqual(['bob@acme']);
    // A whole id is pasted, so no query goes out for each of its first letters.
    await user.clear(search);
    await user.paste('carol@corp');
    await waitFor(() => expect(rowNames()).toEqual(['carol@corp']));
    await user.clear(search);
    await user.paste('nobody');
    await screen.findByText('No user matches “nobody” in the last 7 days.');
  });
});

describe('UsersCard past its first rows', () => {
  it('shows the first users and more on asking, up to the fetched ones', async () => {
    const user = userEvent.setup();
    window.location.hash = '#/users?period=LAST_7D';
    const ids = Array.from({ length: USERS_SHOWN + 2 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
    renderWithMocks(<UsersCard period="LAST_7D" timeZone="UTC" filter={undefined} />, [
      breakdown('USER', undefined, USERS_FETCHED, ids.map((id, i) => [id, id, 100 - i])),
      dailyCosts({ userIds: ids.slice(0, USERS_SHOWN) }, {}),
      dailyCosts({ userIds: ids }, {}),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(ids.slice(0, USERS_SHOWN)));
    expect(screen.getByText(`${USERS_SHOWN} of ${ids.length} shown`)).not.toBeNull();
    await user.click(screen.getByRole('button', { name: 'Show 2 more' }));
    expect(rowNames()).toEqual(ids);
    expect(screen.queryByRole('button', { name: /^Show \d+ more$/ })).toBeNull();
    await waitFor(() => expect(screen.getAllByRole('img', { name: /^Daily cost of / })).toHaveLength(ids.length));
  });
});

describe('TagsCard', () => {
  it('shows each tag’s cost with no total, says why, and a tag adds itself to the filter', async () => {
    window.location.hash = '#/costs?period=LAST_7D&user=u-1';
    const { container } = renderWithMocks(<TagsCard period="LAST_7D" filter={{ userIds: ['u-1'] }} />, [
      breakdown('TAG', { userIds: ['u-1'] }, 50, [
        ['prod', 'prod', 3],
        ['eu', 'eu', 2],
      ]),
    ]);
    await screen.findByRole('table');
    expect(rowNames()).toEqual(['prod', 'eu']);
    expect(screen.queryByText(/tags overlap and their costs do not add up to a total/)).not.toBeNull();
    expect(container.querySelector('.card-aside')).toBeNull();
    expect(screen.getByRole('link', { name: 'prod' }).getAttribute('href')).toBe('#/costs?period=LAST_7D&tag=prod&user=u-1');
  });
});

describe('FilterBar', () => {
  function renderBar() {
    renderWithClient(<FilterBar period="LAST_7D" unfiltered="The projection is hidden." />, recordingClient().client);
    return userEvent.setup();
  }
  const add = () => screen.getByRole('button', { name: 'Add' });
  const params = () => new URLSearchParams(window.location.hash.split('?')[1]);

  it('adds a tag, a metadata pair and a user to the URL, and says what it counts', async () => {
    window.location.hash = '#/overview?period=LAST_30D';
    const user = renderBar();
    expect(screen.queryByText('Every call counts.')).not.toBeNull();
    await user.type(screen.getByLabelText('Tag'), 'prod');
    await user.click(add());
    expect(params().getAll('tag')).toEqual(['prod']);
    expect(params().get('period')).toBe('LAST_30D');

    await user.selectOptions(screen.getByLabelText('Filter by'), 'Metadata');
    await user.type(screen.getByLabelText('Metadata key'), 'feature');
    await user.type(screen.getByLabelText('Metadata value'), 'search');
    await user.click(add());
    expect(params().getAll('meta')).toEqual(['feature=search']);

    await user.selectOptions(screen.getByLabelText('Filter by'), 'User');
    await user.type(screen.getByLabelText('User id'), 'u-42');
    await user.click(add());
    expect(params().getAll('user')).toEqual(['u-42']);
    const chips = within(screen.getByRole('list', { name: 'Conditions of the filter' })).getAllByRole('listitem');
    expect(chips.map((chip) => getNodeText(chip))).toEqual(['tag prod', 'feature = search', 'user u-42']);
    expect(screen.queryByText(/The projection is hidden\./)).not.toBeNull();
  });

  it('removes one condition, or all of them', async () => {
    window.location.hash = '#/costs?period=LAST_7D&tag=prod&tag=eu&user=u-1';
    const user = renderBar();
    await user.click(screen.getByRole('button', { name: 'Remove tag eu' }));
    expect(window.location.hash).toBe('#/costs?period=LAST_7D&tag=prod&user=u-1');
    await user.click(screen.getByRole('button', { name: 'Clear filter' }));
    expect(window.location.hash).toBe('#/costs?period=LAST_7D');
  });

  it('adds nothing for a blank tag or a metadata key without a value', async () => {
    window.location.hash = '#/costs?period=LAST_7D';
    const user = renderBar();
    await user.click(add());
    await user.selectOptions(screen.getByLabelText('Filter by'), 'Metadata');
    await user.type(screen.getByLabelText('Metadata key'), 'feature');
    await user.click(add());
    expect(window.location.hash).toBe('#/costs?period=LAST_7D');
  });
});

describe('FilteredSummaryCard', () => {
  it('shows the figures of the calls the filter keeps with their change against the period before', async () => {
    const filter = { tags: ['prod'] };
    const summary = {
      __typename: 'UsageSummary' as const,
      period: 'LAST_7D' as const,
      totalRequests: 1200,
      totalTokens: 2_500_000,
      inputTokens: 2_000_000,
      outputTokens: 500_000,
      totalCost: 12.5,
      avgLatencyMs: 800,
      p95LatencyMs: 1500,
      errorRate: 0.02,
      byokRequests: 0,
      byokSavings: 0,
      unpricedRequests: 0,
      activeAgents: 2,
      topModel: 'gpt-4o',
      trends: { __typename: 'Trends' as const, requestsChangePct: 50, tokensChangePct: null, costChangePct: -25, latencyChangePct: 0 },
    };
    renderWithMocks(<FilteredSummaryCard period="LAST_7D" filter={filter} refreshKey={0} />, [
      { request: { query: FilteredSummaryDocument, variables: { period: 'LAST_7D', filter } }, result: { data: { llmSummary: summary } } },
    ]);
    const tile = async (label: string) => (await screen.findByText(label)).closest('li')!.textContent;
    expect(await tile('Requests')).toMatch(/1,200.*\+50\.0%.*2 active agents/);
    expect(await tile('Cost')).toMatch(/\$12\.50.*−25\.0%.*Top model: gpt-4o/);
    expect(screen.getByText(/the calls the filter keeps, with changes against/)).toBeTruthy();
  });
});
