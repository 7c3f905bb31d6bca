import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'key_hash' })
  keyHash: string;

  @Column('text')
  prefix: string;

  @Column('text')
  role: 'MEMBER' | 'ADMIN';

  @Column('text', { nullable: true })
  label: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
