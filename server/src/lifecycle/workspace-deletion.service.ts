import type { Viewer } from '../auth/auth.service';
import type { Db } from '../db/db';
import type { PlatformDb } from '../db/platform-db';
import { badInput } from '../graphql/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows of one table deleted per transaction when a workspace goes. @default */
export const DELETION_BATCH = 5_000;

/**
 * Every table with a workspace_id column, as the catalog lists them (tables added later are
 * covered without a change here), ordered so that a table whose foreign key names another comes
 * before it: its rows go first, and no delete waits on a constraint.
 */
export async function tenantTables(db: Db): Promise<string[]> {
  const tables: { name: string }[] = await db.query(
    `SELECT c.oid::regclass::text AS name FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY 1`,
  );
  const references: { child: string; parent: string }[] = await db.query(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint
     WHERE contype = 'f' AND conrelid <> confrelid`,
  );
  const remaining = new Set(tables.map((t) => t.name));
  const ordered: string[] = [];
  while (remaining.size > 0) {
    // A table goes once no remaining table refers to it; a cycle (none today) is broken in name order.
    const free = [...remaining].filter((table) => !references.some((r) => r.parent === table && remaining.has(r.child)));
    const next = free.length > 0 ? free : [[...remaining][0]];
    for (const table of next) {
      ordered.push(table);
      remaining.delete(table);
    }
  }
  return ordered;
}

/** What deleting a workspace may call on between its batches, and how large they are. */
export interface DeletionOptions {
  batchSize?: number;
  /** Once the workspace's keys are revoked, before any row goes: drop them from key caches. */
  onKeysStopped?: (keyIds: string[]) => void;
  /** Between batches (the caller keeps its own transaction alive, say). */
  betweenBatches?: () => Promise<unknown>;
}

/** The workspace to delete, once `confirmName` names it and it is not the caller's own. */
export async function checkDeletion(db: Db, viewer: Viewer, id: string, confirmName: string): Promise<{ id: string; name: string }> {
  if (!UUID.test(id)) throw badInput(`id must be a workspace id, but got "${id}"`);
  const [workspace]: { id: string; name: string }[] = await db.query(`SELECT id, name FROM workspaces WHERE id = $1`, [id]);
  if (!workspace) throw badInput(`id must name an existing workspace, but got "${id}"`);
  if (confirmName !== workspace.name) {
    throw badInput(`confirmName must be the workspace's name, "${workspace.name}", but got "${confirmName}"`);
  }
  if (id === viewer.workspaceId) {
    throw badInput(`A key cannot delete its own workspace (${workspace.name}): use an admin key of another workspace`);
  }
  return workspace;
}

/**
 * Deletes a workspace and every row of it, on the platform path: its keys are revoked first (so
 * they stop at once), then each tenant table is emptied of its rows in batches of short
 * transactions, and the workspace itself goes last. Answers the rows deleted per table.
 */
export async function deleteWorkspaceRows(platform: PlatformDb, workspaceId: string, now: Date, options: DeletionOptions = {}): Promise<Record<string, number>> {
  const batchSize = options.batchSize ?? DELETION_BATCH;
  const revoked: { id: string }[] = await platform.query(
    `UPDATE api_keys SET revoked_at = $2 WHERE workspace_id = $1 AND revoked_at IS NULL RETURNING id`,
    [workspaceId, now],
  );
  options.onKeysStopped?.(revoked.map((k) => k.id));
  const deleted: Record<string, number> = {};
  for (const table of await tenantTables(platform)) {
    deleted[table] = 0;
    for (;;) {
      // Found down each table's workspace_id index, deleted by row address: one batch, however many remain.
      const rows: unknown[] = await platform.query(
        `DELETE FROM ${table} WHERE workspace_id = $1 AND ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE workspace_id = $1 LIMIT $2)) RETURNING 1`,
        [workspaceId, batchSize],
      );
      deleted[table] += rows.length;
      if (rows.length < batchSize) break;
      await options.betweenBatches?.();
    }
  }
  await platform.query(`DELETE FROM workspaces WHERE id = $1`, [workspaceId]);
  return deleted;
}
