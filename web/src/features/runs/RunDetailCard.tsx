import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
import { ScrollArea } from '../../components/ScrollArea';
import { formatCount, formatDollars, formatFullDateTime, formatTokens } from '../../format';
import { RunDetailDocument } from '../../gql/graphql';
import { hashFor, useRoute } from '../../routing';
import { prepareWaterfall } from './prepare-runs';

/** One run: its figures, then its calls as a waterfall, each a bar from its start to its end on the run's time line. */
export function RunDetailCard({ id, timeZone }: { id: string; timeZone: string }) {
  const { route } = useRoute();
  const { data, loading, error, refetch } = useQuery(RunDetailDocument, { variables: { id } });
  const run = data?.run ?? null;
  const waterfall = run ? prepareWaterfall(run) : null;
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: data !== undefined, isEmpty: data !== undefined && run === null },
    <p>
      No run <code>{id}</code> in this scope. It may belong to another workspace, or its calls may have been deleted by the retention.
    </p>,
  );
  return (
    <Card
      title={run?.workflow ? `Run of ${run.workflow}` : 'Run'}
      caption={
        <span>
          <a href={hashFor('runs', route.params)}>← All runs</a> · <code>{id}</code>
        </span>
      }
      className="card-wide"
      status={status}
      minBodyHeight={200}
      aside={run ? <span className={run.status === 'ERROR' ? 'badge badge-error' : 'badge badge-ok'}>{run.status === 'ERROR' ? 'Failed' : 'Succeeded'}</span> : null}
    >
      {run && waterfall ? (
        <>
          <p className="run-figures">
            <span>
              Started <strong>{formatFullDateTime(run.startedAt as string, timeZone)}</strong>
            </span>
            <span>
              Duration <strong>{waterfall.span}</strong>
            </span>
            <span>
              Calls <strong>{formatCount(run.callCount)}</strong>
            </span>
            <span>
              Errors <strong>{formatCount(run.errorCount)}</strong>
            </span>
            <span>
              Cost <strong>{formatDollars(run.totalCost)}</strong>
            </span>
            <span>
              Tokens <strong>{formatTokens(run.inputTokens + run.outputTokens)}</strong>
            </span>
            <span>
              Agents <strong>{run.agents.map((agent) => agent.name).join(', ') || '—'}</strong>
            </span>
          </p>
          <ScrollArea label="Calls of the run">
            <FeedTable
              className="waterfall"
              caption={`The run's calls, oldest first, each drawn from its start to its end over the run's ${waterfall.span}`}
              rows={waterfall.bars}
              rowKey={(bar) => bar.id}
              columns={[
                { label: 'Model', cell: (bar) => bar.model },
                { label: 'Agent', cell: (bar) => bar.agent },
                {
                  label: `Time line (${waterfall.span})`,
                  cell: (bar) => (
                    <div className="waterfall-track" role="img" aria-label={`${bar.startsAfter} after the run started, for ${bar.latency}`}>
                      <span
                        className={bar.failed ? 'waterfall-bar failed' : 'waterfall-bar'}
                        style={{ left: `${(bar.offset * 100).toFixed(2)}%`, width: `${(bar.width * 100).toFixed(2)}%` }}
                      />
                    </div>
                  ),
                },
                { label: 'Starts', numeric: true, cell: (bar) => bar.startsAfter },
                { label: 'Latency', numeric: true, cell: (bar) => bar.latency },
                { label: 'Tokens', numeric: true, cell: (bar) => bar.tokens },
                { label: 'Cost', numeric: true, cell: (bar) => bar.cost },
                { label: 'Status', cell: (bar) => (bar.error ? <span className="badge badge-error">{bar.error}</span> : <span className="badge badge-ok">OK</span>) },
              ]}
            />
          </ScrollArea>
        </>
      ) : null}
    </Card>
  );
}
