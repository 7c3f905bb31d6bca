import { backOff } from 'exponential-backoff';

/** Deadlock detected, and serialization failure: the transaction did nothing and may simply run again. */
const LOCK_CONFLICT_SQLSTATES = new Set(['40P01', '40001']);

export function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && LOCK_CONFLICT_SQLSTATES.has(code);
}

/** Attempts a transaction gets, the first included. */
export const WRITE_ATTEMPTS = 5;

/**
 * Runs `attempt` (one whole transaction) again when PostgreSQL aborted it for a lock conflict:
 * at most WRITE_ATTEMPTS times, after a random pause of up to 10, 30, 90 and 270 ms ("full
 * jitter", so the transactions that collided do not collide again in step). Any other error,
 * or the last conflict, goes to the caller.
 */
export function retryLockConflicts<T>(attempt: () => Promise<T>): Promise<T> {
  return backOff(attempt, {
    numOfAttempts: WRITE_ATTEMPTS,
    startingDelay: 10,
    timeMultiple: 3,
    jitter: 'full',
    retry: (error: unknown) => isLockConflict(error),
  });
}
