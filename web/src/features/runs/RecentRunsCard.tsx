import { useQuery } from '@apollo/client/react';
import type { ReactNode } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
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
  const status = cardStatus({ loading, error, hasData: rows !== null, isEmpty: rows?.length === 0, emptyMessage, retry: () => void refetch() });
  return (
    <Card title="Recent runs" caption={caption} className="card-wide" status={status} minBodyHeight={120}>
      {rows ? (
        <ScrollArea label={`Recent runs of ${whose.replace(/'s$/, '')}`}>
          <table className="feed">
            <caption className="visually-hidden">{`${whose[0].toUpperCase()}${whose.slice(1)} latest runs`}</caption>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Workflow</th>
                <th scope="col">Started</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Calls
                </th>
                <th scope="col" className="num">
                  Cost
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <a href={hashFor('runs', linkParams, row.id)}>{row.id}</a>
                  </td>
                  <td>{row.workflow}</td>
                  <td>
                    <time dateTime={row.startedAt}>{row.started}</time>
                  </td>
                  <td className="num">{row.duration}</td>
                  <td className="num">{row.calls}</td>
                  <td className="num">{row.cost}</td>
                  <td>{row.failed ? <span className="badge badge-error">Failed</span> : <span className="badge badge-ok">OK</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      ) : null}
    </Card>
  );
}
