import { useMutation } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { formatFullDateTime } from '../../format';
import { ResolveAlertDocument, type AlertFiguresFragment } from '../../gql/graphql';
import { useDisplayTimeZone } from '../../time-zone';
import { prepareAlertRows } from './prepare-status';
import { loadableStatus, type Loadable } from './use-monitoring-data';
import { useCanChange } from '../../viewer-role';

/** The newest alerts in scope, newest first; a raised alert appears on top as it happens. */
export function AlertsCard({
  alerts,
  arrivedIds,
  state,
  now,
}: {
  alerts: readonly AlertFiguresFragment[];
  arrivedIds: ReadonlySet<string>;
  state: Loadable;
  now: Date;
}) {
  const timeZone = useDisplayTimeZone();
  const rows = prepareAlertRows(alerts, now);
  const [resolve, resolving] = useMutation(ResolveAlertDocument);
  const mayChange = useCanChange();
  const open = new Set(alerts.filter((a) => a.workspaceId !== null && !a.resolvedAt).map((a) => a.id));
  const resolved = new Map(alerts.filter((a) => a.resolvedAt).map((a) => [a.id, a.resolvedAt as string]));
  const status = loadableStatus(
    state,
    rows.length === 0,
    <p>No alerts. Stale heartbeats, error spikes, cost anomalies and budget thresholds are raised here as they happen; keep the page open.</p>,
  );
  return (
    <Card title="Alerts" caption="The newest 50 in your scope, newest first" status={status} className="card-wide" minBodyHeight={120}>
      <ul className="alert-stream" aria-live="polite" aria-relevant="additions">
        {rows.map((row) => (
          <li key={row.id} className={arrivedIds.has(row.id) ? 'alert-item row-new' : 'alert-item'}>
            <span className={`badge badge-${row.tone}`}>{row.severity}</span>
            <div>
              <p className="alert-message">{row.message}</p>
              <p className="muted alert-meta">
                {row.kind} · {row.scope} ·{' '}
                <time dateTime={row.at} title={formatFullDateTime(row.at, timeZone)}>
                  {row.when}
                </time>
                {resolved.has(row.id) ? ` · resolved ${formatFullDateTime(resolved.get(row.id)!, timeZone)}` : null}
              </p>
            </div>
            {mayChange && open.has(row.id) ? (
              <button
                type="button"
                className="button button-small button-quiet"
                disabled={resolving.loading}
                onClick={() => void resolve({ variables: { id: row.id } }).catch(() => undefined)}
                aria-label={`Resolve the alert: ${row.message}`}
              >
                Resolve
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
