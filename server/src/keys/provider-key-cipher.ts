import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The version of the server secret that seals new keys; stored with each key so the secret can be rotated. */
export const CURRENT_KEY_VERSION = 1;

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A provider key as stored: AES-256-GCM ciphertext, its IV and tag, and the secret version that sealed it. */
export interface SealedKey {
  keyVersion: number;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/** Server secrets by version: the current one seals, any listed one opens. */
export type SecretRing = ReadonlyMap<number, Buffer>;

/** The ring of a server that has one secret (TALLY_SECRET_KEY) as the current version. */
export function secretRing(secretKey: Buffer): SecretRing {
  return new Map([[CURRENT_KEY_VERSION, secretKey]]);
}

/** What a sealed secret is: a provider key, a notification channel's target. Part of the authenticated data. */
export type SecretPurpose = 'provider-key' | 'notification-channel';

/**
 * Binds a ciphertext to its row: the purpose, workspace and row name (provider, channel id) are
 * authenticated along with it, so a ciphertext copied to another row fails to open.
 */
function associatedData(purpose: SecretPurpose, workspaceId: string, name: string): Buffer {
  return Buffer.from(`tally:${purpose}\u0000${workspaceId}\u0000${name}`, 'utf8');
}

/** Encrypts a provider key for one workspace and provider, with a fresh random IV. */
export function sealProviderKey(ring: SecretRing, workspaceId: string, provider: string, plaintext: string): SealedKey {
  return sealSecret(ring, 'provider-key', workspaceId, provider, plaintext);
}

/**
 * Decrypts a stored key, or returns null when it cannot be opened: an unknown secret
 * version, another server secret, or a ciphertext that belongs to another row.
 */
export function openProviderKey(ring: SecretRing, workspaceId: string, provider: string, sealed: SealedKey): string | null {
  return openSecret(ring, 'provider-key', workspaceId, provider, sealed);
}

/** Encrypts a secret of one workspace's row with the current server secret and a fresh random IV. */
export function sealSecret(ring: SecretRing, purpose: SecretPurpose, workspaceId: string, name: string, plaintext: string): SealedKey {
  const secret = ring.get(CURRENT_KEY_VERSION);
  if (!secret) throw new Error(`no server secret for key version ${CURRENT_KEY_VERSION}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(purpose, workspaceId, name));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyVersion: CURRENT_KEY_VERSION, iv, ciphertext, authTag: cipher.getAuthTag() };
}

/** Decrypts a secret sealed by {@link sealSecret}; null when it cannot be opened (another server secret, another row). */
export function openSecret(ring: SecretRing, purpose: SecretPurpose, workspaceId: string, name: string, sealed: SealedKey): string | null {
  const secret = ring.get(sealed.keyVersion);
  if (!secret) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, secret, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(purpose, workspaceId, name));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
