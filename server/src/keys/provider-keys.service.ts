import type { EntityAccess } from '../db/db';
import { badInput } from '../graphql/errors';
import { openProviderKey, sealProviderKey, type SecretRing } from './provider-key-cipher';
import { ProviderKeyEntity } from './provider-key.entity';

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

/** The columns an answer may hold: never the sealed key. */
const RECORD_COLUMNS = { workspaceId: true, provider: true, last4: true, isActive: true, createdAt: true } as const;

const toRecord = (row: ProviderKeyEntity): ProviderKeyRecord => ({
  provider: row.provider,
  last4: row.last4,
  isActive: row.isActive,
  createdAt: row.createdAt,
});

/** Stores (or replaces) a workspace's key for a provider, encrypted; answers with its last four characters only. */
export async function setProviderKey(db: EntityAccess, ring: SecretRing, workspaceId: string, providerInput: string, keyInput: string): Promise<ProviderKeyRecord> {
  const provider = normalizeProvider(providerInput);
  const key = checkKey(keyInput);
  const sealed = sealProviderKey(ring, workspaceId, provider, key);
  return db.entities(async (manager) => {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ProviderKeyEntity)
      .values({ workspaceId, provider, sealed, last4: key.slice(-4), isActive: true, createdAt: () => 'now()' })
      .orUpdate(['key_version', 'iv', 'ciphertext', 'auth_tag', 'last4', 'is_active', 'created_at'], ['workspace_id', 'provider'])
      .updateEntity(false)
      .execute();
    return toRecord(await manager.findOneOrFail(ProviderKeyEntity, { select: RECORD_COLUMNS, where: { workspaceId, provider } }));
  });
}

/** Removes a workspace's key for a provider; false when there was none. */
export async function deleteProviderKey(db: EntityAccess, workspaceId: string, providerInput: string): Promise<boolean> {
  const provider = normalizeProvider(providerInput);
  const { affected } = await db.entities((manager) => manager.delete(ProviderKeyEntity, { workspaceId, provider }));
  return (affected ?? 0) > 0;
}

/** A workspace's keys by provider name, last four characters only. */
export async function listProviderKeys(db: EntityAccess, workspaceId: string): Promise<ProviderKeyRecord[]> {
  const rows = await db.entities((manager) => manager.find(ProviderKeyEntity, { select: RECORD_COLUMNS, where: { workspaceId }, order: { provider: 'ASC' } }));
  return rows.map(toRecord);
}

/** The decrypted key of a workspace for a provider, for the server's own calls upstream; never for an answer. */
export async function readProviderKey(db: EntityAccess, ring: SecretRing, workspaceId: string, provider: string): Promise<StoredKeyLookup> {
  const stored = await db.entities((manager) => manager.findOne(ProviderKeyEntity, { select: { sealed: true }, where: { workspaceId, provider, isActive: true } }));
  if (!stored) return { state: 'absent' };
  const key = openProviderKey(ring, workspaceId, provider, stored.sealed);
  return key === null ? { state: 'unreadable' } : { state: 'found', key };
}
