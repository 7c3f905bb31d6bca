import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { SealedColumns } from '../keys/sealed-columns';

@Entity('notification_channels')
export class NotificationChannelEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: 'WEBHOOK' | 'SLACK' | 'EMAIL';

  /** The target (URL or address) and the signing secret; shown as targetDisplay. */
  @Column(() => SealedColumns, { prefix: false })
  sealed: SealedColumns;

  @Column('text', { name: 'target_display' })
  targetDisplay: string;

  @Column('boolean')
  enabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
