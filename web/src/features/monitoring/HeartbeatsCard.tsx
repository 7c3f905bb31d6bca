import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import type { HeartbeatFiguresFragment } from '../../gql/graphql';
import { prepareHeartbeatRows } from './prepare-status';
import type { Loadable } from './use-monitoring-data';
import { ScrollArea } from '../../components/ScrollArea';

/** Worker heartbeats with their status, STALE first; badges change as heartbeatChanged arrives. */
export function HeartbeatsCard({ heartbeats, state, now }: { heartbeats: readonly HeartbeatFiguresFragment[]; state: Loadable; now: Date }) {
  const rows = prepareHeartbeatRows(heartbeats, now);
  const stale = rows.filter((row) => row.status === 'STALE').length;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: state.hasData,
    isEmpty: rows.length === 0,
    emptyMessage: (
      <p>
        No heartbeats. Workers report with the <code>heartbeat</code> mutation (an admin key) every <code>intervalSeconds</code>; with{' '}
        <code>HEARTBEAT_ENABLED=false</code> the gateway keeps none.
      </p>
    ),
    retry: state.refetch,
  });
  return (
    <Card
      title="Heartbeats"
      caption={rows.length ? `${rows.length} heartbeats${stale ? `, ${stale} stale` : ', none stale'}` : 'Platform workers'}
      status={status}
      minBodyHeight={160}
    >
      <ScrollArea label="Heartbeats">
        <table className="feed">
          <caption className="visually-hidden">Worker heartbeats, stale ones first</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Instance</th>
              <th scope="col">Status</th>
              <th scope="col">Last beat</th>
            </tr>
          </thead>
          <tbody aria-live="polite">
            {rows.map((row) => (
              <tr key={row.id}>
                <td>{row.service}</td>
                <td className="muted">{row.instanceId}</td>
                <td>
                  <span className={`badge badge-${row.tone}`}>{row.status}</span>
                </td>
                <td>
                  {row.lastBeat} <span className="muted">· {row.every}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollArea>
    </Card>
  );
}
