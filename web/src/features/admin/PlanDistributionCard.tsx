import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { DonutChart } from '../../components/charts/DonutChart';
import { preparePlanDistribution } from './prepare-shares';
import { ShareLegend } from './ShareLegend';
import type { AdminDashboardState } from './use-admin-dashboard';

/** How many workspaces are on each plan, as a pie. */
export function PlanDistributionCard({ state }: { state: AdminDashboardState }) {
  const chart = state.data ? preparePlanDistribution(state.data.planDistribution) : null;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: chart !== null,
    isEmpty: chart?.isEmpty ?? true,
    emptyMessage: <p>There are no workspaces yet. Create one with the <code>createWorkspace</code> mutation and its plan shows here.</p>,
    retry: state.retry,
  });
  return (
    <Card title="Plan distribution" caption={chart ? `${chart.totalLabel} by plan, today` : 'Workspaces by plan, today'} status={status}>
      {chart ? (
        <div className="share-layout">
          <DonutChart slices={chart.slices} innerRadius={0} ariaLabel={`Workspaces by plan: ${chart.slices.map((s) => `${s.label} ${s.valueLabel}`).join(', ')}`} />
          <ShareLegend label="Workspaces by plan" slices={chart.slices} />
        </div>
      ) : null}
    </Card>
  );
}
