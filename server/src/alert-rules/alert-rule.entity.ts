import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Metric, UsageFilterValues } from '../metrics/metrics.model';
import type { Severity } from '../monitoring/alert.record';

@Entity('alert_rules')
export class AlertRuleEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  metric: Metric;

  @Column('text')
  comparison: 'ABOVE' | 'BELOW';

  @Column('double precision')
  threshold: number;

  @Column('int', { name: 'window_minutes' })
  windowMinutes: number;

  /** Only the conditions the rule sets; null when it sets none. */
  @Column('jsonb', { nullable: true })
  filter: UsageFilterValues | null;

  @Column('text')
  severity: Severity;

  @Column('uuid', { name: 'channel_ids', array: true })
  channelIds: string[];

  @Column('boolean')
  enabled: boolean;

  /** As of the rule's last evaluation. */
  @Column('text')
  state: 'OK' | 'FIRING';

  @Column('double precision', { name: 'last_value', nullable: true })
  lastValue: number | null;

  @Column('timestamptz', { name: 'last_evaluated_at', nullable: true })
  lastEvaluatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
