import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { ScrollArea } from '../../components/ScrollArea';
import { WorkflowStatsDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { prepareWorkflows } from './prepare-runs';

/** Each workflow's runs over the period: how many, how often they succeed, how long and how costly they are. */
export function WorkflowsCard({ period }: { period: Period }) {
  const { data, loading, error, refetch } = useQuery(WorkflowStatsDocument, { variables: { period } });
  const { route } = useRoute();
  const rows = data ? prepareWorkflows(data.workflowStats) : null;
  const status = cardStatus({
    loading,
    error,
    hasData: rows !== null,
    isEmpty: rows?.length === 0,
    emptyMessage: (
      <p>
        No workflow ran in {periodOption(period).phrase}. Calls that share an <code>executionId</code> and name a <code>workflow</code> make its runs.
      </p>
    ),
    retry: () => void refetch(),
  });
  const linkTo = (workflow: string) => {
    const params = new URLSearchParams(route.params);
    params.set('workflow', workflow);
    return hashFor('runs', params);
  };
  return (
    <Card title="Workflows" caption={`Runs that started in ${periodOption(period).phrase}; the costliest workflow first`} className="card-wide" status={status} minBodyHeight={120}>
      {rows ? (
        <ScrollArea label="Workflows">
          <table className="feed">
            <caption className="visually-hidden">Workflows with their runs, success rate, p95 duration and cost per run</caption>
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col" className="num">
                  Runs
                </th>
                <th scope="col" className="num">
                  Success rate
                </th>
                <th scope="col" className="num">
                  p95 duration
                </th>
                <th scope="col" className="num">
                  Cost per run
                </th>
                <th scope="col" className="num">
                  Total cost
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.workflow}>
                  <td className="row-name">
                    <a href={linkTo(row.workflow)}>{row.workflow}</a>
                  </td>
                  <td className="num">{row.runs}</td>
                  <td className="num">
                    <span className={row.struggling ? 'badge badge-error' : undefined}>{row.successRate}</span>
                  </td>
                  <td className="num">{row.p95Duration}</td>
                  <td className="num">{row.costPerRun}</td>
                  <td className="num">{row.totalCost}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      ) : null}
    </Card>
  );
}
