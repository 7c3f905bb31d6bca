import { useMemo } from 'react';
import type { UsageFilter } from '../../gql/graphql';
import { useRoute } from '../../routing';
import { readFilter, toUsageFilter } from './usage-filter';

/** The page's attribution filter as a UsageFilter (undefined when none), the same object while the URL's filter is unchanged. */
export function useUsageFilter(): UsageFilter | undefined {
  const { route } = useRoute();
  const filter = toUsageFilter(readFilter(route.params));
  const key = JSON.stringify(filter ?? null);
  // Keyed by value: a new object on every render would make Apollo see new variables and ask again.
  return useMemo(() => filter, [key]);
}
