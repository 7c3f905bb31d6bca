import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('workspaces')
export class WorkspaceEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  plan: string;

  @Column('text')
  timezone: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The workspace's own retention in days (null: for ever), once `retentionSet`; else the platform's applies. */
  @Column('int', { name: 'retention_days', nullable: true })
  retentionDays: number | null;

  @Column('boolean', { name: 'retention_set' })
  retentionSet: boolean;

  /** Raw calls before this were deleted by retention; null when none was. */
  @Column('timestamptz', { name: 'raw_kept_from', nullable: true })
  rawKeptFrom: Date | null;
}
