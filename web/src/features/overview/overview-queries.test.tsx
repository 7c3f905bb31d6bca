import { ApolloClient, ApolloLink, InMemoryCache, Observable } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { act } from 'react';
import { OverviewPage } from './OverviewPage';
import { prefetchOverview } from './overview-queries';
import { useDomRoot } from '../../test-support/dom-root';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));
jest.mock('@nivo/radar', () => ({}));

const dom = useDomRoot();

/** A client whose requests stay in flight, each noted as "operation variables". */
function recordingClient(): { client: ApolloClient; sent: string[] } {
  const sent: string[] = [];
  const link = new ApolloLink((operation) => {
    sent.push(`${operation.operationName} ${JSON.stringify(operation.variables)}`);
    return new Observable(() => undefined);
  });
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

const VIEW = { period: 'LAST_7D', timeZone: 'Europe/Paris' } as const;

test("the Overview's cards ask what the prefetch already asked, so nothing is sent twice", async () => {
  const { client, sent } = recordingClient();
  prefetchOverview(client, VIEW);
  const prefetched = [...sent];
  expect(prefetched.map((request) => request.split(' ')[0]).sort()).toEqual(
    ['AnalyticsChart', 'AnalyticsChart', 'ChartPresets', 'CostByModel', 'RecentCalls', 'Summary', 'TokensOverTime'].sort(),
  );

  await act(async () => {
    dom.root.render(
      <ApolloProvider client={client}>
        <OverviewPage period={VIEW.period} timeZone={VIEW.timeZone} viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: 'ws', workspace: { __typename: 'Workspace', id: 'ws', name: 'Demo', timezone: 'UTC' } }} />
      </ApolloProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  // The page's own queries beyond the prefetched ones: the two cards that always refetch, and the subscriptions.
  const fromPage = sent.slice(prefetched.length).map((request) => request.split(' ')[0]);
  expect(fromPage.filter((name) => prefetched.some((request) => request.startsWith(`${name} `)))).toEqual([]);
  expect(fromPage).toEqual(expect.arrayContaining(['WorkspaceMemory', 'OpenRouterAccount']));
});
