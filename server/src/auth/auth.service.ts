import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/db';
import type { PlatformDb } from '../db/platform-db';
import { AppError, badInput, forbidden } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';

export type Role = 'MEMBER' | 'ADMIN';

/** Who is calling: the workspace and role of their key. */
export interface Viewer {
  workspaceId: string;
  role: Role;
  keyId: string;
}

/** The header value (and connection_init field) that widens an admin's scope to every workspace. */
export const ALL_WORKSPACES = '__all__';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export function newApiKey(): string {
  return `tly_${randomBytes(24).toString('base64url')}`;
}

/** Characters a key's label may have. */
export const MAX_KEY_LABEL = 200;

/** Stores a key's hash and returns the key itself, which is never stored. */
export async function createApiKey(db: Db, workspaceId: string, role: Role, label: string | null, key = newApiKey()): Promise<string> {
  if (label !== null && label.length > MAX_KEY_LABEL) throw badInput(`label must be at most ${MAX_KEY_LABEL} characters, but got ${label.length}`);
  await db.query(
    `INSERT INTO api_keys (workspace_id, id, key_hash, prefix, role, label) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workspace_id, key_hash) DO NOTHING`,
    [workspaceId, randomUUID(), hashKey(key), key.slice(0, 8), role, label],
  );
  return key;
}

const CACHE_MS = 30_000;

/** Finds the owner of an API key; a short cache keeps the lookup off most requests. */
export class KeyResolver {
  private readonly cache = new Map<string, { viewer: Viewer | null; until: number }>();

  /** Keys are looked up before anyone's scope is known: on the platform path. */
  constructor(private readonly db: PlatformDb) {}

  async resolve(key: string, now = Date.now()): Promise<Viewer | null> {
    const hash = hashKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > now) return cached.viewer;
    const rows: { workspace_id: string; role: Role; id: string }[] = await this.db.query(
      `SELECT workspace_id, role, id FROM api_keys WHERE key_hash = $1 LIMIT 1`,
      [hash],
    );
    const viewer = rows[0] ? { workspaceId: rows[0].workspace_id, role: rows[0].role, keyId: rows[0].id } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { viewer, until: now + CACHE_MS });
    return viewer;
  }
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
  const viewer = await resolver.resolve(key);
  if (!viewer) return { ok: false, error: new AppError('UNAUTHENTICATED', 'This API key is not valid: check it or ask an admin for a new one') };
  const requested = workspaceHeader?.trim();
  if (!requested || requested === viewer.workspaceId) {
    return { ok: true, viewer, scope: { kind: 'workspace', workspaceId: viewer.workspaceId } };
  }
  if (viewer.role !== 'ADMIN') {
    return {
      ok: false,
      error: forbidden(`X-Workspace-ID may name only your own workspace (${viewer.workspaceId}) with a member key, but got "${requested}"`),
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
