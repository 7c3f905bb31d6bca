import { useQuery } from '@apollo/client/react';
import { Card } from '../../components/Card';
import { listCardStatus } from '../../components/card-status';
import { FeedTable } from '../../components/FeedTable';
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
  const status = listCardStatus(
    { loading, error, refetch },
    rows,
    <p>
      No workflow ran in {periodOption(period).phrase}. Calls that share an <code>executionId</code> and name a <code>workflow</code> make its runs.
    </p>,
  );
  const linkTo = (workflow: string) => {
    const params = new URLSearchParams(route.params);
    params.set('workflow', workflow);
    return hashFor('runs', params);
  };
  return (
    <Card title="Workflows" caption={`Runs that started in ${periodOption(period).phrase}; the costliest workflow first; daily cost from its calls`} className="card-wide" status={status} minBodyHeight={120}>
      {rows ? (
        <ScrollArea label="Workflows">
          <FeedTable
            caption="Workflows with their runs, success rate, p95 duration, cost per run, total cost and daily cost"
            rows={rows}
            rowKey={(row) => row.workflow}
            columns={[
              { label: 'Workflow', cellClassName: 'row-name', cell: (row) => <a href={linkTo(row.workflow)}>{row.workflow}</a> },
              { label: 'Runs', numeric: true, cell: (row) => row.runs },
              { label: 'Success rate', numeric: true, cell: (row) => <span className={row.struggling ? 'badge badge-error' : undefined}>{row.successRate}</span> },
              { label: 'p95 duration', numeric: true, cell: (row) => row.p95Duration },
              { label: 'Cost per run', numeric: true, cell: (row) => row.costPerRun },
              { label: 'Total cost', numeric: true, cell: (row) => row.totalCost },
              { label: 'Daily cost', cell: (row) => (trends ? <Sparkline values={trends.get(row.workflow) ?? []} label={`Daily cost of ${row.workflow}`} words={DAILY_COST_WORDS} /> : null) },
            ]}
          />
        </ScrollArea>
      ) : null}
    </Card>
  );
}
