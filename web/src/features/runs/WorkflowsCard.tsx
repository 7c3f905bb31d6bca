import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { Sparkline } from '../../components/charts/Sparkline';
import { ScrollArea } from '../../components/ScrollArea';
import { WorkflowStatsDocument, WorkflowTrendDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { hashFor, useRoute } from '../../routing';
import { DAILY_COST_WORDS } from '../agents/prepare-agents';
import { prepareWorkflows, prepareWorkflowTrends } from './prepare-runs';

/** Each workflow's runs over the period: how many, how often they succeed, how long and how costly they are, and its daily cost. */
export function WorkflowsCard({ period }: { period: Period }) {
  const { data, loading, error, refetch } = useQuery(WorkflowStatsDocument, { variables: { period } });
  const trend = useQuery(WorkflowTrendDocument, { variables: { period } });
  const trends = trend.data ? prepareWorkflowTrends(trend.data.usageMetrics.rows) : null;
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
    <Card title="Workflows" caption={`Runs that started in ${periodOption(period).phrase}; the costliest workflow first; daily cost from its calls`} className="card-wide" status={status} minBodyHeight={120}>
      {rows ? (
        <ScrollArea label="Workflows">
          <table className="feed">
            <caption className="visually-hidden">Workflows with their runs, success rate, p95 duration, cost per run, total cost and daily cost</caption>
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
                <th scope="col">Daily cost</th>
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
                  <td>{trends ? <Sparkline values={trends.get(row.workflow) ?? []} label={`Daily cost of ${row.workflow}`} words={DAILY_COST_WORDS} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      ) : null}
    </Card>
  );
}
