import { screen, waitFor } from '@testing-library/react';
import { CostsPage } from './CostsPage';
import { recordingClient } from '../../test-support/recording-client';
import { renderWithClient } from '../../test-support/render-with-apollo';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));
jest.mock('@nivo/radar', () => ({}));

afterEach(() => {
  window.location.hash = '';
});

/** Renders the Costs page at `hash`; what it sends is noted, as "operation variables", in the list returned. */
function renderCosts(hash: string): string[] {
  window.location.hash = hash;
  const { client, sent } = recordingClient();
  renderWithClient(
    <CostsPage period="LAST_7D" timeZone="UTC" viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: 'ws', workspace: { __typename: 'Workspace', id: 'ws', name: 'Demo', timezone: 'UTC' } }} />,
    client,
  );
  return sent;
}

const operationNames = (sent: string[]) => sent.map((request) => request.split(' ')[0]);

test('under an attribution filter, the Costs page asks its per-call queries with it and leaves out the cards that cannot be filtered', async () => {
  const sent = renderCosts('#/costs?period=LAST_7D&tag=prod&user=u-1');
  // The filter bar's code loads on demand: once it is here, every card of the page has asked.
  await screen.findByRole('form', { name: 'Add a condition' });
  const filter = JSON.stringify({ tags: ['prod'], userIds: ['u-1'] });
  const names = operationNames(sent);
  for (const unfiltered of ['CostProjection', 'Budgets', 'CostRecommendations', 'UnpricedModels', 'ModelComparison', 'DailyCostByModel', 'CostBreakdown']) expect(names).not.toContain(unfiltered);
  expect(names).toEqual(expect.arrayContaining(['FilteredDailyCost', 'FilteredCostBreakdown']));
  // The breakdowns by user and tag under the filter; the filter bar's suggestions of every tag and user without it.
  const byDimension = sent.filter((request) => request.startsWith('UsageByDimension '));
  expect(byDimension.filter((request) => request.includes(filter)).map((request) => JSON.parse(request.slice(request.indexOf(' ') + 1)).dimension).sort()).toEqual(['TAG', 'USER']);
  for (const request of sent.filter((r) => /^Filtered/.test(r))) expect(request).toContain(filter);
});

test('without a filter, the Costs page asks the unfiltered queries and the breakdowns by user and tag', async () => {
  const sent = renderCosts('#/costs?period=LAST_7D');
  await waitFor(() => expect(operationNames(sent)).toEqual(expect.arrayContaining(['DailyCostByModel', 'CostBreakdown', 'CostProjection', 'Budgets', 'UsageByDimension'])));
  expect(operationNames(sent).filter((name) => name.startsWith('Filtered'))).toEqual([]);
});
