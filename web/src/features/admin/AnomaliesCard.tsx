import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { prepareAnomalies } from './prepare-workspace-table';
import type { AdminDashboardState } from './use-admin-dashboard';

/** The workspaces whose cost is far above the average: who to look at first. */
export function AnomaliesCard({ state, phrase }: { state: AdminDashboardState; phrase: string }) {
  const list = state.data ? prepareAnomalies(state.data.anomalies, state.data) : null;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: list !== null,
    isEmpty: list?.items.length === 0,
    emptyMessage: (
      <p>
        <span aria-hidden="true">✓ </span>No anomalies in {phrase}: no workspace spent more than twice the average workspace cost.
      </p>
    ),
    retry: state.retry,
  });
  return (
    <Card title="Cost anomalies" caption={list?.threshold ?? 'Workspaces that spent more than 2× the average workspace cost'} status={status} className="card-wide" minBodyHeight={96}>
      {list ? (
        <ul className="anomaly-list">
          {list.items.map((item) => (
            <li key={item.id} className="anomaly-item">
              <span className="badge badge-warn">
                <span aria-hidden="true">⚠</span> {item.factor}
              </span>
              <span className="anomaly-name">
                <strong>{item.name}</strong> <span className="admin-plan">{item.plan}</span>
              </span>
              <span className="muted anomaly-detail">{item.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
