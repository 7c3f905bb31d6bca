import type { PlatformDb } from '../db/platform-db';
import { publishAlert } from '../monitoring/alerts.service';
import type { AppPubSub } from '../pubsub/pubsub';
import { evaluateRules, type RuleEvaluation } from './rule-evaluation';
import type { RuleHeadroom } from './rule-headroom';
import { RULE_COLUMNS, toRuleRecord } from './rules.service';

/** Held (per transaction) by the one gateway instance that runs the scheduled rule evaluation. */
export const RULE_CHECK_LOCK = 5_764_209_000;

/** Tells subscribers and delivery workers what an evaluation changed; after its statements have committed (as each move commits). */
export function announce(pubsub: AppPubSub, evaluations: RuleEvaluation[]): void {
  for (const { raised, resolved } of evaluations) {
    if (raised) publishAlert(pubsub, raised);
    if (resolved?.workspaceId) pubsub.publish('DELIVERIES_DUE', { workspaceId: resolved.workspaceId });
  }
}

/**
 * Evaluates the enabled rules of the workspaces whose calls just landed that those calls may
 * change (see RuleHeadroom.mayChange), all in one pass through the platform path: rules sharing
 * a window and filter are measured in one engine statement whichever of these workspaces they
 * belong to.
 */
export async function checkRulesOf(
  platform: PlatformDb,
  pubsub: AppPubSub,
  workspaceIds: string[],
  now: Date,
  headroom?: RuleHeadroom,
): Promise<RuleEvaluation[]> {
  const rows: Record<string, unknown>[] = await platform.query(
    `SELECT ${RULE_COLUMNS} FROM alert_rules WHERE enabled AND workspace_id = ANY($1::uuid[]) ORDER BY workspace_id, id`,
    [workspaceIds],
  );
  const rules = rows.map(toRuleRecord).filter((rule) => headroom?.mayChange(rule) ?? true);
  if (rules.length === 0) return [];
  return evaluateRules(platform, rules, now, headroom, (evaluation) => announce(pubsub, [evaluation]));
}

export interface RuleCheckOutcome {
  /** False when another gateway instance held the lock, so this one did nothing. */
  checked: boolean;
  evaluations: RuleEvaluation[];
}

/**
 * Evaluates every enabled rule of every workspace, on one gateway instance at a time (an
 * advisory lock, held by a transaction that takes no row lock): so BELOW rules and quiet
 * periods are seen when no call lands. The rules' own statements run through the platform path.
 */
export async function runRuleChecks(platform: PlatformDb, pubsub: AppPubSub, now: Date, headroom?: RuleHeadroom): Promise<RuleCheckOutcome> {
  const outcome = await platform.transaction(async (tx): Promise<RuleCheckOutcome> => {
    const [{ locked }]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [RULE_CHECK_LOCK]);
    if (!locked) return { checked: false, evaluations: [] };
    const rows: Record<string, unknown>[] = await tx.query(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE enabled ORDER BY workspace_id, id`);
    return { checked: true, evaluations: await evaluateRules(platform, rows.map(toRuleRecord), now, headroom, (evaluation) => announce(pubsub, [evaluation])) };
  });
  return outcome;
}

