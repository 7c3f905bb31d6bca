import { Card } from '../../components/Card';
import { FeedTable } from '../../components/FeedTable';
import type { HeartbeatFiguresFragment } from '../../gql/graphql';
import { prepareHeartbeatRows } from './prepare-status';
import { loadableStatus, type Loadable } from './use-monitoring-data';
import { ScrollArea } from '../../components/ScrollArea';

/** Worker heartbeats with their status, STALE first; badges change as heartbeatChanged arrives. */
export function HeartbeatsCard({ heartbeats, state, now }: { heartbeats: readonly HeartbeatFiguresFragment[]; state: Loadable; now: Date }) {
  const rows = prepareHeartbeatRows(heartbeats, now);
  const stale = rows.filter((row) => row.status === 'STALE').length;
  const status = loadableStatus(
    state,
    rows.length === 0,
    <p>
      No heartbeats. Workers report with the <code>heartbeat</code> mutation (an admin key) every <code>intervalSeconds</code>; with{' '}
      <code>HEARTBEAT_ENABLED=false</code> the gateway keeps none.
    </p>,
  );
  return (
    <Card
      title="Heartbeats"
      caption={rows.length ? `${rows.length} heartbeats${stale ? `, ${stale} stale` : ', none stale'}` : 'Platform workers'}
      status={status}
      minBodyHeight={160}
    >
      <ScrollArea label="Heartbeats">
        <FeedTable
          caption="Worker heartbeats, stale ones first"
          rows={rows}
          rowKey={(row) => row.id}
          announce="changes"
          columns={[
            { label: 'Service', cell: (row) => row.service },
            { label: 'Instance', cellClassName: 'muted', cell: (row) => row.instanceId },
            { label: 'Status', cell: (row) => <span className={`badge badge-${row.tone}`}>{row.status}</span> },
            {
              label: 'Last beat',
              cell: (row) => (
                <>
                  {row.lastBeat} <span className="muted">· {row.every}</span>
                </>
              ),
            },
          ]}
        />
      </ScrollArea>
    </Card>
  );
}
