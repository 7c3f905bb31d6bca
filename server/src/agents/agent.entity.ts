import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Per-model totals of one agent, kept current at ingest. Costs stay decimal strings. */
export interface StoredModelUsage {
  requests: number;
  totalTokens: number;
  totalCost: string;
  latencySum: number;
  latencyCount: number;
  lastUsedAt: string;
}

@Entity('agents')
export class AgentEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn('varchar', { length: 128 })
  id: string;

  @Column('text')
  name: string;

  @Column('jsonb', { name: 'model_usage_stats' })
  modelUsageStats: Record<string, StoredModelUsage>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
