import { ApolloProvider } from '@apollo/client/react';
import { MockedProvider } from '@apollo/client/testing/react';
import type { MockLink } from '@apollo/client/testing';
import { act } from 'react';
import { type UsageDimension, type UsageFilter } from '../../gql/graphql';
import { UsageByDimensionDocument, UsersDailyCostDocument } from './gql/graphql';
import { typeInto, until, useDomRoot } from '../../test-support/dom-root';
import { recordingClient } from '../../test-support/recording-client';
import { FilterBar } from './FilterBar';
import { TagsCard } from './TagsCard';
import { USERS_FETCHED, UsersCard } from './UsersCard';

const dom = useDomRoot();

afterEach(() => {
  window.location.hash = '';
});

const text = () => dom.container.textContent ?? '';
const rowTexts = () => [...dom.container.querySelectorAll('tbody tr')].map((row) => row.querySelector('td')!.textContent);

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
    act(() =>
      dom.root.render(
        <MockedProvider mocks={[users, dailyCosts({ tags: ['prod'], userIds: ['alice@acme', 'bob@acme'] }, { 'alice@acme': 4, 'bob@acme': 1 })]}>
          <UsersCard period="LAST_7D" timeZone="UTC" filter={filter} />
        </MockedProvider>,
      ),
    );
    await until(() => dom.container.querySelectorAll('svg.sparkline').length === 2);
    expect(rowTexts()).toEqual(['alice@acme', 'No user', 'bob@acme']);
    expect(dom.container.querySelector('svg.sparkline')!.getAttribute('aria-label')).toMatch(/^Daily cost of alice@acme\. The last 8 days: cheapest \$0\.00, costliest \$4\.00, latest \$4\.00$/);
    // A user's page is about the user, not the Costs page's filter.
    expect(dom.container.querySelector('a')!.getAttribute('href')).toBe('#/users/alice%40acme?period=LAST_7D');
    expect(dom.container.querySelectorAll('tbody a')).toHaveLength(2);
  });

  it('finds a user by part of its id, and by its whole id past the fetched ones', async () => {
    window.location.hash = '#/costs?period=LAST_7D&tag=prod';
    const exact = breakdown('USER', { tags: ['prod'], userIds: ['carol@corp'] }, 1, [['carol@corp', 'carol@corp', 0.5]]);
    act(() =>
      dom.root.render(
        <MockedProvider
          mocks={[
            users,
            dailyCosts({ tags: ['prod'], userIds: ['alice@acme', 'bob@acme'] }, {}),
            dailyCosts({ tags: ['prod'], userIds: ['bob@acme'] }, {}),
            exact,
            breakdown('USER', { tags: ['prod'], userIds: ['nobody'] }, 1, []),
            dailyCosts({ tags: ['prod'], userIds: ['carol@corp'] }, { 'carol@corp': 0.5 }),
          ]}
        >
          <UsersCard period="LAST_7D" timeZone="UTC" filter={filter} />
        </MockedProvider>,
      ),
    );
    await until(() => rowTexts().length === 3);
    const search = dom.container.querySelector<HTMLInputElement>('input[type="search"]')!;
    expect(dom.container.querySelector(`label[for="${search.id}"]`)!.textContent).toBe('Find a user');
    typeInto(search, 'BOB');
    expect(rowTexts()).toEqual(['bob@acme']);
    typeInto(search, 'carol@corp');
    await until(() => rowTexts().join() === 'carol@corp');
    typeInto(search, 'nobody');
    await until(() => text().includes('No user matches “nobody”'));
  });
});

describe('TagsCard', () => {
  it('shows each tag’s cost with no total, says why, and a tag adds itself to the filter', async () => {
    window.location.hash = '#/costs?period=LAST_7D&user=u-1';
    act(() =>
      dom.root.render(
        <MockedProvider mocks={[breakdown('TAG', { userIds: ['u-1'] }, 50, [['prod', 'prod', 3], ['eu', 'eu', 2]])]}>
          <TagsCard period="LAST_7D" filter={{ userIds: ['u-1'] }} />
        </MockedProvider>,
      ),
    );
    await until(() => rowTexts().length === 2);
    expect(rowTexts()).toEqual(['prod', 'eu']);
    expect(text()).toContain('tags overlap and their costs do not add up to a total');
    expect(dom.container.querySelector('.card-aside')).toBeNull();
    expect(dom.container.querySelector('tbody a')!.getAttribute('href')).toBe('#/costs?period=LAST_7D&tag=prod&user=u-1');
  });
});

describe('FilterBar', () => {
  function renderBar() {
    const { client } = recordingClient();
    act(() =>
      dom.root.render(
        <ApolloProvider client={client}>
          <FilterBar period="LAST_7D" unfiltered="The projection is hidden." />
        </ApolloProvider>,
      ),
    );
  }
  const submit = () => act(() => dom.container.querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
  const params = () => new URLSearchParams(window.location.hash.split('?')[1]);

  it('adds a tag, a metadata pair and a user to the URL, and says what it counts', () => {
    window.location.hash = '#/overview?period=LAST_30D';
    renderBar();
    expect(text()).toContain('Every call counts.');
    typeInto(dom.container.querySelector('input')!, 'prod');
    submit();
    expect(params().getAll('tag')).toEqual(['prod']);
    expect(params().get('period')).toBe('LAST_30D');

    typeInto(dom.container.querySelector('select')!, 'meta');
    const [key, value] = dom.container.querySelectorAll('input');
    typeInto(key, 'feature');
    typeInto(value, 'search');
    submit();
    expect(params().getAll('meta')).toEqual(['feature=search']);

    typeInto(dom.container.querySelector('select')!, 'user');
    typeInto(dom.container.querySelector('input')!, 'u-42');
    submit();
    expect(params().getAll('user')).toEqual(['u-42']);
    expect([...dom.container.querySelectorAll('.filter-chip')].map((chip) => chip.firstChild!.textContent)).toEqual(['tag prod', 'feature = search', 'user u-42']);
    expect(text()).toContain('The projection is hidden.');
  });

  it('removes one condition, or all of them', () => {
    window.location.hash = '#/costs?period=LAST_7D&tag=prod&tag=eu&user=u-1';
    renderBar();
    act(() => dom.container.querySelector<HTMLButtonElement>('button[aria-label="Remove tag eu"]')!.click());
    expect(window.location.hash).toBe('#/costs?period=LAST_7D&tag=prod&user=u-1');
    const clear = [...dom.container.querySelectorAll('button')].find((button) => button.textContent === 'Clear filter')!;
    act(() => clear.click());
    expect(window.location.hash).toBe('#/costs?period=LAST_7D');
  });

  it('adds nothing for a blank tag or a metadata key without a value', () => {
    window.location.hash = '#/costs?period=LAST_7D';
    renderBar();
    submit();
    typeInto(dom.container.querySelector('select')!, 'meta');
    typeInto(dom.container.querySelector('input')!, 'feature');
    submit();
    expect(window.location.hash).toBe('#/costs?period=LAST_7D');
  });
});
