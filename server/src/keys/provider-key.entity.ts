import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { SealedColumns } from './sealed-columns';

/** A workspace's key for a provider, sealed with provider-key-cipher; only provider-keys.service opens it. */
@Entity('provider_keys')
export class ProviderKeyEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  /** Lower-case (normalizeProvider). */
  @PrimaryColumn('text')
  provider: string;

  @Column(() => SealedColumns, { prefix: false })
  sealed: SealedColumns;

  @Column('text')
  last4: string;

  @Column('boolean', { name: 'is_active', default: true })
  isActive: boolean;

  /** When the current key was stored: replacing a key sets it again. */
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
