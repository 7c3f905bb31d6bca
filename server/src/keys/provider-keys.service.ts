import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import { openProviderKey, sealProviderKey, type SecretRing } from './provider-key-cipher';

/** What may leave the server about a stored key. */
export interface ProviderKeyRecord {
  provider: string;
  last4: string;
  isActive: boolean;
  createdAt: Date;
}

/** A stored key looked up for use: absent, present but not decryptable with this server's secret, or the key. */
export type StoredKeyLookup = { state: 'absent' } | { state: 'unreadable' } | { state: 'found'; key: string };

const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MIN_KEY = 8;
const MAX_KEY = 512;

/** Provider names are stored lower-case: "OpenRouter" and "openrouter" are one provider. */
export function normalizeProvider(value: string): string {
  const provider = value.trim().toLowerCase();
  if (!PROVIDER.test(provider)) {
    throw badInput(`provider must be 1 to 64 letters, digits, ".", "_" or "-" (starting with a letter or digit), but got ${JSON.stringify(value)}`);
  }
  return provider;
}

/** Checks a key without ever repeating it: the message names its length only. */
function checkKey(value: string): string {
  const key = value.trim();
  if (key.length < MIN_KEY || key.length > MAX_KEY || /\s/.test(key)) {
    throw badInput(`key must be ${MIN_KEY} to ${MAX_KEY} characters with no spaces, but got ${key.length} characters${/\s/.test(key) ? ' with spaces' : ''}`);
  }
  return key;
}

const toRecord = (row: Record<string, unknown>): ProviderKeyRecord => ({
  provider: String(row.provider),
  last4: String(row.last4),
  isActive: Boolean(row.is_active),
  createdAt: new Date(row.created_at as string),
});

/** Stores (or replaces) a workspace's key for a provider, encrypted; answers with its last four characters only. */
export async function setProviderKey(db: Db, ring: SecretRing, workspaceId: string, providerInput: string, keyInput: string): Promise<ProviderKeyRecord> {
  const provider = normalizeProvider(providerInput);
  const key = checkKey(keyInput);
  const sealed = sealProviderKey(ring, workspaceId, provider, key);
  const rows: Record<string, unknown>[] = await db.query(
    `INSERT INTO provider_keys (workspace_id, provider, key_version, iv, ciphertext, auth_tag, last4, is_active, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true, now())
     ON CONFLICT (workspace_id, provider) DO UPDATE SET
       key_version = EXCLUDED.key_version, iv = EXCLUDED.iv, ciphertext = EXCLUDED.ciphertext, auth_tag = EXCLUDED.auth_tag,
       last4 = EXCLUDED.last4, is_active = true, created_at = now()
     RETURNING provider, last4, is_active, created_at`,
    [workspaceId, provider, sealed.keyVersion, sealed.iv, sealed.ciphertext, sealed.authTag, key.slice(-4)],
  );
  return toRecord(rows[0]);
}

/** Removes a workspace's key for a provider; false when there was none. */
export async function deleteProviderKey(db: Db, workspaceId: string, providerInput: string): Promise<boolean> {
  const provider = normalizeProvider(providerInput);
  // a SELECT around the DELETE: the driver answers a bare DELETE with [rows, count]
  const [{ deleted }]: { deleted: number }[] = await db.query(
    `WITH gone AS (DELETE FROM provider_keys WHERE workspace_id = $1 AND provider = $2 RETURNING 1) SELECT count(*)::int AS deleted FROM gone`,
    [workspaceId, provider],
  );
  return deleted > 0;
}

/** A workspace's keys by provider name, last four characters only. */
export async function listProviderKeys(db: Db, workspaceId: string): Promise<ProviderKeyRecord[]> {
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT provider, last4, is_active, created_at FROM provider_keys WHERE workspace_id = $1 ORDER BY provider`,
    [workspaceId],
  );
  return rows.map(toRecord);
}

/** The decrypted key of a workspace for a provider, for the server's own calls upstream; never for an answer. */
export async function readProviderKey(db: Db, ring: SecretRing, workspaceId: string, provider: string): Promise<StoredKeyLookup> {
  const rows: { key_version: number; iv: Buffer; ciphertext: Buffer; auth_tag: Buffer }[] = await db.query(
    `SELECT key_version, iv, ciphertext, auth_tag FROM provider_keys WHERE workspace_id = $1 AND provider = $2 AND is_active`,
    [workspaceId, provider],
  );
  if (rows.length === 0) return { state: 'absent' };
  const row = rows[0];
  const key = openProviderKey(ring, workspaceId, provider, {
    keyVersion: row.key_version,
    iv: row.iv,
    ciphertext: row.ciphertext,
    authTag: row.auth_tag,
  });
  return key === null ? { state: 'unreadable' } : { state: 'found', key };
}
