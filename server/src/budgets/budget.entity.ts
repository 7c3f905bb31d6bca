import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { BudgetWindow } from './budgets.service';

@Entity('budgets')
@Unique('budgets_target', ['workspaceId', 'window', 'agentId', 'modelId', 'userId'])
export class BudgetEntity {
  @PrimaryColumn('uuid', { name: 'workspace_id' })
  workspaceId: string;

  @PrimaryColumn('uuid')
  id: string;

  /** Dollars per window, as PostgreSQL's numeric text: money is never a JS float here. */
  @Column('numeric')
  amount: string;

  @Column('text', { name: 'budget_window' })
  window: BudgetWindow;

  /** '' for none: the target is part of the unique key, where NULLs would never conflict. */
  @Column('varchar', { name: 'agent_id', length: 128, default: '' })
  agentId: string;

  @Column('text', { name: 'model_id', default: '' })
  modelId: string;

  @Column('text', { name: 'user_id', default: '' })
  userId: string;

  /** Fractions of amount, not money: pg hands numeric[] back as numbers, which only meet spentFraction in comparisons. */
  @Column('numeric', { array: true })
  thresholds: number[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
