import type { PageProps } from '../../pages';
import { ActionLeaderboardCard } from './ActionLeaderboardCard';
import { AgentToolsCard } from './AgentToolsCard';
import { ConnectedAppsCard } from './ConnectedAppsCard';
import { usageWindowFor } from './prepare-tools';
import './tools.css';

/** The Tools page: connected apps, the action leaderboard, and each agent's tools, over the period in whole UTC days. */
export function ToolsPage({ period }: PageProps) {
  const usage = usageWindowFor(period);
  return (
    <div className="grid">
      <ConnectedAppsCard usage={usage} />
      <ActionLeaderboardCard usage={usage} />
      <AgentToolsCard usage={usage} />
    </div>
  );
}
