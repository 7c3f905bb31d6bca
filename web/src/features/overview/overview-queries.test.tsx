import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { act } from 'react';
import { OverviewPage } from './OverviewPage';
import { prefetchOverview } from './overview-queries';
import { useDomRoot } from '../../test-support/dom-root';
import { recordingClient } from '../../test-support/recording-client';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));
jest.mock('@nivo/radar', () => ({}));

const dom = useDomRoot();

const VIEW = { period: 'LAST_7D', timeZone: 'Europe/Paris' } as const;
const ROUTE = { period: VIEW.period, timeZone: () => VIEW.timeZone };

async function renderOverview(client: ApolloClient): Promise<void> {
  await act(async () => {
    dom.root.render(
      <ApolloProvider client={client}>
        <OverviewPage period={VIEW.period} timeZone={VIEW.timeZone} viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: 'ws', workspace: { __typename: 'Workspace', id: 'ws', name: 'Demo', timezone: 'UTC' } }} />
      </ApolloProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

test("the Overview's cards ask what the prefetch already asked, so nothing is sent twice", async () => {
  const { client, sent } = recordingClient();
  prefetchOverview(client, ROUTE);
  const prefetched = [...sent];
  expect(prefetched.map((request) => request.split(' ')[0]).sort()).toEqual(
    ['AnalyticsChart', 'AnalyticsChart', 'ChartPresets', 'CostByModel', 'RecentCalls', 'Summary', 'TokensOverTime'].sort(),
  );

  await renderOverview(client);

  // The page's own queries beyond the prefetched ones: the two cards that always refetch, and the subscriptions.
  const fromPage = sent.slice(prefetched.length).map((request) => request.split(' ')[0]);
  expect(fromPage.filter((name) => prefetched.some((request) => request.startsWith(`${name} `)))).toEqual([]);
  expect(fromPage).toEqual(expect.arrayContaining(['WorkspaceMemory', 'OpenRouterAccount']));
});

test('under an attribution filter in the URL, every per-call query of the Overview carries it, and the unfiltered cards ask nothing', async () => {
  window.location.hash = '#/overview?period=LAST_7D&tag=prod&meta=feature%3Dsearch&user=u-1';
  const { client, sent } = recordingClient();
  await renderOverview(client);
  // The filtered summary's code loads on demand: wait for its query.
  for (let i = 0; i < 200 && !sent.some((request) => request.startsWith('FilteredSummary ')); i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
  window.location.hash = '';
  const filter = JSON.stringify({ tags: ['prod'], metadata: [{ key: 'feature', value: 'search' }], userIds: ['u-1'] });
  // The filter bar's suggestions (UsageByDimension) are the workspace's tags and users, unfiltered.
  const perCall = sent.filter((request) => !request.startsWith('UsageByDimension '));
  expect(perCall.map((request) => request.split(' ')[0]).sort()).toEqual(['CallTracked', 'CostByModel', 'FilteredSummary', 'RecentCalls', 'TokensOverTime']);
  for (const request of perCall) expect(request).toContain(filter);
});
