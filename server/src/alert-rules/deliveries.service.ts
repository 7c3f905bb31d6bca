import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import type { SealedKey } from '../keys/provider-key-cipher';
import type { Scope } from '../metrics/metrics.model';
import type { AlertRecord } from '../monitoring/alert.record';
import { ALERT_COLUMNS, toAlertRecord } from '../monitoring/alerts.service';
import type { ChannelKind } from './channels.service';
import { isUuid, RULE_COLUMNS, toRuleRecord, type AlertRuleRecord } from './rules.service';

export const DELIVERY_STATUSES = ['PENDING', 'SENT', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_EVENTS = ['RAISED', 'RESOLVED', 'TEST'] as const;
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];

/**
 * The waits before each retry of a delivery that failed: after the last, it is FAILED. Kept in
 * the row (next_attempt_at), so a restart or another instance goes on where the last left off.
 */
export const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000, 3_600_000] as const;
/** How long a claimed delivery is left to its sender before another worker may take it (a sender that died). */
export const CLAIM_LEASE_MS = 60_000;

export interface DeliveryRecord {
  id: string;
  channelId: string;
  alertId: string | null;
  /** What it announced: an alert raised, an alert resolved, or a test of the channel. */
  event: DeliveryEvent;
  /** The alert it announced; null for a test. */
  alert: AlertRecord | null;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

const COLUMNS = 'workspace_id::text, id::text, channel_id::text, alert_id, event, status, attempts, last_error, created_at, delivered_at';

/** The alert a delivery row announced; null for a test. */
const alertIdOf = (row: Record<string, unknown>): string | null => (row.alert_id === null || row.alert_id === undefined ? null : String(row.alert_id));

const toRecord = (row: Record<string, unknown>, alerts: ReadonlyMap<string, AlertRecord>): DeliveryRecord => ({
  id: String(row.id),
  channelId: String(row.channel_id),
  alertId: alertIdOf(row),
  event: row.event as DeliveryEvent,
  alert: alerts.get(alertIdOf(row) ?? '') ?? null,
  status: row.status as DeliveryStatus,
  attempts: Number(row.attempts),
  lastError: (row.last_error as string | null) ?? null,
  createdAt: new Date(row.created_at as string),
  deliveredAt: row.delivered_at ? new Date(row.delivered_at as string) : null,
});

export const DEFAULT_DELIVERY_LIMIT = 50;
export const MAX_DELIVERY_LIMIT = 500;

/** The newest deliveries in scope, newest first. */
export async function listDeliveries(db: Db, scope: Scope, limit: number | null | undefined): Promise<DeliveryRecord[]> {
  const count = limit ?? DEFAULT_DELIVERY_LIMIT;
  if (!Number.isInteger(count) || count < 1 || count > MAX_DELIVERY_LIMIT) {
    throw badInput(`limit must be from 1 to ${MAX_DELIVERY_LIMIT}, but got ${count}`);
  }
  const rows: Record<string, unknown>[] =
    scope.kind === 'all'
      ? await db.query(`SELECT ${COLUMNS} FROM deliveries ORDER BY created_at DESC, id LIMIT $1`, [count])
      : await db.query(`SELECT ${COLUMNS} FROM deliveries WHERE workspace_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [scope.workspaceId, count]);
  return withAlerts(db, rows);
}

/** Delivery rows as records, with the alerts they announced (each of its delivery's workspace) read in one statement. */
async function withAlerts(db: Db, rows: Record<string, unknown>[]): Promise<DeliveryRecord[]> {
  const announcing = rows.filter((row) => alertIdOf(row) !== null);
  const alerts: Record<string, unknown>[] =
    announcing.length > 0
      ? await db.query(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE (workspace_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::bigint[]))`, [
          announcing.map((row) => row.workspace_id),
          announcing.map(alertIdOf),
        ])
      : [];
  const byId = new Map(alerts.map(toAlertRecord).map((alert) => [alert.id, alert]));
  return rows.map((row) => toRecord(row, byId));
}

/** Writes a TEST delivery to one channel of the workspace; BAD_USER_INPUT when it has no channel with that id. */
export async function enqueueTestDelivery(db: Db, workspaceId: string, channelId: string): Promise<string> {
  if (!isUuid(channelId)) throw badInput(`id must be the id of a notification channel, but got ${JSON.stringify(channelId)}`);
  const rows: { id: string }[] = await db.query(
    `INSERT INTO deliveries (workspace_id, id, channel_id, event)
     SELECT workspace_id, $3, id, 'TEST' FROM notification_channels WHERE workspace_id = $1 AND id = $2
     RETURNING id::text`,
    [workspaceId, channelId, randomUUID()],
  );
  if (rows.length === 0) throw badInput(`id must be the id of a notification channel of this workspace, but no channel here has id ${channelId}`);
  return rows[0].id;
}

export async function getDelivery(db: Db, workspaceId: string, id: string): Promise<DeliveryRecord> {
  const rows: Record<string, unknown>[] = await db.query(`SELECT ${COLUMNS} FROM deliveries WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  const [delivery] = await withAlerts(db, rows);
  return delivery;
}

/** A delivery taken by a worker: what to send, and where. */
export interface ClaimedDelivery {
  workspaceId: string;
  id: string;
  event: DeliveryEvent;
  /** This attempt's number, from 1. */
  attempt: number;
  channel: { id: string; kind: ChannelKind; name: string; enabled: boolean; sealed: SealedKey };
  alert: AlertRecord | null;
  rule: AlertRuleRecord | null;
  /** A RULE alert's value when it fired. */
  value: number | null;
}

/**
 * Takes up to `limit` due deliveries (or the one `only` names, when it is due) for this worker:
 * their rows are locked with SKIP LOCKED, so two workers never take the same one, and each is
 * leased for CLAIM_LEASE_MS, counted as an attempt. A worker that dies while sending leaves its
 * deliveries to be taken again once the lease ends: at least once, across restarts.
 */
export async function claimDueDeliveries(db: Db, limit: number, only?: { workspaceId: string; id: string }): Promise<ClaimedDelivery[]> {
  const which = only ? `AND workspace_id = $3 AND id = $4` : '';
  const rows: Record<string, unknown>[] = await db.query(
    `WITH due AS (
       SELECT workspace_id, id FROM deliveries WHERE status = 'PENDING' AND next_attempt_at <= now() ${which}
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
     ), locked_deliveries AS (
       UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
       FROM due WHERE d.workspace_id = due.workspace_id AND d.id = due.id
       RETURNING d.workspace_id, d.id, d.channel_id, d.alert_id, d.event, d.attempts
     )
     SELECT l.workspace_id, l.id::text AS delivery_id, l.event, l.attempts, l.channel_id::text,
       c.kind AS channel_kind, c.name AS channel_name, c.enabled AS channel_enabled, c.key_version, c.iv, c.ciphertext, c.auth_tag,
       to_jsonb(a) AS alert, to_jsonb(r) AS rule
     FROM locked_deliveries l
     JOIN notification_channels c ON c.workspace_id = l.workspace_id AND c.id = l.channel_id
     LEFT JOIN LATERAL (SELECT ${ALERT_COLUMNS}, details FROM alerts WHERE workspace_id = l.workspace_id AND id = l.alert_id) a ON true
     LEFT JOIN LATERAL (SELECT ${RULE_COLUMNS} FROM alert_rules WHERE workspace_id = l.workspace_id AND id = a.rule_id) r ON true`,
    only ? [limit, CLAIM_LEASE_MS, only.workspaceId, only.id] : [limit, CLAIM_LEASE_MS],
  );
  return rows.map((row) => ({
    workspaceId: String(row.workspace_id),
    id: String(row.delivery_id),
    event: row.event as DeliveryEvent,
    attempt: Number(row.attempts),
    channel: {
      id: String(row.channel_id),
      kind: row.channel_kind as ChannelKind,
      name: String(row.channel_name),
      enabled: Boolean(row.channel_enabled),
      sealed: { keyVersion: Number(row.key_version), iv: row.iv as Buffer, ciphertext: row.ciphertext as Buffer, authTag: row.auth_tag as Buffer },
    },
    alert: row.alert ? toAlertRecord(row.alert as Record<string, unknown>) : null,
    rule: row.rule ? toRuleRecord(row.rule as Record<string, unknown>) : null,
    value: typeof (row.alert as { details?: { value?: unknown } } | null)?.details?.value === 'number' ? (row.alert as { details: { value: number } }).details.value : null,
  }));
}

/** Marks a delivery sent. */
export async function markSent(db: Db, delivery: ClaimedDelivery): Promise<void> {
  await db.query(`UPDATE deliveries SET status = 'SENT', delivered_at = now(), last_error = NULL WHERE workspace_id = $1 AND id = $2`, [
    delivery.workspaceId,
    delivery.id,
  ]);
}

/** Records a failed attempt: due again after the next wait of RETRY_DELAYS_MS, or FAILED after the last. */
export async function markFailed(db: Db, delivery: ClaimedDelivery, error: string): Promise<DeliveryStatus> {
  const delay = RETRY_DELAYS_MS[delivery.attempt - 1];
  const status: DeliveryStatus = delay === undefined ? 'FAILED' : 'PENDING';
  await db.query(
    `UPDATE deliveries SET status = $3, last_error = $4, next_attempt_at = now() + $5 * interval '1 millisecond' WHERE workspace_id = $1 AND id = $2`,
    [delivery.workspaceId, delivery.id, status, error.slice(0, 500), delay ?? 0],
  );
  return status;
}
