import type { Scope } from '../metrics/metrics.model';
import type { Db } from './db';

/**
 * Deletes the row `id` of a workspace table if the scope holds it (any workspace's in scope
 * __all__); false when there is none. The caller checks that `id` has the column's form.
 */
export async function deleteByIdInScope(db: Db, scope: Scope, table: string, id: string): Promise<boolean> {
  // As a CTE: TypeORM answers a bare DELETE … RETURNING with [rows, count], not rows.
  const rows: unknown[] =
    scope.kind === 'all'
      ? await db.query(`WITH gone AS (DELETE FROM ${table} WHERE id = $1 RETURNING id) SELECT id FROM gone`, [id])
      : await db.query(`WITH gone AS (DELETE FROM ${table} WHERE workspace_id = $1 AND id = $2 RETURNING id) SELECT id FROM gone`, [scope.workspaceId, id]);
  return rows.length > 0;
}
