import type { PlatformDb } from '../db/platform-db';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import type { AlertRecord } from './alert.record';
import { insertAlert, publishAlerts } from './alerts.service';
import type { HeartbeatRecord, HeartbeatStatus } from './heartbeat.record';

/** The interval a beat promises when it names none. */
export const DEFAULT_BEAT_INTERVAL_SECONDS = 30;
export const MAX_BEAT_INTERVAL_SECONDS = 86_400;
/** No heartbeat turns STALE sooner than this after its last beat (HEARTBEAT_STALE_AFTER_MS). */
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;
const MAX_NAME_LENGTH = 128;
const MAX_META_LENGTH = 4096;
/** STOPPED heartbeats are forgotten this long after they stopped. */
const STOPPED_KEPT_MS = 7 * 24 * 3_600_000;
/** Held (per transaction) by the one gateway instance that runs the stale check. */
export const STALE_CHECK_LOCK = 5_764_201_901;

/** How long after its last beat a heartbeat turns STALE: two intervals, and never less than `minimumMs`. */
export function staleAfterMs(intervalSeconds: number, minimumMs: number): number {
  return Math.max(2 * intervalSeconds * 1000, minimumMs);
}

export type HeartbeatEvent = 'beat' | 'stop' | 'check';

/**
 * The heartbeat state machine. A beat makes any heartbeat ALIVE; a stop makes it STOPPED; a
 * check turns an ALIVE heartbeat STALE once no beat came for {@link staleAfterMs}. STOPPED
 * never turns STALE: the worker said it was leaving. The SQL in {@link HeartbeatService}
 * applies the same rules to stored rows.
 */
export function nextHeartbeatStatus(
  current: { status: HeartbeatStatus; lastBeatAt: Date; intervalSeconds: number } | null,
  event: HeartbeatEvent,
  now: Date,
  minimumStaleMs: number,
): HeartbeatStatus | null {
  if (event === 'beat') return 'ALIVE';
  if (!current) return null;
  if (event === 'stop') return 'STOPPED';
  const overdue = now.getTime() - current.lastBeatAt.getTime() > staleAfterMs(current.intervalSeconds, minimumStaleMs);
  return current.status === 'ALIVE' && overdue ? 'STALE' : current.status;
}

export interface BeatInput {
  service: string;
  instanceId: string;
  intervalSeconds?: number | null;
  meta?: unknown;
}

function checkName(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${field} must not be empty`);
  if (trimmed.length > MAX_NAME_LENGTH) throw badInput(`${field} must be at most ${MAX_NAME_LENGTH} characters, but got ${trimmed.length}`);
  return trimmed;
}

function checkBeat(input: BeatInput): { service: string; instanceId: string; intervalSeconds: number; meta: string | null } {
  const intervalSeconds = input.intervalSeconds ?? DEFAULT_BEAT_INTERVAL_SECONDS;
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1 || intervalSeconds > MAX_BEAT_INTERVAL_SECONDS) {
    throw badInput(`intervalSeconds must be a whole number from 1 to ${MAX_BEAT_INTERVAL_SECONDS}, but got ${intervalSeconds}`);
  }
  const meta = input.meta === undefined || input.meta === null ? null : JSON.stringify(input.meta);
  if (meta !== null && meta.length > MAX_META_LENGTH) {
    throw badInput(`meta must be at most ${MAX_META_LENGTH} characters of JSON, but got ${meta.length}`);
  }
  return { service: checkName('service', input.service), instanceId: checkName('instanceId', input.instanceId), intervalSeconds, meta };
}

const COLUMNS = 'service, instance_id, status, last_beat_at, interval_seconds, meta';

function toHeartbeatRecord(row: Record<string, unknown>): HeartbeatRecord {
  return {
    service: String(row.service),
    instanceId: String(row.instance_id),
    status: row.status as HeartbeatStatus,
    lastBeatAt: new Date(row.last_beat_at as string | Date).toISOString(),
    intervalSeconds: Number(row.interval_seconds),
    meta: row.meta ?? null,
  };
}

export interface StaleCheckOutcome {
  /** False when another gateway instance held the check's lock, so this one did nothing. */
  checked: boolean;
  stale: HeartbeatRecord[];
  alerts: AlertRecord[];
}

export interface HeartbeatServiceOptions {
  /** The least time without a beat before STALE. @default {@link DEFAULT_STALE_AFTER_MS} */
  minimumStaleMs?: number;
}

/**
 * Heartbeats of the platform's workers, kept in PostgreSQL so every gateway instance sees
 * the same. Heartbeats belong to the platform, not to a workspace. Every change of status is
 * published on `heartbeatChanged`; a beat that changes nothing but the time is not.
 */
export class HeartbeatService {
  readonly minimumStaleMs: number;

  constructor(
    private readonly platform: PlatformDb,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    options: HeartbeatServiceOptions = {},
  ) {
    this.minimumStaleMs = options.minimumStaleMs ?? DEFAULT_STALE_AFTER_MS;
  }

  async beat(input: BeatInput, now: Date): Promise<HeartbeatRecord> {
    const beat = checkBeat(input);
    const { heartbeat, previous } = await this.platform.transaction(async (manager) => {
      const found: { status: HeartbeatStatus }[] = await manager.query(
        `SELECT status FROM heartbeats WHERE service = $1 AND instance_id = $2 FOR UPDATE`,
        [beat.service, beat.instanceId],
      );
      const rows: Record<string, unknown>[] = await manager.query(
        `INSERT INTO heartbeats (service, instance_id, status, interval_seconds, meta, last_beat_at, status_changed_at)
         VALUES ($1, $2, 'ALIVE', $3, $4::jsonb, $5, $5)
         ON CONFLICT (service, instance_id) DO UPDATE SET
           interval_seconds = EXCLUDED.interval_seconds,
           meta = coalesce(EXCLUDED.meta, heartbeats.meta),
           last_beat_at = greatest(heartbeats.last_beat_at, EXCLUDED.last_beat_at),
           status = 'ALIVE',
           status_changed_at = CASE WHEN heartbeats.status = 'ALIVE' THEN heartbeats.status_changed_at ELSE EXCLUDED.status_changed_at END
         RETURNING ${COLUMNS}`,
        [beat.service, beat.instanceId, beat.intervalSeconds, beat.meta, now.toISOString()],
      );
      return { heartbeat: toHeartbeatRecord(rows[0]), previous: found[0]?.status ?? null };
    });
    if (previous !== 'ALIVE') this.pubsub.publish('HEARTBEAT_CHANGED', heartbeat);
    return heartbeat;
  }

  /** Marks an orderly stop: a STOPPED heartbeat never turns STALE. */
  async stop(service: string, instanceId: string, now: Date): Promise<HeartbeatRecord> {
    const { heartbeat, previous } = await this.platform.transaction(async (manager) => {
      const found: { status: HeartbeatStatus }[] = await manager.query(
        `SELECT status FROM heartbeats WHERE service = $1 AND instance_id = $2 FOR UPDATE`,
        [service.trim(), instanceId.trim()],
      );
      if (!found[0]) throw badInput(`no heartbeat has come from service "${service}" instance "${instanceId}"`);
      // UPDATE inside a CTE: TypeORM answers a bare UPDATE with [rows, count] rather than rows.
      const rows: Record<string, unknown>[] = await manager.query(
        `WITH stopped AS (
           UPDATE heartbeats SET status = 'STOPPED', status_changed_at = $3 WHERE service = $1 AND instance_id = $2 RETURNING ${COLUMNS}
         ) SELECT * FROM stopped`,
        [service.trim(), instanceId.trim(), now.toISOString()],
      );
      return { heartbeat: toHeartbeatRecord(rows[0]), previous: found[0].status };
    });
    if (previous !== 'STOPPED') this.pubsub.publish('HEARTBEAT_CHANGED', heartbeat);
    return heartbeat;
  }

  /** Every heartbeat: STALE first, then ALIVE, then STOPPED; by service and instance within each. */
  async list(db: Db = this.platform): Promise<HeartbeatRecord[]> {
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT ${COLUMNS} FROM heartbeats
       ORDER BY CASE status WHEN 'STALE' THEN 0 WHEN 'ALIVE' THEN 1 ELSE 2 END, service, instance_id`,
    );
    return rows.map(toHeartbeatRecord);
  }

  /** How many heartbeats there are and how many of them are STALE, for the health check. */
  async counts(): Promise<{ total: number; stale: number }> {
    const [row]: { total: number; stale: number }[] = await this.platform.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'STALE')::int AS stale FROM heartbeats WHERE status <> 'STOPPED'`,
    );
    return row;
  }

  /**
   * Turns overdue ALIVE heartbeats STALE, raising one HEARTBEAT_STALE alert for each
   * transition and publishing it. Runs in one gateway instance at a time: the others find
   * the lock taken and skip.
   */
  async checkStale(now: Date): Promise<StaleCheckOutcome> {
    const outcome = await this.platform.transaction(async (manager): Promise<StaleCheckOutcome> => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(`SELECT pg_try_advisory_xact_lock($1::bigint) AS locked`, [STALE_CHECK_LOCK]);
      if (!locked) return { checked: false, stale: [], alerts: [] };
      const rows: Record<string, unknown>[] = await manager.query(
        `WITH turned AS (
           UPDATE heartbeats SET status = 'STALE', status_changed_at = $1
           WHERE status = 'ALIVE'
             AND last_beat_at < $1::timestamptz - greatest(interval_seconds * 2 * interval '1 second', $2::bigint * interval '1 millisecond')
           RETURNING ${COLUMNS}
         ) SELECT * FROM turned`,
        [now.toISOString(), this.minimumStaleMs],
      );
      // Heartbeats before alerts, as LOCK_ORDER has them.
      await manager.query(`DELETE FROM heartbeats WHERE status = 'STOPPED' AND status_changed_at < $1`, [
        new Date(now.getTime() - STOPPED_KEPT_MS).toISOString(),
      ]);
      const stale = rows.map(toHeartbeatRecord);
      const alerts: AlertRecord[] = [];
      for (const heartbeat of stale) {
        const silentSeconds = Math.round((now.getTime() - Date.parse(heartbeat.lastBeatAt)) / 1000);
        const alert = await insertAlert(manager, {
          kind: 'HEARTBEAT_STALE',
          severity: 'CRITICAL',
          workspaceId: null,
          at: now,
          message: `${heartbeat.service} (${heartbeat.instanceId}) has sent no heartbeat for ${silentSeconds} s; it promised one every ${heartbeat.intervalSeconds} s`,
          dedupeKey: `heartbeat-stale:${heartbeat.service}:${heartbeat.instanceId}:${heartbeat.lastBeatAt}`,
          details: { service: heartbeat.service, instanceId: heartbeat.instanceId, lastBeatAt: heartbeat.lastBeatAt },
        });
        if (alert) alerts.push(alert);
      }
      return { checked: true, stale, alerts };
    });
    for (const heartbeat of outcome.stale) this.pubsub.publish('HEARTBEAT_CHANGED', heartbeat);
    await publishAlerts(this.pubsub, outcome.alerts);
    if (outcome.stale.length > 0) this.logger.warn({ stale: outcome.stale.map((h) => `${h.service}/${h.instanceId}`) }, 'heartbeats turned stale');
    return outcome;
  }
}

/**
 * A background service's own heartbeat: its loop calls `tick()` on every round, and a beat
 * is written when one is due. A failed beat is logged; the loop goes on.
 */
export class ServiceBeat {
  private lastBeat = -Infinity;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly heartbeats: HeartbeatService | null,
    readonly service: string,
    readonly instanceId: string,
    readonly intervalSeconds: number,
    private readonly now: () => Date,
    private readonly logger: Logger,
    private readonly meta: Record<string, unknown> = {},
  ) {}

  tick(): void {
    if (!this.heartbeats) return;
    const at = performance.now();
    if (at - this.lastBeat < this.intervalSeconds * 1000) return;
    this.lastBeat = at;
    const heartbeats = this.heartbeats;
    this.pending = this.pending
      .then(() => heartbeats.beat({ service: this.service, instanceId: this.instanceId, intervalSeconds: this.intervalSeconds, meta: this.meta }, this.now()))
      .catch((error: unknown) => this.logger.warn({ err: error, service: this.service }, 'heartbeat failed'));
  }

  /** Resolves once no beat is in flight. */
  async idle(): Promise<void> {
    await this.pending;
  }

  /** Waits for a beat in flight, then marks the service STOPPED. */
  async stop(): Promise<void> {
    if (!this.heartbeats) return;
    await this.pending;
    if (this.lastBeat === -Infinity) return;
    await this.heartbeats
      .stop(this.service, this.instanceId, this.now())
      .catch((error: unknown) => this.logger.warn({ err: error, service: this.service }, 'could not mark the service stopped'));
  }
}
