import type { Db } from '../db/db';
import { badInput, forbidden } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';
import { insertApiKey, MAX_KEY_LABEL, type NewKey, type Viewer } from './auth.service';
import { ROLES_A_MEMBER_MAY_GRANT, type Role } from './roles';

/** A key as it is listed: never the key itself, only its first characters. */
export interface ApiKeyValues {
  id: string;
  label: string | null;
  role: Role;
  workspaceId: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `viewer` may create, revoke or rotate a key of `role` in `workspaceId`: an admin any;
 * a member only MEMBER, VIEWER and INGEST keys of its own workspace (never an admin's: rotating
 * one would hand it an admin key). Throws FORBIDDEN saying what is allowed.
 */
export function checkKeyAuthority(viewer: Viewer, workspaceId: string, role: Role): void {
  if (viewer.role === 'ADMIN') return;
  if (workspaceId !== viewer.workspaceId) {
    throw forbidden(`A ${viewer.role.toLowerCase()} key manages keys of its own workspace (${viewer.workspaceId}) only, but this one is of ${workspaceId}`);
  }
  if (!ROLES_A_MEMBER_MAY_GRANT.includes(role)) {
    throw forbidden(`A ${viewer.role.toLowerCase()} key manages ${ROLES_A_MEMBER_MAY_GRANT.join(', ')} keys only, but this one is ${role}`);
  }
}

/** Checks a new key's label and expiry against `now`; the label trimmed, empty as null. */
export function validNewKey(input: NewKey, now: Date): NewKey {
  const label = input.label?.trim() || null;
  if (label && label.length > MAX_KEY_LABEL) throw badInput(`label must be at most ${MAX_KEY_LABEL} characters, but got ${label.length}`);
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) {
    throw badInput(`expiresAt must be in the future, but got ${input.expiresAt.toISOString()} (now is ${now.toISOString()})`);
  }
  return { ...input, label };
}

/** Creates a key once `viewer` may; answers the key (shown once) and its id. */
export async function createKey(db: Db, viewer: Viewer, input: NewKey, now: Date): Promise<{ id: string; key: string }> {
  if (!UUID.test(input.workspaceId)) throw badInput(`workspaceId must be a workspace id, but got "${input.workspaceId}"`);
  checkKeyAuthority(viewer, input.workspaceId, input.role);
  const valid = validNewKey(input, now);
  const found: unknown[] = await db.query(`SELECT 1 FROM workspaces WHERE id = $1`, [input.workspaceId]);
  if (found.length === 0) throw badInput(`workspaceId must name an existing workspace, but got "${input.workspaceId}"`);
  return insertApiKey(db, valid);
}

interface KeyRow {
  id: string;
  label: string | null;
  role: Role;
  workspace_id: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, label, role, workspace_id, prefix, created_at, last_used_at, expires_at, revoked_at';

const toValues = (r: KeyRow): ApiKeyValues => ({
  id: r.id,
  label: r.label,
  role: r.role,
  workspaceId: r.workspace_id,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

/**
 * The keys of one workspace (`workspaceId`, or the scope's), newest first; every workspace's in
 * scope __all__ when none is named. Naming another workspace than its own is for admins only.
 */
export async function listKeys(db: Db, viewer: Viewer, scope: Scope, workspaceId: string | null | undefined): Promise<ApiKeyValues[]> {
  const wanted = workspaceId ?? (scope.kind === 'workspace' ? scope.workspaceId : null);
  if (wanted !== null && !UUID.test(wanted)) throw badInput(`workspaceId must be a workspace id, but got "${wanted}"`);
  if (viewer.role !== 'ADMIN' && wanted !== viewer.workspaceId) {
    throw forbidden(`A ${viewer.role.toLowerCase()} key lists the keys of its own workspace (${viewer.workspaceId}) only, but got "${wanted}"`);
  }
  const rows: KeyRow[] =
    wanted === null
      ? await db.query(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id`)
      : await db.query(`SELECT ${COLUMNS} FROM api_keys WHERE workspace_id = $1 ORDER BY created_at DESC, id`, [wanted]);
  return rows.map(toValues);
}

/** The key `id` as `viewer` may act on it, locked for the change; BAD_USER_INPUT when there is none it can see. */
async function keyToChange(db: Db, viewer: Viewer, id: string): Promise<ApiKeyValues> {
  if (!UUID.test(id)) throw badInput(`id must be an API key id, but got "${id}"`);
  const rows: KeyRow[] =
    viewer.role === 'ADMIN'
      ? await db.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 FOR UPDATE`, [id])
      : await db.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1 AND workspace_id = $2 FOR UPDATE`, [id, viewer.workspaceId]);
  if (!rows[0]) throw badInput(`No API key with id ${id} in this workspace`);
  const key = toValues(rows[0]);
  checkKeyAuthority(viewer, key.workspaceId, key.role);
  return key;
}

/** Revokes a key from `now` on; false when it was revoked already. */
export async function revokeKey(db: Db, viewer: Viewer, id: string, now: Date): Promise<{ revoked: boolean; key: ApiKeyValues }> {
  const key = await keyToChange(db, viewer, id);
  if (key.revokedAt) return { revoked: false, key };
  await db.query(`UPDATE api_keys SET revoked_at = $3 WHERE workspace_id = $1 AND id = $2`, [key.workspaceId, key.id, now]);
  return { revoked: true, key };
}

/**
 * A new key with the old one's label, role, workspace and expiry; the old one is revoked in the
 * same transaction (`db` must be one). A revoked key cannot be rotated.
 */
export async function rotateKey(db: Db, viewer: Viewer, id: string, now: Date): Promise<{ old: ApiKeyValues; id: string; key: string }> {
  const old = await keyToChange(db, viewer, id);
  if (old.revokedAt) throw badInput(`API key ${id} was revoked at ${old.revokedAt.toISOString()}: create a new one instead`);
  await db.query(`UPDATE api_keys SET revoked_at = $3 WHERE workspace_id = $1 AND id = $2`, [old.workspaceId, old.id, now]);
  const expiresAt = old.expiresAt && old.expiresAt.getTime() > now.getTime() ? old.expiresAt : null;
  const created = await insertApiKey(db, { workspaceId: old.workspaceId, role: old.role, label: old.label, expiresAt });
  return { old, ...created };
}
