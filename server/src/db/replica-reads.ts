import type { ApolloServerPlugin } from '@apollo/server';
import type { DataSource } from 'typeorm';
import type { Context } from '../graphql/context';
import { createLoaders } from '../graphql/loaders';
import { scopedDb } from './scoped-db';

/** Whether the DataSource was opened with read replicas (DATABASE_REPLICA_URLS). */
export function hasReplicas(dataSource: DataSource): boolean {
  const options = dataSource.options as { replication?: { slaves?: unknown[] } };
  return (options.replication?.slaves?.length ?? 0) > 0;
}

/**
 * Sends GraphQL queries (not mutations) to the read replicas: once the operation is known, a
 * query's context reads through a replica, under the same scope, loaders included. Mutations,
 * and the live pushes that follow a write, stay on the primary, so they see what was just
 * written; a query may see a write a moment late, as far as the replica lags.
 */
export function replicaReadsPlugin(dataSource: DataSource): ApolloServerPlugin<Context> {
  if (!hasReplicas(dataSource)) return {};
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const { auth } = contextValue;
          if (operation?.operation !== 'query' || !auth.ok) return;
          contextValue.db = scopedDb(dataSource, { scope: auth.scope, isAdmin: auth.viewer.role === 'ADMIN' }, 'replica');
          contextValue.loaders = createLoaders(contextValue.db, auth.scope);
        },
      };
    },
  };
}
