import type { Db } from '../db/db';
import { LockSteps } from '../db/lock-order';
import { METRIC_CATALOGUE } from '../metrics/catalogue';
import { EXACT_PERCENTILES_MS, runMetrics } from '../metrics/metrics.service';
import type { Metric, TimeRange } from '../metrics/metrics.model';
import type { AlertRecord } from '../monitoring/alert.record';
import { ALERT_COLUMNS, deliveriesOf, RAISED_TO, toAlertRecord } from '../monitoring/alerts.service';
import type { RuleHeadroom } from './rule-headroom';
import type { AlertRuleRecord, Comparison, RuleState } from './rules.service';

const MINUTE_MS = 60_000;

/** Whether a value breaks a rule: strictly above or strictly below its threshold. */
export function breaks(comparison: Comparison, value: number, threshold: number): boolean {
  return comparison === 'ABOVE' ? value > threshold : value < threshold;
}

/** The state a rule moves to, and what that move does: raise an alert, resolve it, or neither. */
export function nextState(current: RuleState, broken: boolean): { state: RuleState; change: 'RAISE' | 'RESOLVE' | null } {
  if (broken) return { state: 'FIRING', change: current === 'OK' ? 'RAISE' : null };
  return { state: 'OK', change: current === 'FIRING' ? 'RESOLVE' : null };
}

/** The half-open window [now - windowMinutes, now) a rule's metric is computed over. */
export function ruleWindow(windowMinutes: number, now: Date): TimeRange {
  return { from: new Date(now.getTime() - windowMinutes * MINUTE_MS), to: now };
}

/** A percentile rule whose window the engine reads exactly, from raw rows (a day and longer read rollup histograms). */
export const readsExactPercentile = (rule: AlertRuleRecord): boolean =>
  METRIC_CATALOGUE[rule.metric].percentile !== undefined && rule.windowMinutes * MINUTE_MS < EXACT_PERCENTILES_MS;

/**
 * Rules one engine statement measures together: the same window and the same filter, any metric,
 * any workspace; exact percentiles apart. A statement with one reads raw rows for every rule and
 * workspace in it, where without it the sums of long windows come from rollups and the raw rows
 * are read only for the few workspaces with percentile rules. Shortest windows first: they are
 * the quickest to read and the likeliest to be broken by the calls that just landed.
 */
export function measurementBatches(rules: AlertRuleRecord[]): AlertRuleRecord[][] {
  const batches = new Map<string, AlertRuleRecord[]>();
  for (const rule of rules) {
    const key = `${rule.windowMinutes}\u0000${JSON.stringify(rule.filter)}\u0000${readsExactPercentile(rule)}`;
    const batch = batches.get(key);
    if (batch) batch.push(rule);
    else batches.set(key, [rule]);
  }
  return [...batches.values()].sort((a, b) => a[0].windowMinutes - b[0].windowMinutes);
}

/**
 * Each rule's metric over its window, through the metrics engine: one statement per batch (see
 * measurementBatches), every metric those rules name in it, grouped by workspace when they span
 * several (then `db` must be the platform path). A workspace without calls in the window reads 0.
 * `measured` sees each batch's values as soon as its statement answered.
 */
export async function measureRules(
  db: Db,
  rules: AlertRuleRecord[],
  now: Date,
  measured: (values: Map<AlertRuleRecord, number>) => void = () => {},
): Promise<Map<AlertRuleRecord, number>> {
  const values = new Map<AlertRuleRecord, number>();
  for (const batch of measurementBatches(rules)) {
    const { windowMinutes, filter } = batch[0];
    const metrics = [...new Set(batch.map((rule) => rule.metric))];
    const workspaceIds = [...new Set(batch.map((rule) => rule.workspaceId))];
    const query = { range: ruleWindow(windowMinutes, now), timezone: 'UTC', metrics, filter };
    const byWorkspace = new Map<string, Record<Metric, number>>();
    if (workspaceIds.length === 1) {
      const { rows } = await runMetrics(db, { kind: 'workspace', workspaceId: workspaceIds[0] }, { ...query, groupBy: [] });
      if (rows[0]) byWorkspace.set(workspaceIds[0], rows[0].values);
    } else {
      const { rows } = await runMetrics(db, { kind: 'all' }, { ...query, groupBy: ['WORKSPACE'], workspaceIds, labels: false });
      for (const row of rows) byWorkspace.set(row.dimensions[0].value, row.values);
    }
    const batchValues = new Map(batch.map((rule) => [rule, byWorkspace.get(rule.workspaceId)?.[rule.metric] ?? 0]));
    for (const [rule, value] of batchValues) values.set(rule, value);
    measured(batchValues);
  }
  return values;
}

const formatValue = (value: number): string => (Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, ''));

/** The message of a rule's alert, e.g. "Costly hour: TOTAL_COST is 1.05, above 1 over the last 60 minutes". */
export function ruleAlertMessage(rule: AlertRuleRecord, value: number): string {
  return `${rule.name}: ${rule.metric} is ${formatValue(value)}, ${rule.comparison.toLowerCase()} ${formatValue(rule.threshold)} over the last ${rule.windowMinutes} minutes`;
}

/** What one evaluation of a rule did. */
export interface RuleEvaluation {
  rule: AlertRuleRecord;
  value: number;
  /** The alert it raised (OK → FIRING) or resolved (FIRING → OK); null when its state stayed. */
  raised: AlertRecord | null;
  resolved: AlertRecord | null;
}

const STEPS = new LockSteps(['alert_rules', 'alerts', 'deliveries']);

/**
 * OK → FIRING in one statement: the rule's state, its RULE alert, and the alert's deliveries to
 * the rule's channels. The state condition makes it happen once, whichever evaluation (after
 * calls, on the schedule, on another instance) gets there first, so it needs no dedupe key.
 */
async function raise(db: Db, rule: AlertRuleRecord, value: number, now: Date): Promise<AlertRecord | null> {
  const details = {
    ruleId: rule.id,
    ruleName: rule.name,
    metric: rule.metric,
    comparison: rule.comparison,
    threshold: rule.threshold,
    windowMinutes: rule.windowMinutes,
    filter: rule.filter,
    value,
  };
  const rows: Record<string, unknown>[] = await db.query(
    `WITH ${STEPS.name('alert_rules')} AS (
       UPDATE alert_rules SET state = 'FIRING', last_value = $3, last_evaluated_at = $4
       WHERE workspace_id = $1 AND id = $2 AND state = 'OK' AND enabled
       RETURNING workspace_id, id, severity, channel_ids
     ), ${STEPS.name('alerts')} AS (
       INSERT INTO alerts (workspace_id, kind, severity, message, details, raised_at, rule_id)
       SELECT workspace_id, 'RULE', severity, $5, $6::jsonb, $4, id FROM ${STEPS.name('alert_rules')}
       WHERE ${STEPS.after('alerts')}
       RETURNING ${ALERT_COLUMNS}
     ), ${STEPS.name('deliveries')} AS (
       ${deliveriesOf(STEPS, 'RAISED', `coalesce((SELECT channel_ids FROM ${STEPS.name('alert_rules')}), '{}')`)}
     )
     SELECT * FROM ${STEPS.name('alerts')}`,
    [rule.workspaceId, rule.id, value, now.toISOString(), ruleAlertMessage(rule, value), JSON.stringify(details)],
  );
  return rows[0] ? toAlertRecord(rows[0]) : null;
}

/**
 * FIRING → OK in one statement: the rule's state, its open alert resolved, and a resolution
 * delivered to the channels the alert was delivered to.
 */
async function resolve(db: Db, rule: AlertRuleRecord, value: number, now: Date): Promise<AlertRecord | null> {
  const rows: Record<string, unknown>[] = await db.query(
    `WITH ${STEPS.name('alert_rules')} AS (
       UPDATE alert_rules SET state = 'OK', last_value = $3, last_evaluated_at = $4
       WHERE workspace_id = $1 AND id = $2 AND state = 'FIRING'
       RETURNING workspace_id, id
     ), ${STEPS.name('alerts')} AS (
       UPDATE alerts SET resolved_at = $4
       WHERE workspace_id = $1 AND rule_id IN (SELECT id FROM ${STEPS.name('alert_rules')}) AND resolved_at IS NULL AND ${STEPS.after('alerts')}
       RETURNING ${ALERT_COLUMNS}
     ), ${STEPS.name('deliveries')} AS (
       ${deliveriesOf(STEPS, 'RESOLVED', RAISED_TO)}
     )
     SELECT * FROM ${STEPS.name('alerts')}`,
    [rule.workspaceId, rule.id, value, now.toISOString()],
  );
  return rows[0] ? toAlertRecord(rows[0]) : null;
}

/** Records the values of rules whose state stayed, in one statement. */
async function recordValues(db: Db, evaluations: { rule: AlertRuleRecord; value: number }[], now: Date): Promise<void> {
  if (evaluations.length === 0) return;
  await db.query(
    `UPDATE alert_rules r SET last_value = v.value, last_evaluated_at = $4
     FROM unnest($1::uuid[], $2::uuid[], $3::float8[]) AS v(workspace_id, id, value)
     WHERE r.workspace_id = v.workspace_id AND r.id = v.id`,
    [evaluations.map((e) => e.rule.workspaceId), evaluations.map((e) => e.rule.id), evaluations.map((e) => e.value), now.toISOString()],
  );
}

/**
 * Evaluates rules at `now`: measures them through the metrics engine (see measureRules) and, as
 * each batch is measured, moves those whose state changes (each in a statement of its own, side
 * by side, while the next batches are measured: a rule broken by the calls that just landed waits
 * neither for longer windows nor for other moves), then records the value of the rest. `moved`
 * sees each move once its statement has committed. `db` runs each statement in its own
 * transaction (a scoped or platform Db), so no statement holds a lock past its own end and each
 * follows LOCK_ORDER by itself. What was measured becomes the rules' baselines in `headroom`.
 */
export async function evaluateRules(
  db: Db,
  rules: AlertRuleRecord[],
  now: Date,
  headroom?: RuleHeadroom,
  moved: (evaluation: RuleEvaluation) => void = () => {},
): Promise<RuleEvaluation[]> {
  const mark = headroom?.mark(rules.map((rule) => rule.workspaceId));
  const moves: Promise<RuleEvaluation>[] = [];
  const stayed: RuleEvaluation[] = [];
  const values = await measureRules(db, rules, now, (batch) => {
    for (const [rule, value] of batch) {
      const { change } = nextState(rule.state, breaks(rule.comparison, value, rule.threshold));
      if (change === null) {
        stayed.push({ rule, value, raised: null, resolved: null });
        continue;
      }
      const move = (async (): Promise<RuleEvaluation> => {
        const evaluation = {
          rule,
          value,
          raised: change === 'RAISE' ? await raise(db, rule, value, now) : null,
          resolved: change === 'RESOLVE' ? await resolve(db, rule, value, now) : null,
        };
        moved(evaluation);
        return evaluation;
      })();
      // Awaited below with the others; until then a failure must not count as unhandled.
      move.catch(() => {});
      moves.push(move);
    }
  });
  if (headroom && mark !== undefined) headroom.measured(mark, now, values);
  const [evaluations] = await Promise.all([Promise.all(moves), recordValues(db, stayed, now)]);
  const byRule = new Map([...evaluations, ...stayed].map((evaluation) => [evaluation.rule, evaluation]));
  return rules.map((rule) => byRule.get(rule)!);
}
