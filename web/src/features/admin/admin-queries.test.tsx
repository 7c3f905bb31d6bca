import { screen } from '@testing-library/react';
import { AdminPage } from './AdminPage';
import { prefetchAdmin } from './admin-queries';
import { DEFAULT_WORKSPACE_SORT } from './prepare-workspace-table';
import { recordingClient } from '../../test-support/recording-client';
import { renderWithClient } from '../../test-support/render-with-apollo';

// The chart library ships ESM that jest does not load; no chart is drawn here (no answer ever arrives).
jest.mock('@nivo/bar', () => ({}));
jest.mock('@nivo/line', () => ({}));
jest.mock('@nivo/pie', () => ({}));

test("the Admin page's cards ask what the prefetch already asked, so nothing is sent twice", async () => {
  const { client, sent } = recordingClient();
  prefetchAdmin(client, { period: 'LAST_30D', firstPage: { search: '', sort: DEFAULT_WORKSPACE_SORT } });
  const prefetched = [...sent];
  expect(prefetched.map((request) => request.split(' ')[0]).sort()).toEqual(['AdminCostAnalytics', 'AdminDashboard', 'AdminWorkspaceCosts']);

  renderWithClient(
    <AdminPage
      period="LAST_30D"
      timeZone="UTC"
      viewer={{ __typename: 'Viewer', role: 'ADMIN', scope: '__all__', workspace: { __typename: 'Workspace', id: 'ws', name: 'Main', timezone: 'UTC' } }}
    />,
    client,
  );
  await screen.findByRole('region', { name: 'Workspaces by cost' });

  expect(sent.slice(prefetched.length)).toEqual([]);
});
