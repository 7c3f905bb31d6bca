import { useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { SummaryDocument, SummaryUpdatedDocument, type Period, type SummaryFiguresFragment } from '../../gql/graphql';
import { useRefetchOnReconnect } from '../../live';

/** The period's summary, kept current by llmSummaryUpdated. */
export interface LiveSummary {
  summary: SummaryFiguresFragment | null;
  /** When the last pushed summary arrived; null until one has. */
  updatedAt: Date | null;
  loading: boolean;
  error: Error | undefined;
  refetch(): void;
}

/**
 * llmSummary for the period, then every llmSummaryUpdated push written over it in the cache, so
 * the figures move as calls land without a request each time. After the socket reconnects the
 * summary is fetched again, since pushes may have been missed while it was down.
 */
export function useLiveSummary(period: Period): LiveSummary {
  const query = useQuery(SummaryDocument, { variables: { period } });
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);

  useSubscription(SummaryUpdatedDocument, {
    variables: { period },
    onData: ({ client, data }) => {
      const summary = data.data?.llmSummaryUpdated;
      if (!summary) return;
      client.cache.writeQuery({ query: SummaryDocument, variables: { period: summary.period }, data: { llmSummary: summary } });
      setUpdatedAt(new Date());
    },
  });

  useRefetchOnReconnect(query.refetch);

  return {
    summary: query.data?.llmSummary ?? null,
    updatedAt,
    loading: query.loading,
    error: query.error,
    refetch: () => void query.refetch(),
  };
}
