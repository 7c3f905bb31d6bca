import { randomUUID } from 'node:crypto';
import { deleteInScope, whereInScope } from '../db/delete-in-scope';
import type { Db, EntityAccess } from '../db/db';
import { badInput } from '../graphql/errors';
import { METRICS, type Metric, type Scope, type UsageFilterValues } from '../metrics/metrics.model';
import { SEVERITIES, type Severity } from '../monitoring/alert.record';
import { AlertRuleEntity } from './alert-rule.entity';

export const COMPARISONS = ['ABOVE', 'BELOW'] as const satisfies readonly AlertRuleEntity['comparison'][];
export type Comparison = AlertRuleEntity['comparison'];
export const RULE_STATES = ['OK', 'FIRING'] as const satisfies readonly AlertRuleEntity['state'][];
export type RuleState = AlertRuleEntity['state'];

export const MIN_WINDOW_MINUTES = 1;
export const MAX_WINDOW_MINUTES = 1440;
export const MAX_RULE_NAME = 100;
export const MAX_RULE_CHANNELS = 20;
export const DEFAULT_RULE_SEVERITY: Severity = 'WARNING';

/** What setAlertRule takes. */
export interface AlertRuleInputValues {
  id?: string | null;
  name: string;
  metric: Metric;
  comparison: Comparison;
  threshold: number;
  windowMinutes: number;
  filter?: UsageFilterValues | null;
  severity?: Severity | null;
  channelIds?: string[] | null;
  enabled?: boolean | null;
}

/** A stored rule, with its state as of its last evaluation. */
export type AlertRuleRecord = Omit<AlertRuleEntity, 'createdAt'>;

/** The columns the platform's rule checks read, for `toRuleRecord`. */
export const RULE_COLUMNS =
  'workspace_id, id, name, metric, comparison, threshold, window_minutes, filter, severity, channel_ids::text[] AS channel_ids, enabled, state, last_value, last_evaluated_at';

export function toRuleRecord(row: Record<string, unknown>): AlertRuleRecord {
  return {
    workspaceId: String(row.workspace_id),
    id: String(row.id),
    name: String(row.name),
    metric: row.metric as Metric,
    comparison: row.comparison as Comparison,
    threshold: Number(row.threshold),
    windowMinutes: Number(row.window_minutes),
    filter: (row.filter as UsageFilterValues | null) ?? null,
    severity: row.severity as Severity,
    channelIds: (row.channel_ids as string[] | null) ?? [],
    enabled: Boolean(row.enabled),
    state: row.state as RuleState,
    lastValue: row.last_value === null || row.last_value === undefined ? null : Number(row.last_value),
    lastEvaluatedAt: row.last_evaluated_at ? new Date(row.last_evaluated_at as string | Date) : null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** The filter as stored: only the conditions it sets, or null when it sets none. */
export function normalizeFilter(filter: UsageFilterValues | null | undefined): UsageFilterValues | null {
  if (!filter) return null;
  const kept = Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
  return Object.keys(kept).length > 0 ? (kept as UsageFilterValues) : null;
}

/** Checks a rule's input; throws BAD_USER_INPUT saying what was expected and what arrived. */
export function checkRuleInput(input: AlertRuleInputValues): void {
  const name = input.name.trim();
  if (name.length < 1 || name.length > MAX_RULE_NAME) {
    throw badInput(`name must be 1 to ${MAX_RULE_NAME} characters, but got ${name.length}`);
  }
  if (!METRICS.includes(input.metric)) throw badInput(`metric must be one of ${METRICS.join(', ')}, but got ${String(input.metric)}`);
  if (!COMPARISONS.includes(input.comparison)) throw badInput(`comparison must be ABOVE or BELOW, but got ${String(input.comparison)}`);
  if (!Number.isFinite(input.threshold)) throw badInput(`threshold must be a finite number, but got ${input.threshold}`);
  if (!Number.isInteger(input.windowMinutes) || input.windowMinutes < MIN_WINDOW_MINUTES || input.windowMinutes > MAX_WINDOW_MINUTES) {
    throw badInput(`windowMinutes must be a whole number from ${MIN_WINDOW_MINUTES} to ${MAX_WINDOW_MINUTES}, but got ${input.windowMinutes}`);
  }
  if (input.severity !== null && input.severity !== undefined && !SEVERITIES.includes(input.severity)) {
    throw badInput(`severity must be one of ${SEVERITIES.join(', ')}, but got ${String(input.severity)}`);
  }
  const channelIds = input.channelIds ?? [];
  if (channelIds.length > MAX_RULE_CHANNELS) throw badInput(`channelIds takes at most ${MAX_RULE_CHANNELS} channels, but got ${channelIds.length}`);
  const malformed = channelIds.find((id) => !isUuid(id));
  if (malformed !== undefined) throw badInput(`channelIds must be ids of notification channels, but got ${JSON.stringify(malformed)}`);
  if (input.id !== null && input.id !== undefined && !isUuid(input.id)) {
    throw badInput(`id must be the id of an alert rule of this workspace, but got ${JSON.stringify(input.id)}`);
  }
}

/** Creates a rule, or replaces the one `input.id` names (keeping its state until its next evaluation). */
export async function setAlertRule(db: Db & EntityAccess, workspaceId: string, input: AlertRuleInputValues): Promise<AlertRuleRecord> {
  checkRuleInput(input);
  const channelIds = [...new Set(input.channelIds ?? [])];
  if (channelIds.length > 0) {
    const found: { id: string }[] = await db.query(`SELECT id::text FROM notification_channels WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [
      workspaceId,
      channelIds,
    ]);
    const missing = channelIds.filter((id) => !found.some((row) => row.id === id));
    if (missing.length > 0) throw badInput(`channelIds must name channels of this workspace, but ${missing.join(', ')} is not one`);
  }
  const fields = {
    name: input.name.trim(),
    metric: input.metric,
    comparison: input.comparison,
    threshold: input.threshold,
    windowMinutes: input.windowMinutes,
    filter: normalizeFilter(input.filter),
    severity: input.severity ?? DEFAULT_RULE_SEVERITY,
    channelIds,
    enabled: input.enabled ?? true,
  };
  const id = input.id ?? randomUUID();
  const rule = await db.entities(async (manager) => {
    const rules = manager.getRepository(AlertRuleEntity);
    if (!input.id) await rules.insert({ workspaceId, id, ...fields });
    else if (!(await rules.update({ workspaceId, id }, fields)).affected) return null;
    return rules.findOneByOrFail({ workspaceId, id });
  });
  if (!rule) throw badInput(`id must be the id of an alert rule of this workspace, but no rule here has id ${id}`);
  return rule;
}

/** The rules in scope, oldest first. */
export function listAlertRules(db: EntityAccess, scope: Scope): Promise<AlertRuleRecord[]> {
  return db.entities((manager) =>
    manager.find(AlertRuleEntity, { where: whereInScope(scope), order: { createdAt: 'ASC', id: 'ASC' } }),
  );
}

/** Deletes a rule in scope; false when there is none with that id (another workspace's included). */
export async function deleteAlertRule(db: EntityAccess, scope: Scope, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  return deleteInScope(db, scope, AlertRuleEntity, id);
}
