import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { formatFullDateTime } from '../../format';
import { ConnectedAppsDocument } from '../../gql/graphql';
import { useDisplayTimeZone } from '../../time-zone';
import { prepareConnectedApps, type UsageWindow } from './prepare-tools';

const BADGE_CLASS = { ok: 'badge badge-ok', muted: 'badge badge-muted', error: 'badge badge-error' } as const;

/** The workspace's connected apps, busiest first, each with its status and use in the window. */
export function ConnectedAppsCard({ usage }: { usage: UsageWindow }) {
  const { data, loading, error, refetch } = useQuery(ConnectedAppsDocument, { variables: { days: usage.days } });
  const timeZone = useDisplayTimeZone();
  const now = new Date();
  const prepared = data ? prepareConnectedApps(data.composioApps, now) : null;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: prepared !== null, isEmpty: prepared?.tiles.length === 0 },
    <p>
      No connected apps yet. Report a connection with the <code>recordComposioConnection</code> mutation, or an agent&apos;s first
      action with <code>recordComposioAction</code>.
    </p>,
  );
  return (
    <Card
      title="Connected apps"
      caption={`Actions used ${usage.phrase}, busiest first`}
      aside={prepared ? <span className="figure">{prepared.summary}</span> : null}
      status={status}
      minBodyHeight={120}
      className="card-wide"
    >
      {prepared ? (
        <ul className="app-tiles">
          {prepared.tiles.map((tile) => (
            <li key={tile.appName} className="app-tile">
              <div className="app-tile-head">
                <span className="app-name">{tile.appName}</span>
                <span className={BADGE_CLASS[tile.status.tone]}>{tile.status.text}</span>
              </div>
              <div className="app-figures">
                <span>
                  <strong>{tile.uses}</strong>
                </span>
                <span>{tile.agents}</span>
                {tile.documents ? <span>{tile.documents}</span> : null}
              </div>
              <div className="muted small">
                {tile.lastUsedAt ? <time dateTime={tile.lastUsedAt} title={formatFullDateTime(tile.lastUsedAt, timeZone)}>{tile.lastUsed}</time> : tile.lastUsed}
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}
