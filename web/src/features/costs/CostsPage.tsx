import type { PageProps } from '../../pages';
import { BreakdownCard } from './BreakdownCard';
import { BudgetsCard } from './BudgetsCard';
import { CsvDownloadButton } from './CsvDownloadButton';
import { DailyCostCard } from './DailyCostCard';
import { ModelComparisonCard } from './ModelComparisonCard';
import { ProjectionCard } from './ProjectionCard';
import { RecommendationsCard } from './RecommendationsCard';
import { UnpricedModelsCard } from './UnpricedModelsCard';
import './costs.css';

/** The Costs page: daily cost by model, projection, recommendations, breakdowns, model comparison, budgets, prices and the CSV export. */
export function CostsPage({ period, viewer, timeZone }: PageProps) {
  return (
    <div className="costs">
      <div className="costs-toolbar">
        <CsvDownloadButton period={period} />
      </div>
      <div className="grid">
        <DailyCostCard period={period} timeZone={timeZone} workspaceTimeZone={viewer.workspace.timezone} />
        {/* Two stacks side by side, so a long list on one side does not stretch a short card on the other. */}
        <div className="stack">
          <ProjectionCard period={period} timeZone={timeZone} />
          <BudgetsCard period={period} timeZone={timeZone} />
        </div>
        <div className="stack">
          <RecommendationsCard period={period} />
          <UnpricedModelsCard period={period} />
        </div>
        <BreakdownCard period={period} />
        <ModelComparisonCard period={period} />
      </div>
    </div>
  );
}
