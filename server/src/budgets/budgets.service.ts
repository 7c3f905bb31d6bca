import { randomUUID } from 'node:crypto';
import { deleteInScope } from '../db/delete-in-scope';
import type { Db, EntityAccess } from '../db/db';
import { badInput } from '../graphql/errors';
import { unstorableText } from '../graphql/stored-text';
import { CALL_BOUNDS } from '../ingest/call-bounds';
import { runMetrics } from '../metrics/metrics.service';
import type { Scope } from '../metrics/metrics.model';
import type { AlertRecord } from '../monitoring/alert.record';
import { raiseAlert } from '../monitoring/alerts.service';
import type { AppPubSub } from '../pubsub/pubsub';
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

interface BudgetRow {
  workspace_id: string;
  id: string;
  amount: string;
  budget_window: BudgetWindow;
  agent_id: string;
  model_id: string;
  user_id: string;
  thresholds: string[];
  timezone: string;
  window_start: Date;
}

/** Budgets with the start of their current window, computed by PostgreSQL in the workspace's timezone. */
async function loadBudgets(db: Db, where: string, params: unknown[], now: Date): Promise<BudgetRow[]> {
  return db.query(
    `SELECT b.workspace_id, b.id, b.amount::text, b.budget_window, b.agent_id, b.model_id, b.user_id, b.thresholds::text[] AS thresholds, w.timezone,
       date_trunc(lower(b.budget_window), $1::timestamptz AT TIME ZONE w.timezone) AT TIME ZONE w.timezone AS window_start
     FROM budgets b JOIN workspaces w ON w.id = b.workspace_id
     WHERE ${where} ORDER BY b.created_at, b.id`,
    [now.toISOString(), ...params],
  );
}

async function withSpend(db: Db, rows: BudgetRow[], now: Date): Promise<BudgetValues[]> {
  return Promise.all(
    rows.map(async (row) => {
      const { rows: result } = await runMetrics(db, { kind: 'workspace', workspaceId: row.workspace_id }, {
        range: { from: row.window_start, to: new Date(Math.max(now.getTime(), row.window_start.getTime() + 1)) },
        timezone: 'UTC',
        metrics: ['TOTAL_COST'],
        groupBy: [],
        filter: {
          agentIds: row.agent_id ? [row.agent_id] : null,
          modelIds: row.model_id ? [row.model_id] : null,
          userIds: row.user_id ? [row.user_id] : null,
        },
      });
      const amount = Number(row.amount);
      const spent = result[0].values.TOTAL_COST;
      return {
        id: row.id,
        workspaceId: row.workspace_id,
        amount,
        window: row.budget_window,
        agentId: row.agent_id || null,
        modelId: row.model_id || null,
        userId: row.user_id || null,
        thresholds: row.thresholds.map(Number),
        spent,
        spentFraction: spent / amount,
        windowStart: row.window_start,
      };
    }),
  );
}

export async function listBudgets(db: Db, scope: Scope, now: Date): Promise<BudgetValues[]> {
  const rows = scope.kind === 'all' ? await loadBudgets(db, 'true', [], now) : await loadBudgets(db, 'b.workspace_id = $2', [scope.workspaceId], now);
  return withSpend(db, rows, now);
}

/** Creates a budget, or replaces the one for the same window and target (workspace, agent, model or end user). */
export async function setBudget(db: Db, workspaceId: string, input: BudgetInputValues, now: Date): Promise<BudgetValues> {
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
  const [stored]: { id: string }[] = await db.query(
    `INSERT INTO budgets (workspace_id, id, amount, budget_window, agent_id, model_id, user_id, thresholds) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (workspace_id, budget_window, agent_id, model_id, user_id) DO UPDATE SET amount = EXCLUDED.amount, thresholds = EXCLUDED.thresholds
     RETURNING id`,
    [workspaceId, randomUUID(), input.amount, input.window, agentId, modelId, userId, thresholds],
  );
  const rows = await loadBudgets(db, 'b.workspace_id = $2 AND b.id = $3', [workspaceId, stored.id], now);
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
export async function checkBudgets(db: Db, pubsub: AppPubSub, workspaceId: string, now: Date): Promise<AlertRecord[]> {
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
