import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The workspace id that marks a platform-wide override (set by an admin in scope __all__). */
export const PLATFORM_WORKSPACE_ID = '00000000-0000-0000-0000-000000000000';

@Entity('model_price_overrides')
export class ModelPriceOverrideEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn('text')
  provider: string;

  @PrimaryColumn('text', { name: 'model_id' })
  modelId: string;

  @Column('numeric', { name: 'input_per_mtok' })
  inputPerMTok: string;

  @Column('numeric', { name: 'output_per_mtok' })
  outputPerMTok: string;

  @Column('numeric', { name: 'cache_read_per_mtok', nullable: true })
  cacheReadPerMTok: string | null;

  @Column('numeric', { name: 'cache_write_per_mtok', nullable: true })
  cacheWritePerMTok: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
