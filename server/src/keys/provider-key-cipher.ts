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

/**
 * Binds a ciphertext to its row: the workspace and provider are authenticated along with
 * it, so a ciphertext copied to another workspace or provider fails to open.
 */
function associatedData(workspaceId: string, provider: string): Buffer {
  return Buffer.from(`tally:provider-key\u0000${workspaceId}\u0000${provider}`, 'utf8');
}

/** Encrypts a provider key for one workspace and provider, with a fresh random IV. */
export function sealProviderKey(ring: SecretRing, workspaceId: string, provider: string, plaintext: string): SealedKey {
  const secret = ring.get(CURRENT_KEY_VERSION);
  if (!secret) throw new Error(`no server secret for key version ${CURRENT_KEY_VERSION}`);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(workspaceId, provider));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyVersion: CURRENT_KEY_VERSION, iv, ciphertext, authTag: cipher.getAuthTag() };
}

/**
 * Decrypts a stored key, or returns null when it cannot be opened: an unknown secret
 * version, another server secret, or a ciphertext that belongs to another row.
 */
export function openProviderKey(ring: SecretRing, workspaceId: string, provider: string, sealed: SealedKey): string | null {
  const secret = ring.get(sealed.keyVersion);
  if (!secret) return null;
  try {
    const decipher = createDecipheriv(ALGORITHM, secret, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(workspaceId, provider));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
