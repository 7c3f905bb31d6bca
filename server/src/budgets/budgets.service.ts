import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Db, EntityAccess } from '../db/db';
import { deleteInScope } from '../db/delete-in-scope';
import { badInput } from '../graphql/errors';
import { unstorableText } from '../graphql/stored-text';
import { CALL_BOUNDS } from '../ingest/call-bounds';
import { runMetrics } from '../metrics/metrics.service';
import type { Scope } from '../metrics/metrics.model';
import type { AlertRecord } from '../monitoring/alert.record';
import { raiseAlert } from '../monitoring/alerts.service';
import type { AppPubSub } from '../pubsub/pubsub';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { BudgetEntity } from './budget.entity';

export type BudgetWindow = 'DAY' | 'WEEK' | 'MONTH';
export const BUDGET_WINDOWS: BudgetWindow[] = ['DAY', 'WEEK', 'MONTH'];
export const DEFAULT_THRESHOLDS = [0.8, 0.9, 1];
/** Dollars a budget may hold per window: far above any workspace's spend, far below where a sum loses cents. */
export const MAX_BUDGET_AMOUNT = 100_000_000;

export interface BudgetInputValues {
  amount: number;
  window: BudgetWindow;
  agentId?: string | null;
  modelId?: string | null;
  userId?: string | null;
  thresholds?: number[] | null;
}

export interface BudgetValues {
  id: string;
  workspaceId: string;
  amount: number;
  window: BudgetWindow;
  agentId: string | null;
  modelId: string | null;
  userId: string | null;
  thresholds: number[];
  spent: number;
  spentFraction: number;
  /** Where the current window began, in the workspace's timezone. */
  windowStart: Date;
}

/** A budget with the start of its current window. */
interface BudgetInWindow {
  budget: BudgetEntity;
  windowStart: Date;
}

/** Which budgets to load: all in the Db's scope, a workspace's, or one target's of a workspace. */
type BudgetsWhere = { workspaceId?: string; target?: Pick<BudgetEntity, 'window' | 'agentId' | 'modelId' | 'userId'> };

/** Budgets with the start of their current window, computed by PostgreSQL in the workspace's timezone. */
async function loadBudgets(manager: EntityManager, where: BudgetsWhere, now: Date): Promise<BudgetInWindow[]> {
  const query = manager
    .getRepository(BudgetEntity)
    .createQueryBuilder('b')
    .innerJoin(WorkspaceEntity, 'w', 'w.id = b.workspaceId')
    .addSelect('date_trunc(lower(b.window), :now::timestamptz AT TIME ZONE w.timezone) AT TIME ZONE w.timezone', 'window_start')
    .setParameter('now', now.toISOString())
    .orderBy('b.createdAt')
    .addOrderBy('b.id');
  if (where.workspaceId) query.andWhere('b.workspaceId = :workspaceId', { workspaceId: where.workspaceId });
  if (where.target) query.andWhere('b.window = :window AND b.agentId = :agentId AND b.modelId = :modelId AND b.userId = :userId', where.target);
  const { entities, raw } = await query.getRawAndEntities<{ b_id: string; window_start: Date }>();
  const windowStarts = new Map(raw.map((row) => [row.b_id, row.window_start]));
  return entities.map((budget) => ({ budget, windowStart: windowStarts.get(budget.id)! }));
}

async function withSpend(db: Db, rows: BudgetInWindow[], now: Date): Promise<BudgetValues[]> {
  return Promise.all(
    rows.map(async ({ budget, windowStart }) => {
      const { rows: result } = await runMetrics(db, { kind: 'workspace', workspaceId: budget.workspaceId }, {
        range: { from: windowStart, to: new Date(Math.max(now.getTime(), windowStart.getTime() + 1)) },
        timezone: 'UTC',
        metrics: ['TOTAL_COST'],
        groupBy: [],
        filter: {
          agentIds: budget.agentId ? [budget.agentId] : null,
          modelIds: budget.modelId ? [budget.modelId] : null,
          userIds: budget.userId ? [budget.userId] : null,
        },
      });
      const amount = Number(budget.amount);
      const spent = result[0].values.TOTAL_COST;
      return {
        id: budget.id,
        workspaceId: budget.workspaceId,
        amount,
        window: budget.window,
        agentId: budget.agentId || null,
        modelId: budget.modelId || null,
        userId: budget.userId || null,
        thresholds: budget.thresholds,
        spent,
        spentFraction: spent / amount,
        windowStart,
      };
    }),
  );
}

export async function listBudgets(db: Db & EntityAccess, scope: Scope, now: Date): Promise<BudgetValues[]> {
  const rows = await db.entities((manager) => loadBudgets(manager, scope.kind === 'all' ? {} : { workspaceId: scope.workspaceId }, now));
  return withSpend(db, rows, now);
}

/** Creates a budget, or replaces the one for the same window and target (workspace, agent, model or end user). */
export async function setBudget(db: Db & EntityAccess, workspaceId: string, input: BudgetInputValues, now: Date): Promise<BudgetValues> {
  if (!Number.isFinite(input.amount) || input.amount <= 0 || input.amount > MAX_BUDGET_AMOUNT) {
    throw badInput(`amount must be more than 0 and at most ${MAX_BUDGET_AMOUNT} dollars, but got ${input.amount}`);
  }
  const thresholds = [...new Set(input.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
  if (thresholds.length === 0 || thresholds.length > 10) throw badInput(`thresholds takes 1 to 10 fractions, but got ${thresholds.length}`);
  const bad = thresholds.find((t) => !Number.isFinite(t) || t <= 0 || t > 10);
  if (bad !== undefined) throw badInput(`each threshold must be a fraction of amount above 0 and at most 10 (e.g. 0.8), but got ${bad}`);
  const agentId = input.agentId?.trim() ?? '';
  const modelId = input.modelId?.trim() ?? '';
  const userId = input.userId?.trim() ?? '';
  for (const [name, value, max] of [
    ['agentId', agentId, CALL_BOUNDS.maxAgentIdLength],
    ['modelId', modelId, CALL_BOUNDS.maxTextLength],
    ['userId', userId, CALL_BOUNDS.maxAttributionIdLength],
  ] as const) {
    const problem = unstorableText(value, max);
    if (problem) throw badInput(`${name} ${problem}`);
  }
  const target = { window: input.window, agentId, modelId, userId };
  const rows = await db.entities(async (manager) => {
    // Not repository.upsert: that would overwrite the id too, and a replaced budget keeps its id (alert dedupe keys name it).
    await manager
      .createQueryBuilder()
      .insert()
      .into(BudgetEntity)
      .values({ workspaceId, id: randomUUID(), amount: String(input.amount), ...target, thresholds })
      .orUpdate(['amount', 'thresholds'], ['workspace_id', 'budget_window', 'agent_id', 'model_id', 'user_id'])
      .updateEntity(false)
      .execute();
    return loadBudgets(manager, { workspaceId, target }, now);
  });
  // Spend is summed after the transaction: `work` may use only the manager.
  return (await withSpend(db, rows, now))[0];
}

/** Deletes a budget in scope; false when there is none with that id (another workspace's id included). */
export async function deleteBudget(db: EntityAccess, scope: Scope, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  return deleteInScope(db, scope, BudgetEntity, id);
}

const dollars = (n: number): string => `$${n.toFixed(2)}`;

function describeBudget(b: BudgetValues): string {
  const target = [b.agentId && `agent ${b.agentId}`, b.modelId && `model ${b.modelId}`, b.userId && `user ${b.userId}`].filter(Boolean).join(', ');
  return `${dollars(b.amount)} per ${b.window.toLowerCase()}${target ? ` for ${target}` : ''}`;
}

/**
 * Raises one BUDGET_THRESHOLD alert for each threshold a budget has crossed in its current
 * window; the dedupe key (budget, window start, threshold) makes a second crossing silent.
 */
export async function checkBudgets(db: Db & EntityAccess, pubsub: AppPubSub, workspaceId: string, now: Date): Promise<AlertRecord[]> {
  const budgets = await listBudgets(db, { kind: 'workspace', workspaceId }, now);
  const raised: AlertRecord[] = [];
  for (const budget of budgets) {
    for (const threshold of budget.thresholds) {
      if (budget.spentFraction < threshold) continue;
      const alert = await raiseAlert(db, pubsub, {
        kind: 'BUDGET_THRESHOLD',
        severity: threshold >= 1 ? 'CRITICAL' : threshold >= 0.9 ? 'WARNING' : 'INFO',
        message: `Budget ${describeBudget(budget)}: ${Math.round(budget.spentFraction * 100)}% spent (${dollars(budget.spent)}), past the ${Math.round(threshold * 100)}% threshold`,
        workspaceId,
        at: now,
        dedupeKey: `budget:${budget.id}:${budget.windowStart.toISOString()}:${threshold}`,
        details: { budgetId: budget.id, threshold, spent: budget.spent, amount: budget.amount },
      });
      if (alert) raised.push(alert);
    }
  }
  return raised;
}
