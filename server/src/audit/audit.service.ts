import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db';
import { PLATFORM_AUDIT_WORKSPACE } from '../db/migrations/1764206000000-KeysAudit';
import { badInput } from '../graphql/errors';
import type { Role } from '../auth/roles';
import type { Scope } from '../metrics/metrics.model';

/** One audited change: who (the acting key), what (the mutation), on what, with which arguments. */
export interface AuditEntryValues {
  id: string;
  at: Date;
  /** Null: a platform action (shown to admins in scope __all__). */
  workspaceId: string | null;
  actorKeyId: string | null;
  actorLabel: string | null;
  actorRole: Role;
  action: string;
  target: string | null;
  /** The arguments, secrets already left out (see redactArguments). */
  detail: unknown;
}

/** Writes an entry; call it inside the transaction of the change it records. */
export async function recordAudit(db: Db, entry: Omit<AuditEntryValues, 'id'>): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (workspace_id, id, at, actor_key_id, actor_label, actor_role, action, target, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
    [
      entry.workspaceId ?? PLATFORM_AUDIT_WORKSPACE,
      randomUUID(),
      entry.at,
      entry.actorKeyId,
      entry.actorLabel,
      entry.actorRole,
      entry.action,
      entry.target,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    ],
  );
}

export const AUDIT_PAGE = { default: 50, max: 500 } as const;

interface AuditRow {
  workspace_id: string;
  id: string;
  at: Date;
  actor_key_id: string | null;
  actor_label: string | null;
  actor_role: Role;
  action: string;
  target: string | null;
  detail: unknown;
}

/**
 * Entries newest first, `limit` of them (default 50, 1 to 500), older than `before` when given.
 * A workspace scope sees its own; scope __all__ every workspace's and the platform's.
 */
export async function listAudit(db: Db, scope: Scope, limit: number | null | undefined, before: Date | null | undefined): Promise<AuditEntryValues[]> {
  const size = limit ?? AUDIT_PAGE.default;
  if (!Number.isInteger(size) || size < 1 || size > AUDIT_PAGE.max) throw badInput(`limit must be 1 to ${AUDIT_PAGE.max}, but got ${size}`);
  const params: unknown[] = [size, before ?? null];
  const inScope = scope.kind === 'workspace' ? `workspace_id = $3 AND` : '';
  if (scope.kind === 'workspace') params.push(scope.workspaceId);
  const rows: AuditRow[] = await db.query(
    `SELECT workspace_id, id, at, actor_key_id, actor_label, actor_role, action, target, detail FROM audit_log
     WHERE ${inScope} ($2::timestamptz IS NULL OR at < $2) ORDER BY at DESC, seq DESC LIMIT $1`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    workspaceId: r.workspace_id === PLATFORM_AUDIT_WORKSPACE ? null : r.workspace_id,
    actorKeyId: r.actor_key_id,
    actorLabel: r.actor_label,
    actorRole: r.actor_role,
    action: r.action,
    target: r.target,
    detail: r.detail,
  }));
}
