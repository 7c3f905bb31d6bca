import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { seriesColors } from '../../components/series-colors';
import { ShareBar } from '../../components/ShareBar';
import { formatFullDateTime } from '../../format';
import { WorkspaceMemoryDocument } from '../../gql/graphql';
import { useDisplayTimeZone } from '../../time-zone';
import { prepareMemory } from './prepare-integrations';
import { MiniFigureList } from './MiniFigureList';
import './integrations.css';

const RECENT = 5;

/** The workspace's agent memory: totals, the most common types, and the newest memories with their type and importance. */
export function MemoryCard() {
  const timeZone = useDisplayTimeZone();
  const { data, loading, error, refetch } = useQuery(WorkspaceMemoryDocument, { variables: { recent: RECENT }, fetchPolicy: 'cache-and-network' });
  const view = data ? prepareMemory(data, new Date(), seriesColors) : null;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: view !== null, isEmpty: view?.isEmpty ?? true },
    <p>
      No memories yet. Agents store them with the <code>recordMemory</code> mutation; with <code>MEM0_URL</code> set, they come from
      your Mem0 server.
    </p>,
  );
  return (
    <Card title="Workspace memory" caption={view ? `From ${view.source}` : 'Agent memories'} status={status} minBodyHeight={200}>
      {view ? (
        <>
          <MiniFigureList figures={view.figures} />
          {view.types.length > 0 ? (
            <>
              <p className="section-label">By type{view.moreTypes > 0 ? ` (top ${view.types.length}, ${view.moreTypes} more)` : ''}</p>
              <ul className="type-shares">
                {view.types.map((type) => (
                  <li key={type.key} className="type-share">
                    <span className="model">
                      <span className="swatch" style={{ background: type.color }} aria-hidden="true" />
                      {type.key}
                    </span>
                    <ShareBar share={type.share} color={type.color} />
                    <span className="muted">{type.count}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="section-label">Recent memories</p>
          {view.recent.length === 0 ? (
            <p className="muted small">None to show.</p>
          ) : (
            <ul className="recent-memories">
              {view.recent.map((memory) => (
                <li key={memory.id} className="recent-memory">
                  <div className="recent-memory-head">
                    <span className="type-badge">
                      <span className="swatch" style={{ background: memory.typeColor }} aria-hidden="true" />
                      {memory.type}
                      {memory.level ? <span className="muted"> · {memory.level}</span> : null}
                    </span>
                    <span className={`importance importance-${memory.importanceLevel}`} title="Importance, 0 to 1">
                      {memory.importanceLevel} importance · {memory.importance}
                    </span>
                    <span className="muted">
                      {memory.agent ? `${memory.agent} · ` : ''}
                      <time dateTime={memory.createdAt} title={formatFullDateTime(memory.createdAt, timeZone)}>
                        {memory.ago}
                      </time>
                    </span>
                  </div>
                  <p className="memory-preview">{memory.preview}</p>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Card>
  );
}
