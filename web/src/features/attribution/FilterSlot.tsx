import { lazy, Suspense, useState } from 'react';
import type { Period } from '../../gql/graphql';
import { useUsageFilter } from './use-usage-filter';

// The bar and its suggestions load only once wanted: the Overview's first load carries this slot alone.
const FilterBar = lazy(() => import('./FilterBar').then((module) => ({ default: module.FilterBar })));

/** Where a page's filter bar goes: a button until a filter is set or asked for, then the bar. */
export function FilterSlot({ period, unfiltered }: { period: Period; unfiltered: string }) {
  const active = useUsageFilter() !== undefined;
  const [asked, setAsked] = useState(false);
  // Once shown, the bar stays when its last condition is removed, so the next one can be added.
  if (active && !asked) setAsked(true);
  if (!active && !asked) {
    return (
      <div className="filter-slot">
        <button type="button" className="button button-quiet" onClick={() => setAsked(true)}>
          Filter by tag, metadata or user
        </button>
      </div>
    );
  }
  return (
    <div className="filter-slot">
      <Suspense
        fallback={
          <p className="muted small" role="status">
            Loading the filter…
          </p>
        }
      >
        <FilterBar period={period} unfiltered={unfiltered} />
      </Suspense>
    </div>
  );
}
