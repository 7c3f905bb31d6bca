import { Column } from 'typeorm';
import type { SealedKey } from './provider-key-cipher';

/** A secret sealed by provider-key-cipher, as each table that keeps one stores it (embedded without a prefix). */
export class SealedColumns implements SealedKey {
  /** The server secret it was sealed with (SecretRing). */
  @Column('integer', { name: 'key_version' })
  keyVersion: number;

  @Column('bytea')
  iv: Buffer;

  @Column('bytea')
  ciphertext: Buffer;

  @Column('bytea', { name: 'auth_tag' })
  authTag: Buffer;
}
