import { ROLLUP_TABLES } from '../ingest/rollup';

/**
 * The one order in which every writer takes row locks. Two transactions that both take their
 * locks in this order, and within one table in key order, may wait for each other but never
 * both at once: writers that race queue instead of deadlocking. A writer takes only the steps
 * it needs, but never a table listed earlier after one listed later; a writer whose work is
 * long does it in short transactions (batches), each of which follows the order.
 *
 * 1. `llm_usage_event_ids` by event id (a resend waits here for the batch storing its call), then
 *    `llm_usage` (raw calls) by id.
 * 2. The rollups, level by level as ROLLUP_LEVELS lists them, each by its key (upserts sorted by key);
 *    then `user_totals` by user.
 * 3. `agents` by id: their per-model totals, upserted last, so that a writer holds an agent
 *    (which every batch of that agent's calls needs) only for the end of its transaction.
 * 4. `runs` by execution id: a batch's runs, after its agents (one row per execution); then
 *    `workflow_run_days` and `agent_run_days` by key, the days its runs' changes move.
 * 5. What hangs off an agent (Composio tools, memory items); the tables written one row per
 *    statement; `alert_rules` (a rule's state); `heartbeats`; `alerts`; `deliveries` last (the
 *    outbox rows written with the alert they deliver).
 *
 * The writers:
 * - Ingest (trackLlmCall(s), OpenRouter activity sync, demo data): inserts the event ids it has not
 *   seen (a call whose eventId another transaction is inserting waits for that one), then their raw
 *   rows, adds to the rollups, then to the agents' totals, an agent it has not seen created, then to
 *   the runs of its executions.
 * - Re-pricing, batch by batch: locks the batch's raw rows in id order and reads their costs as
 *   they are then, changes them, the rollups, the agents' totals and the runs by the same differences.
 * - Price changes, budgets, provider keys, API keys, workspaces: one row per statement.
 * - Budget checks and alert evaluation: alerts, one per statement, each with its deliveries; the
 *   heartbeat check turns heartbeats STALE, then raises alerts. Alert rules: the rule's state, then
 *   its alert (raised or resolved), then the alert's deliveries, in one statement. Delivery
 *   workers: deliveries only (claimed with SKIP LOCKED, then marked sent or due again).
 * - Composio and memory: the agent, then their own rows.
 * - Writers to come take their place in it: retention and deletion remove raw rows first, then
 *   rollup rows, then agents' data, then runs.
 * - Every audited change (audit/audited.ts) inserts its audit_log entry last, in its own transaction.
 *
 * A workspace's own row is locked by no writer: PostgreSQL takes KEY SHARE on it at the end of
 * each statement that inserts the workspace's rows (the foreign keys), which only deleting the
 * workspace conflicts with. Advisory locks (one gateway instance runs a check) come before any
 * row lock.
 */
export const LOCK_ORDER = [
  'llm_usage_event_ids',
  'llm_usage',
  ...ROLLUP_TABLES,
  'user_totals',
  'agents',
  'runs',
  'workflow_run_days',
  'agent_run_days',
  'composio_connections',
  'agent_app_features',
  'agent_app_feature_daily',
  'memory_items',
  'model_price_overrides',
  'provider_keys',
  'budgets',
  'api_keys',
  'workspaces',
  'notification_channels',
  'alert_rules',
  'heartbeats',
  'alerts',
  'deliveries',
  'audit_log',
] as const;

export type LockedTable = (typeof LOCK_ORDER)[number];

/**
 * The lock steps of one statement: the WITH entries that take its row locks, one per table,
 * named after the table (`locked_<table>`) and listed in LOCK_ORDER. PostgreSQL runs a
 * statement's WITH entries in an order of its own choosing; {@link LockSteps.after} holds a
 * step back until the step before it has run to completion.
 */
export class LockSteps {
  constructor(private readonly tables: readonly LockedTable[]) {
    const positions = tables.map((table) => LOCK_ORDER.indexOf(table));
    const wrong = positions.findIndex((position, i) => i > 0 && position <= positions[i - 1]);
    if (wrong > 0) {
      throw new Error(`lock steps must follow LOCK_ORDER (db/lock-order.ts), but ${tables[wrong]} comes after ${tables[wrong - 1]}`);
    }
  }

  /** The WITH entry that takes the statement's locks on `table`; it must have a RETURNING clause (or be a SELECT). */
  name(table: LockedTable): string {
    if (!this.tables.includes(table)) throw new Error(`this statement has no lock step on ${table}`);
    return `locked_${table}`;
  }

  /**
   * A condition for the WHERE of `table`'s step: true, once the step before it has run to the
   * end. It reads the previous step's rows in an uncorrelated subquery, which PostgreSQL
   * evaluates once, before the step reads its first row. `true` for the first step.
   */
  after(table: LockedTable): string {
    const index = this.tables.indexOf(table);
    if (index < 0) throw new Error(`this statement has no lock step on ${table}`);
    return index === 0 ? 'true' : `(SELECT count(*) FROM ${this.name(this.tables[index - 1])}) >= 0`;
  }
}
