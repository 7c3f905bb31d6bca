import type { PageProps } from '../../pages';
import { useRoute } from '../../routing';
import { AgentDetail } from './AgentDetail';
import { AgentsTableCard } from './AgentsTableCard';
import './agents.css';

/** The Agents page: every agent with its figures, or, at `#/agents/<id>`, one agent in detail. */
export function AgentsPage({ period, timeZone }: PageProps) {
  const { route } = useRoute();
  return <div className="grid">{route.detail ? <AgentDetail id={route.detail} period={period} timeZone={timeZone} /> : <AgentsTableCard period={period} />}</div>;
}
