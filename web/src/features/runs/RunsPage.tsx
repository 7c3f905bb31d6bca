import type { PageProps } from '../../pages';
import { useRoute } from '../../routing';
import { RunDetailCard } from './RunDetailCard';
import { RunsTableCard } from './RunsTableCard';
import { WorkflowsCard } from './WorkflowsCard';
import './runs.css';

/** The Runs page: the workflows and a live table of runs, or, at `#/runs/<id>`, one run's calls as a waterfall. */
export function RunsPage({ period, timeZone }: PageProps) {
  const { route } = useRoute();
  if (route.detail) {
    return (
      <div className="grid">
        <RunDetailCard id={route.detail} timeZone={timeZone} />
      </div>
    );
  }
  return (
    <div className="grid">
      <WorkflowsCard period={period} />
      <RunsTableCard period={period} timeZone={timeZone} />
    </div>
  );
}
