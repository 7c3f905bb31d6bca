import type { ApolloClient } from '@apollo/client';
import { screen, waitFor } from '@testing-library/react';
import { OverviewPage } from './OverviewPage';
import { prefetchOverview } from './overview-queries';
import { recordingClient } from '../../test-support/recording-client';
import { renderWithClient } from '../../test-support/render-with-apollo';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));
jest.mock('@nivo/radar', () => ({}));

const VIEW = { period: 'LAST_7D', timeZone: 'Europe/Paris' } as const;
const ROUTE = { period: VIEW.period, timeZone: () => VIEW.timeZone };

afterEach(() => {
  window.location.hash = '';
});

function renderOverview(client: ApolloClient): void {
  renderWithClient(
    <OverviewPage period={VIEW.period} timeZone={VIEW.timeZone} viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: 'ws', workspace: { __typename: 'Workspace', id: 'ws', name: 'Demo', timezone: 'UTC' } }} />,
    client,
  );
}

const operationName = (request: string) => request.split(' ')[0];

test("the Overview's cards ask what the prefetch already asked, so nothing is sent twice", async () => {
  const { client, sent } = recordingClient();
  prefetchOverview(client, ROUTE);
  const prefetched = [...sent];
  expect(prefetched.map(operationName).sort()).toEqual(['AnalyticsChart', 'AnalyticsChart', 'ChartPresets', 'CostByModel', 'RecentCalls', 'Summary', 'TokensOverTime'].sort());

  renderOverview(client);

  // The page's own queries beyond the prefetched ones: the two cards that always refetch, and the subscriptions.
  const fromPage = () => sent.slice(prefetched.length).map(operationName);
  await waitFor(() => expect(fromPage()).toEqual(expect.arrayContaining(['WorkspaceMemory', 'OpenRouterAccount'])));
  expect(fromPage().filter((name) => prefetched.some((request) => request.startsWith(`${name} `)))).toEqual([]);
});

test('under an attribution filter in the URL, every per-call query of the Overview carries it, and the unfiltered cards ask nothing', async () => {
  window.location.hash = '#/overview?period=LAST_7D&tag=prod&meta=feature%3Dsearch&user=u-1';
  const { client, sent } = recordingClient();
  renderOverview(client);
  // The filtered summary's code and the filter bar's load on demand: wait for both.
  await waitFor(() => expect(sent.map(operationName)).toContain('FilteredSummary'));
  await screen.findByRole('form', { name: 'Add a condition' });
  const filter = JSON.stringify({ tags: ['prod'], metadata: [{ key: 'feature', value: 'search' }], userIds: ['u-1'] });
  // The filter bar's suggestions (UsageByDimension) are the workspace's tags and users, unfiltered.
  const perCall = sent.filter((request) => !request.startsWith('UsageByDimension '));
  expect(perCall.map(operationName).sort()).toEqual(['CallTracked', 'CostByModel', 'FilteredSummary', 'RecentCalls', 'TokensOverTime']);
  for (const request of perCall) expect(request).toContain(filter);
});
