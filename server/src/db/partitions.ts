import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Db } from './db';

/** Months kept created ahead of the current one, so that ingest never waits for one. */
export const MONTHS_AHEAD = 2;

/** One month of raw calls: a partition of llm_usage holding `from` up to (not including) `to`. */
export interface RawPartition {
  name: string;
  from: Date;
  to: Date;
}

/**
 * The schema owner's connection, for detaching and dropping llm_usage's months: only the table's
 * owner may, and neither request role nor the platform role is one. Statements run on their own
 * (DETACH … CONCURRENTLY refuses a transaction block, and so a function).
 */
export interface PartitionOwner {
  readonly path: 'partition-owner';
  query(sql: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Closes a connection of its own (the migration role's). */
  close(): Promise<void>;
}

/** The owner through the serving connection, when the serving role owns the tables (one role migrates and serves). */
export function partitionOwner(dataSource: DataSource): PartitionOwner {
  return { path: 'partition-owner', query: (sql, parameters) => dataSource.query(sql, parameters), close: async () => undefined };
}

/** The owner through a connection of its own to `url` (DATABASE_MIGRATION_URL), opened when first used. */
export function partitionOwnerAt(url: string): PartitionOwner {
  let pool: Pool | null = null;
  return {
    path: 'partition-owner',
    query: async (sql, parameters) => (await (pool ??= new Pool({ connectionString: url, max: 1 })).query(sql, parameters)).rows,
    close: async () => {
      await pool?.end();
      pool = null;
    },
  };
}

/**
 * Creates the months of raw calls from `from` to `to` that do not exist yet; answers how many it
 * made. `tally_ensure_partitions` runs as its owner, so the platform path may call it.
 */
export async function ensurePartitions(db: Db | PartitionOwner, from: Date, to: Date): Promise<number> {
  const [row]: { created: number }[] = await db.query(`SELECT tally_ensure_partitions($1, $2) AS created`, [from.toISOString(), to.toISOString()]);
  return Number(row.created);
}

/** Keeps the current month and MONTHS_AHEAD more created. */
export function ensureMonthsAhead(db: Db, now: Date): Promise<number> {
  const ahead = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + MONTHS_AHEAD, 1));
  return ensurePartitions(db, now, ahead);
}

/** The months of raw calls, oldest first. */
export async function rawPartitions(db: Db | PartitionOwner): Promise<RawPartition[]> {
  const rows: { name: string; bound: string }[] = await db.query(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'llm_usage'::regclass AND NOT i.inhdetachpending`,
  );
  return rows
    .map(({ name, bound }) => {
      const [from, to] = [...bound.matchAll(/'([^']+)'/g)].map((match) => new Date(match[1]));
      return { name, from, to };
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/**
 * Detaches a month of raw calls CONCURRENTLY: it waits for the statements using it but blocks
 * neither ingest nor reads of other months. From then on no call can land in it.
 */
export async function detachPartition(owner: PartitionOwner, name: string): Promise<void> {
  await owner.query(`ALTER TABLE llm_usage DETACH PARTITION ${quoteIdentifier(name)} CONCURRENTLY`);
}

/** Drops a month detached before. */
export async function dropDetached(owner: PartitionOwner, name: string): Promise<void> {
  await owner.query(`DROP TABLE ${quoteIdentifier(name)}`);
}

/**
 * Attaches again every month left detached: by a detach a crash interrupted (finished first) or
 * by a retention run that stopped before it dropped or attached it back. A month is only ever
 * dropped by the run that detached it, once it found it held nothing to keep.
 */
export async function reattachDetached(owner: PartitionOwner): Promise<void> {
  const pending = await owner.query(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'llm_usage'::regclass AND i.inhdetachpending`,
  );
  for (const { name } of pending) await owner.query(`ALTER TABLE llm_usage DETACH PARTITION ${quoteIdentifier(String(name))} FINALIZE`);
  const detached = await owner.query(
    `SELECT relname AS name FROM pg_class WHERE relname ~ '^llm_usage_y[0-9]{4}m[0-9]{2}$' AND relkind = 'r' AND NOT relispartition
       AND relnamespace = current_schema()::regnamespace`,
  );
  for (const { name } of detached) {
    const [, year, month] = /y(\d{4})m(\d{2})$/.exec(String(name))!;
    const start = new Date(Date.UTC(Number(year), Number(month) - 1, 1));
    await ensurePartitions(owner, start, start);
  }
}

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** True for PostgreSQL's refusal of a row no month of llm_usage holds. */
export function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === '23514' && /no partition of relation/.test(e.message ?? '');
}
