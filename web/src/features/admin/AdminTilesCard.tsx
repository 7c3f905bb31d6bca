import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import '../../components/figure-tiles.css';
import { prepareAdminTiles } from './prepare-admin-tiles';
import type { AdminDashboardState } from './use-admin-dashboard';

/** The platform's hero figures: total cost, MRR projection, workspaces, requests, tokens, BYOK savings. */
export function AdminTilesCard({ state, phrase }: { state: AdminDashboardState; phrase: string }) {
  const tiles = state.data ? prepareAdminTiles(state.data, phrase) : null;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: tiles !== null,
    isEmpty: state.data?.workspaceCount === 0,
    emptyMessage: <p>There are no workspaces yet. Create one with the <code>createWorkspace</code> mutation.</p>,
    retry: state.retry,
  });
  return (
    <Card
      title="Platform at a glance"
      caption={`Every workspace over ${phrase}, whatever scope the header is set to`}
      status={status}
      minBodyHeight={150}
      className="card-wide"
    >
      {tiles ? (
        <ul className="figure-tiles admin-tiles">
          {tiles.map((tile) => (
            <li key={tile.id} className="figure-tile">
              <span className="figure-tile-label">{tile.label}</span>
              <span className="figure-tile-value">{tile.value}</span>
              <span className="figure-tile-detail">{tile.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
