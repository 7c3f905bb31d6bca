import type { DataSource } from 'typeorm';
import type { Db, EntityAccess } from './db';
import { PLATFORM_ROLE } from './migrations/1764203000000-PlatformRole';
import { ALL_WORKSPACES_SETTINGS, REQUEST_SETTINGS, transactionPerStatement } from './scoped-db';
import { writeTransaction } from './write-transaction';

/**
 * The platform path: work that must see every workspace (key lookup at sign-in, the bootstrap,
 * heartbeat and alert checks, demo seeding, admin views). Statements run as the role
 * `tally_platform`, which has no BYPASSRLS: it passes row-level security through a policy of
 * its own on each protected table (tally_protect), so it works the same whether the serving
 * role is a superuser or a plain owner on managed PostgreSQL. Only `platformDb` makes one, and
 * a service that needs every workspace asks for this type, so a request's `ScopedDb` cannot be
 * handed to it by mistake, nor this to a request.
 */
export interface PlatformDb extends Db, EntityAccess {
  readonly path: 'platform';
  /** Runs `work` in one transaction as the platform role (advisory locks, read-then-write). */
  transaction<T>(work: (tx: Db) => Promise<T>): Promise<T>;
}

const PREAMBLE = `SET LOCAL ROLE ${PLATFORM_ROLE}; ${REQUEST_SETTINGS} ${ALL_WORKSPACES_SETTINGS}`;

export function platformDb(dataSource: DataSource): PlatformDb {
  return {
    path: 'platform',
    query: transactionPerStatement(dataSource, PREAMBLE),
    transaction: (work) => writeTransaction(dataSource, PREAMBLE, work),
    entities: (work) => writeTransaction(dataSource, PREAMBLE, work),
  };
}
