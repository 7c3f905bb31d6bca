import { Mutex } from 'async-mutex';
import type { EntityManager } from 'typeorm';

/** What a service needs to run SQL: a DataSource, an EntityManager in a transaction, or a pg client. */
export interface Db {
  query(sql: string, parameters?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The CRUD tables' TypeORM repositories (their entities are ENTITIES in data-source.ts), reached
 * in the same scope and under the same row-level security as the statements beside them.
 */
export interface EntityAccess {
  /** Runs `work` with an EntityManager in a transaction acting for this Db's scope: the running one, when there is one. `work` uses only the manager. */
  entities<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/** Collects positional parameters while a statement is built. */
export class Params {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, `$n`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export const toNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** A pg client as far as plain and named prepared statements go. */
export interface PgStatementClient {
  query(statement: string | { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Runs a fixed statement as a named prepared statement on the transaction's connection: it is
 * parsed and planned once per connection rather than on every call (the ingest statement takes
 * longer to plan than to run). `name` must always go with the same `text`.
 */
export async function queryPrepared(manager: EntityManager, name: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  if (!manager.queryRunner) throw new Error('queryPrepared needs a transaction');
  const client = (await manager.queryRunner.connect()) as PgStatementClient;
  return (await client.query({ name, text, values })).rows;
}

/**
 * A Db over an open transaction that answers every statement with its rows, as scopedDb does
 * (TypeORM's `manager.query` answers an UPDATE or DELETE with `[rows, count]` instead).
 */
export function transactionRows(manager: EntityManager): Db & EntityAccess {
  // A transaction's connection runs one statement at a time; callers may still ask in parallel
  // (Promise.all over views), so statements wait their turn here rather than inside pg, which
  // deprecates queueing them on a busy client.
  const turn = new Mutex();
  return {
    query: (sql: string, parameters?: unknown[]) =>
      turn.runExclusive(async () => {
        if (!manager.queryRunner) throw new Error('transactionRows needs a transaction');
        const client = (await manager.queryRunner.connect()) as { query(sql: string, parameters?: unknown[]): Promise<{ rows: unknown[] }> };
        return (await client.query(sql, parameters)).rows;
      }),
    entities: (work) => turn.runExclusive(() => work(manager)),
  };
}
