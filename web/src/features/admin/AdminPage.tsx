import type { PageProps } from '../../pages';
import { periodOption } from '../../period';
import { AdminTilesCard } from './AdminTilesCard';
import { AnomaliesCard } from './AnomaliesCard';
import { ByokSplitCard } from './ByokSplitCard';
import { CostBreakdownCard } from './CostBreakdownCard';
import { PlanDistributionCard } from './PlanDistributionCard';
import { ProviderCostCard } from './ProviderCostCard';
import { useAdminDashboard } from './use-admin-dashboard';
import { WorkspaceTableCard } from './WorkspaceTableCard';
import { WorkspaceStorageCard } from './WorkspaceStorageCard';
import './admin.css';

/**
 * The Admin page: the whole platform over the period (it never depends on the scope switcher):
 * hero figures, daily cost by provider, BYOK against platform keys, plans, anomalies and every
 * workspace's cost (the workspace table asks for its page), and the cost by model or provider
 * from adminCostAnalytics; storage per workspace when asked, and deleting a workspace.
 */
export function AdminPage({ period, timeZone }: PageProps) {
  const state = useAdminDashboard(period);
  const phrase = periodOption(period).phrase;
  return (
    <div className="grid">
      <AdminTilesCard state={state} phrase={phrase} />
      <ProviderCostCard state={state} period={period} phrase={phrase} />
      <ByokSplitCard state={state} phrase={phrase} />
      <PlanDistributionCard state={state} />
      <AnomaliesCard state={state} phrase={phrase} />
      <WorkspaceTableCard state={state} period={period} phrase={phrase} />
      <CostBreakdownCard period={period} phrase={phrase} />
      <WorkspaceStorageCard timeZone={timeZone} />
    </div>
  );
}
