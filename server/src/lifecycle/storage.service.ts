import type { Db } from '../db/db';
import { ROLLUP_TABLES } from '../ingest/rollup';
import type { Scope } from '../metrics/metrics.model';

/** What a scope stores: its raw calls, the oldest of them, its rollup rows and their bytes. */
export interface StorageValues {
  rawCalls: number;
  oldestRawCall: Date | null;
  rollupRows: number;
  /** Raw calls and rollups together, with their indexes: a workspace's share of each table, by rows. */
  totalBytes: number;
}

const RAW_TABLE = 'llm_usage';

interface TableSize {
  name: string;
  bytes: number;
  rows: number;
}

/** Each table's bytes (with indexes and TOAST) and rows, as the statistics have them; a partitioned table's are its partitions'. */
async function tableSizes(db: Db, tables: string[]): Promise<Map<string, TableSize>> {
  const rows: { name: string; bytes: string; rows: number }[] = await db.query(
    `SELECT t.name, sum(pg_total_relation_size(p.relid))::bigint AS bytes, sum(greatest(c.reltuples, 0)) AS rows
     FROM unnest($1::text[]) AS t(name) CROSS JOIN LATERAL pg_partition_tree(t.name::regclass) p JOIN pg_class c ON c.oid = p.relid
     WHERE p.isleaf GROUP BY t.name`,
    [tables],
  );
  return new Map(rows.map((r) => [r.name, { name: r.name, bytes: Number(r.bytes), rows: Number(r.rows) }]));
}

/**
 * The storage of each of `workspaceIds`, in three statements whatever their number. Bytes are
 * each table's size shared out by rows: a workspace with a tenth of a table's rows is counted a
 * tenth of its bytes (the statistics' row count; the rows counted here when it has none yet).
 */
export async function storageOfWorkspaces(db: Db, workspaceIds: readonly string[]): Promise<Map<string, StorageValues>> {
  const found = new Map<string, StorageValues>(workspaceIds.map((id) => [id, { rawCalls: 0, oldestRawCall: null, rollupRows: 0, totalBytes: 0 }]));
  if (workspaceIds.length === 0) return found;
  const ids = [...workspaceIds];
  const tables = [RAW_TABLE, ...ROLLUP_TABLES];
  const counts: { table_name: string; workspace_id: string; n: string; oldest: Date | null }[] = await db.query(
    tables
      .map((table) => `SELECT '${table}' AS table_name, workspace_id, count(*) AS n, ${table === RAW_TABLE ? 'min(occurred_at)' : 'NULL::timestamptz'} AS oldest
         FROM ${table} WHERE workspace_id = ANY($1::uuid[]) GROUP BY workspace_id`)
      .join('\nUNION ALL\n'),
    [ids],
  );
  const sizes = await tableSizes(db, tables);
  const totals = await tableRowsWhereUnknown(db, sizes, tables);
  for (const row of counts) {
    const values = found.get(row.workspace_id);
    if (!values) continue;
    const n = Number(row.n);
    if (row.table_name === RAW_TABLE) {
      values.rawCalls = n;
      values.oldestRawCall = row.oldest;
    } else {
      values.rollupRows += n;
    }
    const size = sizes.get(row.table_name);
    const tableRows = Math.max(totals.get(row.table_name) ?? 0, n, 1);
    if (size) values.totalBytes += Math.round((size.bytes * n) / tableRows);
  }
  return found;
}

/** Rows per table: the statistics' estimate, or a count where the table has never been analysed. */
async function tableRowsWhereUnknown(db: Db, sizes: Map<string, TableSize>, tables: string[]): Promise<Map<string, number>> {
  const rows = new Map<string, number>();
  for (const table of tables) {
    const size = sizes.get(table);
    if (size && size.rows > 0) rows.set(table, size.rows);
    else rows.set(table, Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n));
  }
  return rows;
}

/**
 * The storage of a scope: one workspace's, or (scope __all__) the platform's, where bytes are
 * every table of the database with its indexes.
 */
export async function storageOf(db: Db, scope: Scope): Promise<StorageValues> {
  if (scope.kind === 'workspace') return (await storageOfWorkspaces(db, [scope.workspaceId])).get(scope.workspaceId)!;
  const [raw]: { n: string; oldest: Date | null }[] = await db.query(
    // The oldest call of each workspace is one step down its (workspace_id, occurred_at) index.
    `SELECT (SELECT count(*) FROM ${RAW_TABLE}) AS n,
       (SELECT min(first.at) FROM workspaces w CROSS JOIN LATERAL (SELECT min(occurred_at) AS at FROM ${RAW_TABLE} u WHERE u.workspace_id = w.id) first) AS oldest`,
  );
  const [rollups]: { n: string }[] = await db.query(`SELECT ${ROLLUP_TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')} AS n`);
  const [bytes]: { n: string }[] = await db.query(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm') `,
  );
  return { rawCalls: Number(raw.n), oldestRawCall: raw.oldest, rollupRows: Number(rollups.n), totalBytes: Number(bytes.n) };
}
