import type { PageProps } from '../../pages';
import { FilterSlot } from '../attribution/FilterSlot';
import { TagsCard } from '../attribution/TagsCard';
import { UsersCard } from '../attribution/UsersCard';
import { useUsageFilter } from '../attribution/use-usage-filter';
import { BreakdownCard } from './BreakdownCard';
import { BudgetsCard } from './BudgetsCard';
import { CsvDownloadButton } from './CsvDownloadButton';
import { DailyCostCard } from './DailyCostCard';
import { ModelComparisonCard } from './ModelComparisonCard';
import { ProjectionCard } from './ProjectionCard';
import { RecommendationsCard } from './RecommendationsCard';
import { UnpricedModelsCard } from './UnpricedModelsCard';
import './costs.css';

/** What the Costs page cannot filter, said in its filter bar. */
const UNFILTERED = 'The projection, budgets, recommendations, unpriced models and model comparison count every call, so they are hidden while a filter is set; the CSV export keeps the filter.';

/**
 * The Costs page: daily cost by model, projection, recommendations, breakdowns (by model, provider,
 * agent, end user and tag), model comparison, budgets, prices and the CSV export. Under an
 * attribution filter, only the cards whose queries take it stay.
 */
export function CostsPage({ period, viewer, timeZone }: PageProps) {
  const filter = useUsageFilter();
  return (
    <div className="costs">
      <div className="costs-toolbar">
        <FilterSlot period={period} unfiltered={UNFILTERED} />
        <CsvDownloadButton period={period} filter={filter} />
      </div>
      <div className="grid">
        <DailyCostCard period={period} timeZone={timeZone} workspaceTimeZone={viewer.workspace.timezone} filter={filter} />
        {filter ? null : (
          <>
            {/* Two stacks side by side, so a long list on one side does not stretch a short card on the other. */}
            <div className="stack">
              <ProjectionCard period={period} timeZone={timeZone} />
              <BudgetsCard period={period} timeZone={timeZone} />
            </div>
            <div className="stack">
              <RecommendationsCard period={period} />
              <UnpricedModelsCard period={period} />
            </div>
          </>
        )}
        <BreakdownCard period={period} filter={filter} />
        <UsersCard period={period} timeZone={timeZone} filter={filter} />
        <TagsCard period={period} filter={filter} />
        {filter ? null : <ModelComparisonCard period={period} />}
      </div>
    </div>
  );
}
