import { ApolloProvider } from '@apollo/client/react';
import { act } from 'react';
import { AdminPage } from './AdminPage';
import { prefetchAdmin } from './admin-queries';
import { DEFAULT_WORKSPACE_SORT } from './prepare-workspace-table';
import { useDomRoot } from '../../test-support/dom-root';
import { recordingClient } from '../../test-support/recording-client';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));

const dom = useDomRoot();

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
