import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { StackedCostChart } from '../../components/charts/StackedCostChart';
import { seriesColors } from '../../components/series-colors';
import type { Period } from '../../gql/graphql';
import { prepareProviderDailyCost } from './prepare-provider-daily-cost';
import type { AdminDashboardState } from './use-admin-dashboard';

/** The platform's cost per provider and day, stacked. */
export function ProviderCostCard({ state, period, phrase }: { state: AdminDashboardState; period: Period; phrase: string }) {
  const chart = state.data ? prepareProviderDailyCost(state.data.dailyCostByProvider, { period, now: new Date(), colors: seriesColors }) : null;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: chart !== null,
    isEmpty: chart?.isEmpty ?? true,
    emptyMessage: <p>No priced calls in {phrase} in any workspace. Costs appear here by provider once calls with a known price arrive; or pick a longer period.</p>,
    retry: state.retry,
  });
  return (
    <Card
      title="Daily cost by provider"
      caption={chart?.caption ?? `Every workspace's spend per provider and UTC day over ${phrase}, stacked`}
      aside={chart ? <span className="figure">{chart.totalLabel}</span> : null}
      status={status}
      className="card-wide"
      minBodyHeight={300}
    >
      {chart ? (
        <StackedCostChart chart={chart} legendLabel="Cost per provider over the period" ariaLabel={`Daily cost by provider across every workspace over ${phrase}`} />
      ) : null}
    </Card>
  );
}
