import type { DataSource } from 'typeorm';
import type { Db } from '../db/db';
import type { PlatformDb } from '../db/platform-db';
import { scopedDb, workspaceScope } from '../db/scoped-db';
import type { Logger } from '../logger';
import { publishAlert } from '../monitoring/alerts.service';
import { KeyedThrottle } from '../pubsub/keyed-throttle';
import type { AppPubSub } from '../pubsub/pubsub';
import { evaluateRules, type RuleEvaluation } from './rule-evaluation';
import { enabledRulesOf, RULE_COLUMNS, toRuleRecord } from './rules.service';

/** Held (per transaction) by the one gateway instance that runs the scheduled rule evaluation. */
export const RULE_CHECK_LOCK = 5_764_209_000;

/** Tells subscribers and delivery workers what an evaluation changed; after its statements have committed. */
export function announce(pubsub: AppPubSub, evaluations: RuleEvaluation[]): void {
  for (const { raised, resolved } of evaluations) {
    if (raised) publishAlert(pubsub, raised);
    if (resolved?.workspaceId) pubsub.publish('DELIVERIES_DUE', { workspaceId: resolved.workspaceId });
  }
}

/** Evaluates one workspace's enabled rules now, through `db` (its own scope). */
export async function checkWorkspaceRules(db: Db, pubsub: AppPubSub, workspaceId: string, now: Date): Promise<RuleEvaluation[]> {
  const evaluations = await evaluateRules(db, await enabledRulesOf(db, workspaceId), now);
  announce(pubsub, evaluations);
  return evaluations;
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
export async function runRuleChecks(platform: PlatformDb, pubsub: AppPubSub, now: Date): Promise<RuleCheckOutcome> {
  const outcome = await platform.transaction(async (tx): Promise<RuleCheckOutcome> => {
    const [{ locked }]: { locked: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [RULE_CHECK_LOCK]);
    if (!locked) return { checked: false, evaluations: [] };
    const rows: Record<string, unknown>[] = await tx.query(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE enabled ORDER BY workspace_id, id`);
    return { checked: true, evaluations: await evaluateRules(platform, rows.map(toRuleRecord), now) };
  });
  announce(pubsub, outcome.evaluations);
  return outcome;
}

/** Evaluates a workspace's rules when its calls land, at most once a second per workspace (like budgets). */
export class RuleWatcher {
  private readonly throttle: KeyedThrottle;
  private listening?: AsyncIterator<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {
    this.throttle = new KeyedThrottle(1000, (error) => logger.warn({ err: error }, 'alert rule evaluation failed'));
  }

  start(): void {
    const iterator = this.pubsub.subscribe('USAGE_CHANGED')[Symbol.asyncIterator]();
    this.listening = iterator;
    void (async () => {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return;
        for (const workspaceId of value.workspaceIds) {
          const db = scopedDb(this.dataSource, workspaceScope(workspaceId));
          this.throttle.request(workspaceId, async () => void (await checkWorkspaceRules(db, this.pubsub, workspaceId, this.now())));
        }
      }
    })().catch((error: unknown) => this.logger.error({ err: error }, 'alert rule watcher stopped'));
  }

  stop(): void {
    void this.listening?.return?.();
    this.throttle.stop();
  }
}
