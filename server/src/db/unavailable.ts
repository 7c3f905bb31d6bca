/**
 * Which failures mean "the database cannot serve right now" (a restart, a failover, a server
 * starting up or shutting down, no connection slots, a network blip) rather than a fault of the
 * request or of the gateway. Each becomes UNAVAILABLE, which a client may retry.
 */

/** Operating-system errors of a socket that could not connect or was cut. */
export const UNAVAILABLE_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
]);

/** SQLSTATE classes every code of which means the server cannot serve: 08 connection exception, 53 insufficient resources. */
export const UNAVAILABLE_SQLSTATE_CLASSES: ReadonlySet<string> = new Set(['08', '53']);

/** Single SQLSTATEs that do: the server shutting down or starting up, and conflicts still unresolved once retried. */
export const UNAVAILABLE_SQLSTATES: ReadonlySet<string> = new Set([
  '57P01', // admin_shutdown: a fast shutdown or pg_terminate_backend
  '57P02', // crash_shutdown: another backend crashed
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
  '40001', // serialization_failure, after the write transaction's own retries
  '40P01', // deadlock_detected, likewise
]);

/** 55000 (object_not_in_prerequisite_state) is many things; only this one is a server refusing connections. */
const NOT_ACCEPTING_CONNECTIONS = /not (currently )?accepting connections/i;

/**
 * What node-postgres and pg-pool say, with no code, when a connection fails, times out or ends,
 * and what a client whose connection was cut says to the next statement of its transaction.
 */
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection to server|Client has encountered a connection error|Client was closed and is not queryable|Query read timeout|Connection ended unexpectedly/i;

/** TypeORM's errors for a query runner whose connection was given back (after a cut, while a transaction was still going). */
const RELEASED_RUNNER_ERRORS: ReadonlySet<string> = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  // graphql-js wraps a thrown value that is no Error of its own realm (a socket error seen from a sandbox) in NonErrorThrown.
  const thrown = (error as { thrownValue?: unknown }).thrownValue;
  if (thrown !== undefined) return isDatabaseUnavailable(thrown);
  // TypeORM's QueryFailedError carries the driver's error; an error rethrown with context carries its cause.
  const wrapped = (error as { driverError?: unknown }).driverError ?? (error as { cause?: unknown }).cause;
  if (wrapped !== undefined && wrapped !== error && isDatabaseUnavailable(wrapped)) return true;
  if (RELEASED_RUNNER_ERRORS.has((error as { name?: unknown }).name as string)) return true;
  const code = (error as { code?: unknown }).code;
  const message = String((error as { message?: unknown }).message ?? '');
  if (typeof code === 'string') {
    if (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
    if (code === '55000') return NOT_ACCEPTING_CONNECTIONS.test(message);
  }
  // Several addresses tried at once (localhost as ::1 and 127.0.0.1) fail together.
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isDatabaseUnavailable)) return true;
  return DRIVER_MESSAGES.test(message);
}
