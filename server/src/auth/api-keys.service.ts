import type { EntityManager, FindOptionsSelect } from 'typeorm';
import type { EntityAccess } from '../db/db';
import { badInput, forbidden } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { ApiKeyEntity } from './api-key.entity';
import { insertKeyRow, MAX_KEY_LABEL, type NewKey, type Viewer } from './auth.service';
import { ROLES_A_MEMBER_MAY_GRANT, type Role } from './roles';

/** A key as it is listed: never the key itself (nor its hash), only its first characters. */
export type ApiKeyValues = Omit<ApiKeyEntity, 'keyHash'>;

/** What a key is read as: every column but the hash. */
const LISTED: FindOptionsSelect<ApiKeyEntity> = {
  id: true,
  label: true,
  role: true,
  workspaceId: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
};

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
export async function createKey(db: EntityAccess, viewer: Viewer, input: NewKey, now: Date): Promise<{ id: string; key: string }> {
  if (!UUID.test(input.workspaceId)) throw badInput(`workspaceId must be a workspace id, but got "${input.workspaceId}"`);
  checkKeyAuthority(viewer, input.workspaceId, input.role);
  const valid = validNewKey(input, now);
  return db.entities(async (manager) => {
    if (!(await manager.existsBy(WorkspaceEntity, { id: input.workspaceId }))) {
      throw badInput(`workspaceId must name an existing workspace, but got "${input.workspaceId}"`);
    }
    return insertKeyRow(manager, valid);
  });
}

/**
 * The keys of one workspace (`workspaceId`, or the scope's), newest first; every workspace's in
 * scope __all__ when none is named. Naming another workspace than its own is for admins only.
 */
export async function listKeys(db: EntityAccess, viewer: Viewer, scope: Scope, workspaceId: string | null | undefined): Promise<ApiKeyValues[]> {
  const wanted = workspaceId ?? (scope.kind === 'workspace' ? scope.workspaceId : null);
  if (wanted !== null && !UUID.test(wanted)) throw badInput(`workspaceId must be a workspace id, but got "${wanted}"`);
  if (viewer.role !== 'ADMIN' && wanted !== viewer.workspaceId) {
    throw forbidden(`A ${viewer.role.toLowerCase()} key lists the keys of its own workspace (${viewer.workspaceId}) only, but got "${wanted}"`);
  }
  return db.entities((manager) =>
    manager.find(ApiKeyEntity, { select: LISTED, where: wanted === null ? {} : { workspaceId: wanted }, order: { createdAt: 'DESC', id: 'ASC' } }),
  );
}

/** The key `id` as `viewer` may act on it, locked for the change; BAD_USER_INPUT when there is none it can see. */
async function keyToChange(manager: EntityManager, viewer: Viewer, id: string): Promise<ApiKeyValues> {
  const key = await manager.findOne(ApiKeyEntity, {
    select: LISTED,
    where: viewer.role === 'ADMIN' ? { id } : { id, workspaceId: viewer.workspaceId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!key) throw badInput(`No API key with id ${id} in this workspace`);
  checkKeyAuthority(viewer, key.workspaceId, key.role);
  return key;
}

async function revoke(manager: EntityManager, key: ApiKeyValues, now: Date): Promise<void> {
  await manager.update(ApiKeyEntity, { workspaceId: key.workspaceId, id: key.id }, { revokedAt: now });
}

/** Revokes a key from `now` on; false when it was revoked already. */
export async function revokeKey(db: EntityAccess, viewer: Viewer, id: string, now: Date): Promise<{ revoked: boolean; key: ApiKeyValues }> {
  if (!UUID.test(id)) throw badInput(`id must be an API key id, but got "${id}"`);
  return db.entities(async (manager) => {
    const key = await keyToChange(manager, viewer, id);
    if (key.revokedAt) return { revoked: false, key };
    await revoke(manager, key, now);
    return { revoked: true, key };
  });
}

/**
 * A new key with the old one's label, role, workspace and expiry; the old one is revoked in the
 * same transaction. A revoked key cannot be rotated.
 */
export async function rotateKey(db: EntityAccess, viewer: Viewer, id: string, now: Date): Promise<{ old: ApiKeyValues; id: string; key: string }> {
  if (!UUID.test(id)) throw badInput(`id must be an API key id, but got "${id}"`);
  return db.entities(async (manager) => {
    const old = await keyToChange(manager, viewer, id);
    if (old.revokedAt) throw badInput(`API key ${id} was revoked at ${old.revokedAt.toISOString()}: create a new one instead`);
    await revoke(manager, old, now);
    const expiresAt = old.expiresAt && old.expiresAt.getTime() > now.getTime() ? old.expiresAt : null;
    const created = await insertKeyRow(manager, { workspaceId: old.workspaceId, role: old.role, label: old.label, expiresAt });
    return { old, ...created };
  });
}
