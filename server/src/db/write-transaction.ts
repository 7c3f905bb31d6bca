import type { DataSource, EntityManager } from 'typeorm';
import { retryLockConflicts } from './lock-conflicts';

/**
 * The one way to run a write transaction: `preamble` makes it act for a request's scope
 * (`scopeStatements`) or as the platform (`platformDb`), then `work` runs, and the whole
 * transaction runs again when PostgreSQL aborts it to break a deadlock (see retryLockConflicts).
 * `work` must take its row locks in LOCK_ORDER (db/lock-order.ts), so that this stays rare, and
 * must leave side effects (events, answers) until the transaction has committed, since it may
 * run more than once.
 */
export function writeTransaction<T>(dataSource: DataSource, preamble: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return retryLockConflicts(() =>
    // eslint-disable-next-line no-restricted-syntax -- this is the helper the rule points every other writer to
    dataSource.transaction(async (manager) => {
      await manager.query(preamble);
      return work(manager);
    }),
  );
}
