import type { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { enterScope } from '../db/scoped-db';
import { Params } from '../db/db';
import { attributionConditions } from '../metrics/attribution-filter';
import type { Scope, TimeRange, UsageFilterValues } from '../metrics/metrics.model';

/** The file's columns, and whether each is text a spreadsheet might run as a formula. */
const FILE_COLUMNS: [string, 'text' | 'value'][] = [
  ['id', 'value'],
  ['occurred_at', 'value'],
  ['workspace_id', 'value'],
  ['model_id', 'text'],
  ['provider', 'text'],
  ['tier', 'text'],
  ['agent_id', 'text'],
  ['request_type', 'text'],
  ['status', 'value'],
  ['error_type', 'text'],
  ['is_byok', 'value'],
  ['input_tokens', 'value'],
  ['output_tokens', 'value'],
  ['cache_read_tokens', 'value'],
  ['cache_write_tokens', 'value'],
  ['reasoning_tokens', 'value'],
  ['request_count', 'value'],
  ['input_cost', 'value'],
  ['output_cost', 'value'],
  ['total_cost', 'value'],
  ['priced', 'value'],
  ['latency_ms', 'value'],
  ['event_id', 'text'],
  ['execution_id', 'text'],
  ['workflow', 'text'],
  ['user_id', 'text'],
  ['session_id', 'text'],
  ['tags', 'text'],
  ['metadata', 'text'],
];
const COLUMNS = FILE_COLUMNS.map(([name]) => name);
const TEXT_COLUMNS = new Set(FILE_COLUMNS.filter(([, kind]) => kind === 'text').map(([name]) => name));
/** How a column is read for the file: money as exact text, tags and metadata as JSON text. */
const COLUMN_SQL: Record<string, string> = { tags: 'to_json(tags)::text AS tags', metadata: 'metadata::text AS metadata' };
const BATCH = 1000;

/** One CSV field: quoted when needed; text that a spreadsheet would run as a formula is defused. */
export function csvField(value: unknown, isText: boolean): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (isText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function write(out: Writable, chunk: string): Promise<void> {
  return out.write(chunk) ? Promise.resolve() : new Promise((resolve) => out.once('drain', () => resolve()));
}

/**
 * Streams the scope's calls in a range as CSV, oldest first, through a server-side cursor:
 * a thousand rows in memory at a time, whatever the range holds. Stops early if `out` closes.
 * `filter`: only the calls of these users, carrying these tags and metadata pairs.
 */
export async function streamCallsCsv(
  dataSource: DataSource,
  scope: Scope,
  range: TimeRange,
  out: Writable,
  filter: Pick<UsageFilterValues, 'userIds' | 'tags' | 'metadata'> | null = null,
): Promise<number> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let rows = 0;
  let closed = false;
  out.once('close', () => (closed = true));
  try {
    await runner.startTransaction('REPEATABLE READ');
    await enterScope(runner.manager, { scope, isAdmin: scope.kind === 'all' });
    const params = new Params();
    const where = [`occurred_at >= ${params.add(range.from.toISOString())}`, `occurred_at < ${params.add(range.to.toISOString())}`];
    if (scope.kind === 'workspace') where.push(`workspace_id = ${params.add(scope.workspaceId)}`);
    where.push(...attributionConditions(filter, params));
    await runner.query(
      `DECLARE export_calls NO SCROLL CURSOR FOR
       SELECT ${COLUMNS.map((c) => COLUMN_SQL[c] ?? (c.endsWith('_cost') ? `${c}::text` : c)).join(', ')} FROM llm_usage
       WHERE ${where.join(' AND ')} ORDER BY occurred_at, id`,
      params.values,
    );
    await write(out, `${COLUMNS.join(',')}\n`);
    while (!closed) {
      const batch: Record<string, unknown>[] = await runner.query(`FETCH ${BATCH} FROM export_calls`);
      if (batch.length === 0) break;
      const lines = batch.map((row) => COLUMNS.map((c) => csvField(row[c], TEXT_COLUMNS.has(c))).join(',')).join('\n');
      await write(out, `${lines}\n`);
      rows += batch.length;
    }
    await runner.commitTransaction();
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
  return rows;
}
