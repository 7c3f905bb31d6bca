import { useQuery } from '@apollo/client/react';
import { AdminDashboardDocument, type Period } from '../../gql/graphql';
import type { AdminDashboardData } from './prepare-admin-tiles';

/** The Admin page's one query, as every card reads it. */
export interface AdminDashboardState {
  data: AdminDashboardData | null;
  loading: boolean;
  error: Error | undefined;
  retry(): void;
}

/** adminDashboard for a period: one request feeds every card of the page. */
export function useAdminDashboard(period: Period): AdminDashboardState {
  const { data, loading, error, refetch } = useQuery(AdminDashboardDocument, { variables: { period } });
  return { data: data?.adminDashboard ?? null, loading, error, retry: () => void refetch() };
}
