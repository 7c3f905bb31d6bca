import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EntityAccess } from '../db/db';
import type { PlatformDb } from '../db/platform-db';
import { AppError, forbidden } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';
import { ApiKeyEntity } from './api-key.entity';
import type { Role } from './roles';

export type { Role } from './roles';

/** Who is calling: the workspace, role, id and label of their key. */
export interface Viewer {
  workspaceId: string;
  role: Role;
  keyId: string;
  label: string | null;
}

/** The header value (and connection_init field) that widens an admin's scope to every workspace. */
export const ALL_WORKSPACES = '__all__';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function newApiKey(): string {
  return `tly_${randomBytes(24).toString('base64url')}`;
}

/** What a new key is: its workspace, role, label and optional expiry. */
export interface NewKey {
  workspaceId: string;
  role: Role;
  label: string | null;
  expiresAt?: Date | null;
}

/** Characters a key's label may have. */
export const MAX_KEY_LABEL = 200;

/** How many characters of a key are kept to recognise it: the "tly_" and four random ones. */
export const KEY_PREFIX_LENGTH = 8;

/** Stores a key's hash and returns the key itself (never stored) and its id. */
export function insertApiKey(db: EntityAccess, newKey: NewKey, key = newApiKey()): Promise<{ id: string; key: string }> {
  return db.entities((manager) => insertKeyRow(manager, newKey, key));
}

/** insertApiKey on a transaction's manager, for work that already runs in `db.entities`. */
export async function insertKeyRow(manager: EntityManager, { workspaceId, role, label, expiresAt = null }: NewKey, key = newApiKey()): Promise<{ id: string; key: string }> {
  const id = randomUUID();
  // A key already stored in its workspace (the bootstrap admin key, several instances starting at once) stays as it is.
  await manager
    .createQueryBuilder()
    .insert()
    .into(ApiKeyEntity)
    .values({ workspaceId, id, keyHash: hashKey(key), prefix: key.slice(0, KEY_PREFIX_LENGTH), role, label, expiresAt })
    .orUpdate([], ['workspace_id', 'key_hash'])
    .updateEntity(false)
    .execute();
  return { id, key };
}

/** Stores a key's hash and returns the key itself, which is never stored. */
export async function createApiKey(db: EntityAccess, workspaceId: string, role: Role, label: string | null, key = newApiKey()): Promise<string> {
  return (await insertApiKey(db, { workspaceId, role, label }, key)).key;
}

const CACHE_MS = 30_000;
/** `lastUsedAt` is written at most this often per key: a busy key costs one write a minute, not one per request. */
export const LAST_USED_EVERY_MS = 60_000;

/** A key as the lookup finds it: who it is, and whether it still works. */
export interface KeyLookup {
  viewer: Viewer;
  expiresAt: Date | null;
  revoked: boolean;
}

/** Why a key opens nothing: unknown, revoked or expired (with when). */
export type KeyRefusal = { reason: 'unknown' } | { reason: 'revoked' } | { reason: 'expired'; at: Date };

/**
 * Finds the owner of an API key in one indexed read (key_hash), cached briefly in the process;
 * revoking or rotating a key drops it from every instance's cache (`forget`, through the PubSub).
 * It also stamps `last_used_at`, at most once a minute per key.
 */
export class KeyResolver {
  private readonly cache = new Map<string, { found: KeyLookup | null; until: number }>();
  private readonly lastStamped = new Map<string, number>();

  /** Keys are looked up before anyone's scope is known: on the platform path. */
  constructor(
    private readonly db: PlatformDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The key's owner, or why it opens nothing. */
  async check(key: string): Promise<{ ok: true; viewer: Viewer } | ({ ok: false } & KeyRefusal)> {
    const now = this.now();
    const found = await this.lookup(hashKey(key), now.getTime());
    if (!found) return { ok: false, reason: 'unknown' };
    if (found.revoked) return { ok: false, reason: 'revoked' };
    if (found.expiresAt && found.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', at: found.expiresAt };
    await this.stampLastUsed(found.viewer.keyId, now);
    return { ok: true, viewer: found.viewer };
  }

  /** The key's owner while the key works (known, not revoked, not expired); null otherwise. */
  async resolve(key: string): Promise<Viewer | null> {
    const checked = await this.check(key);
    return checked.ok ? checked.viewer : null;
  }

  /** Drops a revoked or rotated key from the cache, so its next request is looked up again. */
  forget(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.found?.viewer.keyId === keyId) this.cache.delete(hash);
  }

  /** Drops every key of a workspace from the cache (the workspace is being deleted). */
  forgetWorkspace(workspaceId: string): void {
    for (const [hash, entry] of this.cache) if (entry.found?.viewer.workspaceId === workspaceId) this.cache.delete(hash);
  }

  private async lookup(hash: string, nowMs: number): Promise<KeyLookup | null> {
    const cached = this.cache.get(hash);
    if (cached && cached.until > nowMs) return cached.found;
    const rows: { workspace_id: string; role: Role; id: string; label: string | null; expires_at: Date | null; revoked_at: Date | null }[] =
      await this.db.query(`SELECT workspace_id, role, id, label, expires_at, revoked_at FROM api_keys WHERE key_hash = $1 LIMIT 1`, [hash]);
    const row = rows[0];
    const found = row
      ? {
          viewer: { workspaceId: row.workspace_id, role: row.role, keyId: row.id, label: row.label },
          expiresAt: row.expires_at,
          revoked: row.revoked_at !== null,
        }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { found, until: nowMs + CACHE_MS });
    return found;
  }

  /** The condition in the UPDATE keeps it to once a minute across instances too. */
  private async stampLastUsed(keyId: string, now: Date): Promise<void> {
    const last = this.lastStamped.get(keyId);
    if (last !== undefined && now.getTime() - last < LAST_USED_EVERY_MS) return;
    this.lastStamped.set(keyId, now.getTime());
    if (this.lastStamped.size > 10_000) this.lastStamped.clear();
    await this.db.query(
      `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '${LAST_USED_EVERY_MS / 1000} seconds')`,
      [keyId, now],
    );
  }
}

const REFUSED: Record<KeyRefusal['reason'], string> = {
  unknown: 'This API key is not valid: check it or ask an admin for a new one',
  revoked: 'This API key was revoked: ask for a new one',
  expired: 'This API key has expired',
};

/** What an UNAUTHENTICATED answer says about a key that opens nothing. */
export function refusedKeyMessage(refusal: KeyRefusal): string {
  return refusal.reason === 'expired' ? `${REFUSED.expired} (at ${refusal.at.toISOString()}): ask for a new one` : REFUSED[refusal.reason];
}

/** Reads "Bearer <key>" (or a bare key); undefined when absent. */
export function bearerKey(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : header.trim() || undefined;
}

export type Authentication =
  | { ok: true; viewer: Viewer; scope: Scope }
  | { ok: false; error: AppError };

/**
 * Turns a key and an optional X-Workspace-ID into a viewer and a scope. Admins may name
 * `__all__` or any workspace; anyone else only their own.
 */
export async function authenticate(
  resolver: KeyResolver,
  /** Checks that an X-Workspace-ID names a workspace, before the request has a scope. */
  db: PlatformDb,
  authorization: string | undefined | null,
  workspaceHeader: string | undefined | null,
): Promise<Authentication> {
  const key = bearerKey(authorization);
  if (!key) {
    return { ok: false, error: new AppError('UNAUTHENTICATED', 'An API key is required: send "Authorization: Bearer <key>"') };
  }
  const checked = await resolver.check(key);
  if (!checked.ok) return { ok: false, error: new AppError('UNAUTHENTICATED', refusedKeyMessage(checked)) };
  const { viewer } = checked;
  const requested = workspaceHeader?.trim();
  if (!requested || requested === viewer.workspaceId) {
    return { ok: true, viewer, scope: { kind: 'workspace', workspaceId: viewer.workspaceId } };
  }
  if (viewer.role !== 'ADMIN') {
    return {
      ok: false,
      error: forbidden(`X-Workspace-ID may name only your own workspace (${viewer.workspaceId}) with a ${viewer.role.toLowerCase()} key, but got "${requested}"`),
    };
  }
  if (requested === ALL_WORKSPACES) return { ok: true, viewer, scope: { kind: 'all' } };
  if (!UUID.test(requested)) {
    return { ok: false, error: new AppError('BAD_USER_INPUT', `X-Workspace-ID must be "${ALL_WORKSPACES}" or a workspace id, but got "${requested}"`) };
  }
  const found: unknown[] = await db.query(`SELECT 1 FROM workspaces WHERE id = $1`, [requested]);
  if (found.length === 0) return { ok: false, error: new AppError('BAD_USER_INPUT', `X-Workspace-ID names no workspace: "${requested}"`) };
  return { ok: true, viewer, scope: { kind: 'workspace', workspaceId: requested } };
}
