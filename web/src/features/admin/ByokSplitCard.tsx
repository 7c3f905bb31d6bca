import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { DonutChart } from '../../components/charts/DonutChart';
import { prepareByokSplit } from './prepare-shares';
import { ShareLegend } from './ShareLegend';
import type { AdminDashboardState } from './use-admin-dashboard';

/** Cost on customers' own keys against cost on the platform's, as a donut. */
export function ByokSplitCard({ state, phrase }: { state: AdminDashboardState; phrase: string }) {
  const chart = state.data ? prepareByokSplit(state.data.byokSplit) : null;
  const status = cardStatus({
    loading: state.loading,
    error: state.error,
    hasData: chart !== null,
    isEmpty: chart?.emptyReason !== null,
    emptyMessage:
      chart?.emptyReason === 'no-cost' ? (
        <p>Calls arrived in {phrase}, but none has a known price yet: set prices on the Costs page to see how cost splits between keys.</p>
      ) : (
        <p>No calls in {phrase} in any workspace. Calls sent with a workspace&apos;s own provider key count as BYOK; pick a longer period.</p>
      ),
    retry: state.retry,
  });
  return (
    <Card title="BYOK vs platform keys" caption={`Cost by whose provider key paid for the call, ${phrase}`} status={status}>
      {chart ? (
        <div className="share-layout">
          <DonutChart
            slices={chart.slices.filter((slice) => slice.value > 0)}
            centerLabel={chart.totalLabel}
            ariaLabel={`Cost on own keys against platform keys over ${phrase}: ${chart.slices.map((s) => `${s.label} ${s.valueLabel}`).join(', ')}`}
          />
          <ShareLegend label="Cost by key" slices={chart.slices} />
        </div>
      ) : null}
    </Card>
  );
}
