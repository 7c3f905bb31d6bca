import type { Role } from '../auth/auth.service';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';
import type { AppPubSub } from '../pubsub/pubsub';

export const ALERT_KINDS = ['HEARTBEAT_STALE', 'COST_ANOMALY', 'ERROR_SPIKE', 'BUDGET_THRESHOLD'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

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
}

/** A stored alert as services and PubSub carry it: plain, serialisable values. */
export interface AlertRecord {
  id: string;
  kind: AlertKind;
  severity: Severity;
  message: string;
  workspaceId: string | null;
  at: string;
}

function toAlertRecord(row: Record<string, unknown>): AlertRecord {
  const workspaceId = String(row.workspace_id);
  return {
    id: String(row.id),
    kind: row.kind as AlertKind,
    severity: row.severity as Severity,
    message: String(row.message),
    workspaceId: workspaceId === PLATFORM_WORKSPACE_ID ? null : workspaceId,
    at: new Date(row.raised_at as string | Date).toISOString(),
  };
}

const RETURNING = 'RETURNING workspace_id, id, kind, severity, message, raised_at';

/**
 * Stores an alert; null when one with the same dedupe key was stored before. Use it inside a
 * transaction and call {@link publishAlert} after the commit; otherwise use {@link raiseAlert}.
 */
export async function insertAlert(db: Db, alert: AlertInput): Promise<AlertRecord | null> {
  const rows: Record<string, unknown>[] = await db.query(
    `INSERT INTO alerts (workspace_id, kind, severity, message, dedupe_key, details, raised_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
     ON CONFLICT (workspace_id, dedupe_key) DO NOTHING ${RETURNING}`,
    [
      alert.workspaceId ?? PLATFORM_WORKSPACE_ID,
      alert.kind,
      alert.severity,
      alert.message,
      alert.dedupeKey ?? null,
      alert.details ? JSON.stringify(alert.details) : null,
      alert.at.toISOString(),
    ],
  );
  return rows[0] ? toAlertRecord(rows[0]) : null;
}

/** Tells `alertRaised` subscribers about a stored alert. */
export function publishAlert(pubsub: AppPubSub, alert: AlertRecord): void {
  pubsub.publish('ALERT_RAISED', alert);
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
  const columns = 'workspace_id, id, kind, severity, message, raised_at';
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
