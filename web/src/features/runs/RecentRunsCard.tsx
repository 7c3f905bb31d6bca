import { useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
import { ScrollArea } from '../../components/ScrollArea';
import { RunsDocument, type Period, type RunFilter } from '../../gql/graphql';
import { hashFor } from '../../routing';
import { prepareRunRows } from './prepare-runs';

/** The runs a "Recent runs" card lists: the latest. */
export const RECENT_RUNS = 10;

/**
 * The latest runs of the period under `filter` (an agent's, a user's), each opening to its calls.
 * `whose` names them in the table's hidden caption and label: "the agent's".
 */
export function RecentRunsCard({
  filter,
  period,
  timeZone,
  whose,
  caption,
  emptyMessage,
  linkParams,
}: {
  filter: RunFilter;
  period: Period;
  timeZone: string;
  whose: string;
  caption: ReactNode;
  emptyMessage: ReactNode;
  /** The parameters a run's link keeps (the period, the scope). */
  linkParams: URLSearchParams;
}) {
  const { data, loading, error, refetch } = useQuery(RunsDocument, { variables: { period, filter, limit: RECENT_RUNS } });
  const rows = data ? prepareRunRows(data.runs.runs, timeZone) : null;
  const status = listCardStatus({ loading, error, refetch }, rows, emptyMessage);
  return (
    <Card title="Recent runs" caption={caption} className="card-wide" status={status} minBodyHeight={120}>
      {rows ? (
        <ScrollArea label={`Recent runs of ${whose.replace(/'s$/, '')}`}>
          <FeedTable
            caption={`${whose[0].toUpperCase()}${whose.slice(1)} latest runs`}
            rows={rows}
            rowKey={(row) => row.id}
            columns={[
              { label: 'Run', cell: (row) => <a href={hashFor('runs', linkParams, row.id)}>{row.id}</a> },
              { label: 'Workflow', cell: (row) => row.workflow },
              { label: 'Started', cell: (row) => <time dateTime={row.startedAt}>{row.started}</time> },
              { label: 'Duration', numeric: true, cell: (row) => row.duration },
              { label: 'Calls', numeric: true, cell: (row) => row.calls },
              { label: 'Cost', numeric: true, cell: (row) => row.cost },
              { label: 'Status', cell: (row) => (row.failed ? <span className="badge badge-error">Failed</span> : <span className="badge badge-ok">OK</span>) },
            ]}
          />
        </ScrollArea>
      ) : null}
    </Card>
  );
}
