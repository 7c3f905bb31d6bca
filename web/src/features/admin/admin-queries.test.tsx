import { ApolloClient, ApolloLink, InMemoryCache, Observable } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { act } from 'react';
import { AdminPage } from './AdminPage';
import { prefetchAdmin } from './admin-queries';
import { DEFAULT_WORKSPACE_SORT } from './prepare-workspace-table';
import { useDomRoot } from '../../test-support/dom-root';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));

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

test("the Admin page's cards ask what the prefetch already asked, so nothing is sent twice", async () => {
  const { client, sent } = recordingClient();
  prefetchAdmin(client, { period: 'LAST_30D', firstPage: { search: '', sort: DEFAULT_WORKSPACE_SORT } });
  const prefetched = [...sent];
  expect(prefetched.map((request) => request.split(' ')[0]).sort()).toEqual(['AdminCostAnalytics', 'AdminDashboard', 'AdminWorkspaceCosts']);

  await act(async () => {
    dom.root.render(
      <ApolloProvider client={client}>
        <AdminPage
          period="LAST_30D"
          timeZone="UTC"
          viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: '__all__', workspace: { __typename: 'Workspace', id: 'ws', name: 'Main', timezone: 'UTC' } }}
        />
      </ApolloProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  expect(sent.slice(prefetched.length)).toEqual([]);
});
