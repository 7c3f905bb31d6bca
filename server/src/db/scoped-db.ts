import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Scope } from '../metrics/metrics.model';
import type { Db, EntityAccess } from './db';
import { writeTransaction } from './write-transaction';
import { retryLockConflicts } from './lock-conflicts';
import { isDatabaseUnavailable } from './unavailable';
import { APP_ROLE } from './migrations/1764202100000-RowLevelSecurity';

/** Who a database session acts for: the scope, and whether platform-only rows (admin) are readable. */
export interface DbScope {
  scope: Scope;
  isAdmin: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Request statements read rollups and short raw ranges: starting parallel workers or JIT-compiling
// a statement costs more than it saves there (and a 2-core machine has no workers to spare).
// Row-level policies hide a scope's share of rows from the planner's estimates, so it sorts
// where it would hash: a few thousand rollup rows with their histograms (4 MB) went to disk
// under the default 4 MB of work memory, and 30 days of a busy workspace's rollup rows (10,000
// rows, 14 MB: agentAnalytics with 2,000,000 calls) under 16 MB.
export const REQUEST_SETTINGS = "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL jit = off; SET LOCAL work_mem = '32MB';";
/**
 * Statements over every workspace (scope __all__ and the platform path) may use more: the exact
 * 95th percentile by workspace sorts every call of the range, and 300,000 calls (10,000 small
 * workspaces over 30 days) took 26 MB to sort in memory, a third less time than on disk. Few
 * such statements run at once (admin views, background checks).
 */
export const ALL_WORKSPACES_SETTINGS = "SET LOCAL work_mem = '64MB';";

/**
 * The statements that make the current transaction act for a scope: the unprivileged role,
 * then the settings the row-level policies read. All are transaction-local.
 */
export function scopeStatements({ scope, isAdmin }: DbScope): string {
  const workspaceId = scope.kind === 'workspace' ? scope.workspaceId : '';
  if (workspaceId && !UUID.test(workspaceId)) throw new Error(`not a workspace id: ${workspaceId}`);
  return `SET LOCAL ROLE ${APP_ROLE}; ${REQUEST_SETTINGS}${scope.kind === 'all' ? ` ${ALL_WORKSPACES_SETTINGS}` : ''}
    SELECT set_config('app.workspace_id', '${workspaceId}', true),
      set_config('app.all_workspaces', '${scope.kind === 'all' ? 'on' : 'off'}', true),
      set_config('app.is_admin', '${isAdmin ? 'on' : 'off'}', true)`;
}

/** One workspace's own scope, without platform-only rows: what a writer of its data acts for. */
export const workspaceScope = (workspaceId: string): DbScope => ({ scope: { kind: 'workspace', workspaceId }, isAdmin: false });

/** Makes an open transaction act for a scope (a read that spans statements; writes go through writeTransaction). */
export async function enterScope(manager: EntityManager, dbScope: DbScope): Promise<void> {
  await manager.query(scopeStatements(dbScope));
}

interface PgClient {
  query(sql: string | { name?: string; text: string; values?: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[]; command: string }>;
  on(event: 'error', listener: (error: Error) => void): void;
  removeListener(event: 'error', listener: (error: Error) => void): void;
}

/** Statements a connection keeps prepared; past this, statements new to it are planned each time. */
const PREPARED_PER_CONNECTION = 200;
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * A request statement as a named prepared statement of its connection: dashboards send the same
 * few statements over and over, and the widest take longer to parse and plan (15 ms) than to run.
 */
function prepared(client: PgClient, sql: string, values?: unknown[]): { name?: string; text: string; values?: unknown[] } {
  // Without parameters a text may hold several statements, which only the simple protocol takes.
  if (!values?.length) return { text: sql, values };
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Set()));
  const name = `tally_${createHash('sha1').update(sql).digest('base64url').slice(0, 24)}`;
  if (!names.has(name)) {
    if (names.size >= PREPARED_PER_CONNECTION) return { text: sql, values };
    names.add(name);
  }
  return { name, text: sql, values };
}

/** What a request's statements run through: its scope, as the app role. Only `scopedDb` makes one. */
export interface ScopedDb extends Db, EntityAccess {
  readonly path: 'scoped';
}

/**
 * A Db whose every statement runs in its own short transaction under the request's scope.
 * Statements of one request may run side by side on several pooled connections; none of
 * them leaves its settings on the connection. On `replica`, statements go to a read replica
 * (DATABASE_REPLICA_URLS; the primary when there is none): for read-only analytics.
 */
export function scopedDb(dataSource: DataSource, dbScope: DbScope, server: 'primary' | 'replica' = 'primary'): ScopedDb {
  const preamble = scopeStatements(dbScope);
  return { path: 'scoped', query: transactionPerStatement(dataSource, preamble, server), entities: (work) => writeTransaction(dataSource, preamble, work) };
}

/**
 * Runs each statement in a transaction of its own that first runs `preamble` (SET LOCAL ROLE
 * and settings): the one way request and platform statements reach the pool.
 */
export function transactionPerStatement(
  dataSource: DataSource,
  preamble: string,
  server: 'primary' | 'replica' = 'primary',
): (sql: string, parameters?: unknown[]) => Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const begin = `BEGIN; ${preamble}`;
  const connect = server === 'replica' ? () => dataSource.driver.obtainSlaveConnection() : () => dataSource.driver.obtainMasterConnection();
  const attempt = async (sql: string, parameters: unknown[] | undefined): Promise<{ rows: unknown[] } | StaleConnection> => {
    const [client, release] = (await connect()) as [PgClient, (error?: unknown) => void];
    let failure: unknown;
    // The pool listens for connection errors only while a client is idle: unheard, a reset would crash the process.
    const onConnectionError = (error: Error): void => void (failure ??= error);
    client.on('error', onConnectionError);
    let begun = false;
    try {
      await client.query(begin);
      begun = true;
      const result = await client.query(prepared(client, sql, parameters));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      // A pooled connection the server ended while it sat idle fails at BEGIN: nothing of the request ran on it.
      if (!begun && isDatabaseUnavailable(error)) return { stale: error };
      throw error;
    } finally {
      client.removeListener('error', onConnectionError);
      // A connection that failed mid-transaction, or that the server ended, is dropped rather than reused.
      release(failure && (!(failure as { code?: string }).code || isDatabaseUnavailable(failure)) ? failure : undefined);
    }
  };
  const statement = async (sql: string, parameters?: unknown[]): Promise<unknown[]> => {
    let outcome = await attempt(sql, parameters);
    // After a restart every idle connection is stale: a few fresh ones are tried, each checkout waiting for recovery.
    for (let retries = 0; 'stale' in outcome; retries++) {
      if (retries === STALE_RETRIES) throw outcome.stale;
      outcome = await attempt(sql, parameters);
    }
    return outcome.rows;
  };
  // A statement is a transaction of its own: one that PostgreSQL aborts for a lock conflict simply runs again.
  return (sql: string, parameters?: unknown[]) => retryLockConflicts(() => statement(sql, parameters));
}

interface StaleConnection {
  stale: unknown;
}

const STALE_RETRIES = 3;
