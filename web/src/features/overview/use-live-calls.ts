import { useQuery, useSubscription } from '@apollo/client/react';
import { useRef, useState } from 'react';
import { CallTrackedDocument, RecentCallsDocument, type FeedCallFragment, type UsageFilter } from '../../gql/graphql';
import { useRefetchOnReconnect } from '../../live';
import { FEED_INITIAL_CALLS } from './overview-queries';
import { mergeFeedCalls } from './prepare-live-feed';

/** The live feed's state: calls newest first, and which of them arrived while the page was open. */
export interface LiveCalls {
  calls: readonly FeedCallFragment[];
  arrivedIds: ReadonlySet<string>;
  hasData: boolean;
  loading: boolean;
  error: Error | undefined;
  refetch(): void;
}

/**
 * The latest calls (llmCalls), then every llmCallTracked event prepended into the same cache
 * entry, so the feed grows without a reload. After the socket reconnects the list is fetched
 * again, since calls may have landed while it was down.
 */
export function useLiveCalls(onArrive?: (call: FeedCallFragment) => void, filter?: UsageFilter): LiveCalls {
  const variables = filter ? { limit: FEED_INITIAL_CALLS, filter } : { limit: FEED_INITIAL_CALLS };
  const query = useQuery(RecentCallsDocument, { variables });
  const [arrivedIds, setArrivedIds] = useState<ReadonlySet<string>>(new Set());
  const onArriveRef = useRef(onArrive);
  onArriveRef.current = onArrive;

  useSubscription(CallTrackedDocument, {
    variables: filter ? { filter } : {},
    onData: ({ client, data }) => {
      const call = data.data?.llmCallTracked;
      if (!call) return;
      client.cache.updateQuery({ query: RecentCallsDocument, variables }, (previous) =>
        previous ? { llmCalls: mergeFeedCalls(previous.llmCalls, [call]) } : previous,
      );
      setArrivedIds((ids) => new Set(ids).add(call.id));
      onArriveRef.current?.(call);
    },
  });

  useRefetchOnReconnect(query.refetch);

  return {
    calls: query.data?.llmCalls ?? [],
    arrivedIds,
    hasData: query.data !== undefined,
    loading: query.loading,
    error: query.error,
    refetch: () => void query.refetch(),
  };
}
