import type { Role } from '../auth/auth.service';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';
import { publishInTurns, type AppPubSub } from '../pubsub/pubsub';
import { LockSteps } from '../db/lock-order';
import type { AlertKind, AlertRecord, Severity } from './alert.record';

/**
 * The workspace_id platform alerts (a stale worker) are stored under. The alerts table keeps
 * workspace_id first in its keys like every tenant table, so a sentinel stands where "no
 * workspace" is meant (the max UUID of RFC 9562); no workspace has this id, so a workspace's
 * scope never reaches them.
 * The API shows it as a null workspaceId.
 */
export const PLATFORM_WORKSPACE_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/** An alert to raise. */
export interface AlertInput {
  kind: AlertKind;
  severity: Severity;
  message: string;
  /** The workspace it concerns; null for a platform alert, which only admins see. */
  workspaceId: string | null;
  at: Date;
  /**
   * Raises the alert at most once per key and workspace: a later raise with the same key is
   * ignored. Put what makes the alert new into it (the transition, the budget window).
   */
  dedupeKey?: string | null;
  details?: Record<string, unknown> | null;
  /** A RULE alert's rule. */
  ruleId?: string | null;
  /**
   * The channels it is delivered to: null for every enabled channel of the workspace (the
   * built-in alerts), a list for a rule's own channels.
   */
  channelIds?: string[] | null;
}

/** A stored alert's row (ALERT_COLUMNS) as services and PubSub carry it. */
export function toAlertRecord(row: Record<string, unknown>): AlertRecord {
  const workspaceId = String(row.workspace_id);
  return {
    id: String(row.id),
    kind: row.kind as AlertKind,
    severity: row.severity as Severity,
    message: String(row.message),
    workspaceId: workspaceId === PLATFORM_WORKSPACE_ID ? null : workspaceId,
    at: new Date(row.raised_at as string | Date).toISOString(),
    ruleId: row.rule_id ? String(row.rule_id) : null,
    resolvedAt: row.resolved_at ? new Date(row.resolved_at as string | Date).toISOString() : null,
  };
}

/** The columns an {@link AlertRecord} is read from. */
export const ALERT_COLUMNS = 'workspace_id, id, kind, severity, message, raised_at, rule_id, resolved_at';

const RAISE_STEPS = new LockSteps(['alerts', 'deliveries']);

/**
 * Stores an alert and, in the same statement, its deliveries (the outbox: a committed alert is
 * never without them); null when one with the same dedupe key was stored before. Use it inside
 * a transaction and call {@link publishAlert} after the commit; otherwise use {@link raiseAlert}.
 */
export async function insertAlert(db: Db, alert: AlertInput): Promise<AlertRecord | null> {
  const rows: Record<string, unknown>[] = await db.query(
    `WITH ${RAISE_STEPS.name('alerts')} AS (
       INSERT INTO alerts (workspace_id, kind, severity, message, dedupe_key, details, raised_at, rule_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
       ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING ${ALERT_COLUMNS}
     ), ${RAISE_STEPS.name('deliveries')} AS (
       ${deliveriesOf(RAISE_STEPS, 'RAISED', '$9::uuid[]')}
     )
     SELECT * FROM ${RAISE_STEPS.name('alerts')}`,
    [
      alert.workspaceId ?? PLATFORM_WORKSPACE_ID,
      alert.kind,
      alert.severity,
      alert.message,
      alert.dedupeKey ?? null,
      alert.details ? JSON.stringify(alert.details) : null,
      alert.at.toISOString(),
      alert.ruleId ?? null,
      alert.channelIds ?? null,
    ],
  );
  return rows[0] ? toAlertRecord(rows[0]) : null;
}

/**
 * The INSERT of a statement's deliveries step: one PENDING delivery of `event` for each alert
 * its alerts step returned, to each enabled channel of the alert's workspace that `channels`
 * (a uuid[] expression; NULL for all of them) names.
 */
export function deliveriesOf(steps: LockSteps, event: 'RAISED' | 'RESOLVED', channels: string): string {
  return `INSERT INTO deliveries (workspace_id, id, channel_id, alert_id, event)
       SELECT a.workspace_id, gen_random_uuid(), c.id, a.id, '${event}'
       FROM ${steps.name('alerts')} a JOIN notification_channels c ON c.workspace_id = a.workspace_id
       WHERE ${steps.after('deliveries')} AND c.enabled AND (${channels} IS NULL OR c.id = ANY(${channels}))
       RETURNING workspace_id`;
}

/** The channels alert `a` was raised to, as a uuid[] expression for {@link deliveriesOf}: where its resolution goes. */
export const RAISED_TO = `ARRAY(SELECT d.channel_id FROM deliveries d WHERE d.workspace_id = a.workspace_id AND d.alert_id = a.id AND d.event = 'RAISED')`;

const RESOLVE_STEPS = new LockSteps(['alerts', 'deliveries']);

/**
 * Resolves an open alert in scope by hand, and delivers the resolution where the alert went,
 * in one statement. An alert resolved before comes back as it is.
 */
export async function resolveAlert(db: Db, scope: Scope, id: string, now: Date): Promise<AlertRecord> {
  if (!/^[0-9]{1,18}$/.test(id)) throw badInput(`id must be the id of an alert, but got ${JSON.stringify(id)}`);
  const inScope = scope.kind === 'all' ? 'true' : 'workspace_id = $3';
  const params = scope.kind === 'all' ? [id, now.toISOString()] : [id, now.toISOString(), scope.workspaceId];
  const rows: Record<string, unknown>[] = await db.query(
    `WITH ${RESOLVE_STEPS.name('alerts')} AS (
       UPDATE alerts SET resolved_at = $2 WHERE id = $1 AND ${inScope} AND resolved_at IS NULL RETURNING ${ALERT_COLUMNS}
     ), ${RESOLVE_STEPS.name('deliveries')} AS (
       ${deliveriesOf(RESOLVE_STEPS, 'RESOLVED', RAISED_TO)}
     )
     SELECT * FROM ${RESOLVE_STEPS.name('alerts')}`,
    params,
  );
  if (rows[0]) return toAlertRecord(rows[0]);
  const before: Record<string, unknown>[] =
    scope.kind === 'all'
      ? await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id])
      : await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1 AND workspace_id = $2`, [id, scope.workspaceId]);
  if (!before[0]) throw badInput(`id must be the id of an alert in scope, but no alert here has id ${id}`);
  return toAlertRecord(before[0]);
}

/** Tells `alertRaised` subscribers about a stored alert, and delivery workers that its deliveries are due. */
export function publishAlert(pubsub: AppPubSub, alert: AlertRecord): void {
  pubsub.publish('ALERT_RAISED', alert);
  if (alert.workspaceId) pubsub.publish('DELIVERIES_DUE', { workspaceId: alert.workspaceId });
}

/** Publishes many alerts (a check over thousands of workspaces) without overflowing a subscriber (see publishInTurns). */
export async function publishAlerts(pubsub: AppPubSub, alerts: AlertRecord[]): Promise<void> {
  await publishInTurns(alerts, (alert) => publishAlert(pubsub, alert));
}

/**
 * Stores an alert and tells subscribers, once per dedupe key: the one way any feature raises
 * an alert (heartbeats, error spikes, cost anomalies, budget thresholds). `db` must not be an
 * open transaction (subscribers would hear of a row that may roll back): there, use
 * {@link insertAlert} and {@link publishAlert} after the commit.
 * @returns the stored alert, or null when the dedupe key was already used.
 */
export async function raiseAlert(db: Db, pubsub: AppPubSub, alert: AlertInput): Promise<AlertRecord | null> {
  const stored = await insertAlert(db, alert);
  if (stored) publishAlert(pubsub, stored);
  return stored;
}

/** Platform alerts reach admins only; a workspace's alerts reach whoever's scope covers that workspace. */
export function alertVisibleTo(alert: AlertRecord, role: Role, scope: Scope): boolean {
  if (alert.workspaceId === null) return role === 'ADMIN';
  return scope.kind === 'all' || scope.workspaceId === alert.workspaceId;
}

export const DEFAULT_ALERT_LIMIT = 50;
export const MAX_ALERT_LIMIT = 500;

/** The newest alerts the viewer may see, newest first (see {@link alertVisibleTo}). */
export async function listAlerts(db: Db, role: Role, scope: Scope, limit: number | null | undefined): Promise<AlertRecord[]> {
  const count = limit ?? DEFAULT_ALERT_LIMIT;
  if (!Number.isInteger(count) || count < 1 || count > MAX_ALERT_LIMIT) {
    throw badInput(`limit must be from 1 to ${MAX_ALERT_LIMIT}, but got ${count}`);
  }
  const columns = ALERT_COLUMNS;
  if (scope.kind === 'all') {
    const rows: Record<string, unknown>[] = await db.query(`SELECT ${columns} FROM alerts ORDER BY raised_at DESC, id DESC LIMIT $1`, [count]);
    return rows.map(toAlertRecord);
  }
  const workspaces = role === 'ADMIN' ? [scope.workspaceId, PLATFORM_WORKSPACE_ID] : [scope.workspaceId];
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${columns} FROM alerts WHERE workspace_id = ANY($1::uuid[]) ORDER BY raised_at DESC, id DESC LIMIT $2`,
    [workspaces, count],
  );
  return rows.map(toAlertRecord);
}
