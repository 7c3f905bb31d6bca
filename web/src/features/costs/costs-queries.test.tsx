import { ApolloProvider } from '@apollo/client/react';
import { act } from 'react';
import { CostsPage } from './CostsPage';
import { useDomRoot } from '../../test-support/dom-root';
import { recordingClient } from '../../test-support/recording-client';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));
jest.mock('@nivo/radar', () => ({}));

const dom = useDomRoot();

afterEach(() => {
  window.location.hash = '';
});

async function renderCosts(hash: string): Promise<string[]> {
  window.location.hash = hash;
  const { client, sent } = recordingClient();
  await act(async () => {
    dom.root.render(
      <ApolloProvider client={client}>
        <CostsPage period="LAST_7D" timeZone="UTC" viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: 'ws', workspace: { __typename: 'Workspace', id: 'ws', name: 'Demo', timezone: 'UTC' } }} />
      </ApolloProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  return sent;
}

test('under an attribution filter, the Costs page asks its per-call queries with it and leaves out the cards that cannot be filtered', async () => {
  const sent = await renderCosts('#/costs?period=LAST_7D&tag=prod&user=u-1');
  const filter = JSON.stringify({ tags: ['prod'], userIds: ['u-1'] });
  const names = sent.map((request) => request.split(' ')[0]);
  for (const unfiltered of ['CostProjection', 'Budgets', 'CostRecommendations', 'UnpricedModels', 'ModelComparison', 'DailyCostByModel', 'CostBreakdown']) expect(names).not.toContain(unfiltered);
  expect(names).toEqual(expect.arrayContaining(['FilteredDailyCost', 'FilteredCostBreakdown']));
  // The breakdowns by user and tag under the filter; the filter bar's suggestions of every tag and user without it.
  const byDimension = sent.filter((request) => request.startsWith('UsageByDimension '));
  expect(byDimension.filter((request) => request.includes(filter)).map((request) => JSON.parse(request.slice(request.indexOf(' ') + 1)).dimension).sort()).toEqual(['TAG', 'USER']);
  for (const request of sent.filter((r) => /^Filtered/.test(r))) expect(request).toContain(filter);
});

test('without a filter, the Costs page asks the unfiltered queries and the breakdowns by user and tag', async () => {
  const names = (await renderCosts('#/costs?period=LAST_7D')).map((request) => request.split(' ')[0]);
  expect(names).toEqual(expect.arrayContaining(['DailyCostByModel', 'CostBreakdown', 'CostProjection', 'Budgets', 'UsageByDimension']));
  expect(names.filter((name) => name.startsWith('Filtered'))).toEqual([]);
});
