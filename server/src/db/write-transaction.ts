import type { DataSource, EntityManager } from 'typeorm';
import { retryLockConflicts } from './lock-conflicts';
import { enterScope, type DbScope } from './scoped-db';

/** The platform path: a transaction as the connecting role, unscoped (heartbeats, platform-wide checks). */
export const PLATFORM = 'platform';

/**
 * The one way to run a write transaction: `work` runs in a transaction acting for `dbScope`
 * (or on the platform path), retried whole when PostgreSQL breaks a deadlock by aborting it.
 * `work` must take its row locks in LOCK_ORDER (db/lock-order.ts), so that retries stay rare,
 * and must leave side effects (events, answers) until the transaction has committed, since it
 * may run more than once.
 */
export function writeTransaction<T>(dataSource: DataSource, dbScope: DbScope | typeof PLATFORM, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return retryLockConflicts(() =>
    // eslint-disable-next-line no-restricted-syntax -- this is the helper the rule points every other writer to
    dataSource.transaction(async (manager) => {
      if (dbScope !== PLATFORM) await enterScope(manager, dbScope);
      return work(manager);
    }),
  );
}
