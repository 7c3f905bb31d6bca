import type { Viewer } from '../auth/auth.service';
import { MAX_RETENTION_DAYS } from '../config';
import type { Db } from '../db/db';
import type { PlatformDb } from '../db/platform-db';
import { badInput, forbidden } from '../graphql/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Raw calls are deleted this many at a time: each batch is a short transaction of its own. @default */
export const RETENTION_BATCH = 2_000;

/** A workspace's retention as stored: its own choice, once it made one, wins over the platform default. */
export interface RetentionSetting {
  retentionDays: number | null;
  retentionSet: boolean;
}

/** The days raw calls are kept, or null for ever: the workspace's choice, else the platform's (TALLY_RETENTION_DAYS). */
export function effectiveRetentionDays(setting: RetentionSetting, platformDefault: number | null): number | null {
  return setting.retentionSet ? setting.retentionDays : platformDefault;
}

/**
 * The cut a retention of `days` makes at `now`: raw calls before it go. Taken back to a whole
 * hour, so what the rollups answer for the hours before it is what the raw calls summed.
 */
export function retentionCut(days: number, now: Date): Date {
  return new Date(Math.floor((now.getTime() - days * DAY_MS) / HOUR_MS) * HOUR_MS);
}

/** Checks a retention's days: null (for ever) or a whole number from 1 to MAX_RETENTION_DAYS. */
export function checkRetentionDays(days: number | null): void {
  if (days === null) return;
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw badInput(`days must be a whole number from 1 to ${MAX_RETENTION_DAYS}, or null to keep raw calls for ever, but got ${days}`);
  }
}

/** Checks that `viewer` may change `workspaceId`'s retention: an admin any, anyone else its own. */
function checkRetentionAuthority(viewer: Viewer, workspaceId: string): void {
  if (!UUID.test(workspaceId)) throw badInput(`workspaceId must be a workspace id, but got "${workspaceId}"`);
  if (viewer.role !== 'ADMIN' && workspaceId !== viewer.workspaceId) {
    throw forbidden(`A ${viewer.role.toLowerCase()} key sets the retention of its own workspace (${viewer.workspaceId}) only, but got ${workspaceId}`);
  }
}

/** Stores a workspace's retention (null: for ever); the retention worker applies it. */
export async function setRetention(db: Db, viewer: Viewer, workspaceId: string, days: number | null): Promise<void> {
  checkRetentionAuthority(viewer, workspaceId);
  checkRetentionDays(days);
  const rows: unknown[] = await db.query(`UPDATE workspaces SET retention_days = $2, retention_set = true WHERE id = $1 RETURNING id`, [workspaceId, days]);
  if (rows.length === 0) throw badInput(`workspaceId must name an existing workspace, but got "${workspaceId}"`);
}

/** What a retention would delete now: the cut, and the raw calls before it. */
export interface RetentionPreviewValues {
  /** Raw calls before this go; null when the retention keeps them for ever. */
  cut: Date | null;
  /** Raw calls before the cut, as stored now. */
  calls: number;
  /** The oldest of them. */
  oldestCall: Date | null;
}

/** What setting `days` on `workspaceId` would delete at `now`, through a db that may read it. */
export async function previewRetention(db: Db, viewer: Viewer, workspaceId: string, days: number | null, now: Date): Promise<RetentionPreviewValues> {
  checkRetentionAuthority(viewer, workspaceId);
  checkRetentionDays(days);
  if (days === null) return { cut: null, calls: 0, oldestCall: null };
  const cut = retentionCut(days, now);
  const [row]: { n: string; oldest: Date | null }[] = await db.query(
    `SELECT count(*) AS n, min(occurred_at) AS oldest FROM llm_usage WHERE workspace_id = $1 AND occurred_at < $2`,
    [workspaceId, cut],
  );
  return { cut, calls: Number(row.n), oldestCall: row.oldest };
}

/** Tuning of a retention run. */
export interface RetentionOptions {
  /** Raw calls deleted per transaction. @default RETENTION_BATCH */
  batchSize?: number;
  /** Runs between batches, so that ingest and reads get the disk and the locks in between (a pause in production). */
  betweenBatches?: () => Promise<void>;
  /** Called once a workspace's cut has moved, before any of its rows is deleted: readers must stop reading raw rows before it. */
  onCut?: (workspaceId: string) => void | Promise<void>;
}

/** What a run did. */
export interface RetentionRun {
  workspaces: number;
  deleted: number;
}

/**
 * Applies every workspace's retention at `now`: moves its cut (raw_kept_from) forward first, so
 * the metrics engine reads rollups before it from then on, then deletes its raw calls before the
 * cut in small batches, each a short transaction of its own on the platform path. A run that
 * stopped half way is finished by the next one, which deletes before the stored cut too.
 */
export async function applyRetention(platform: PlatformDb, now: Date, platformDefault: number | null, options: RetentionOptions = {}): Promise<RetentionRun> {
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const workspaces: { id: string; days: number | null; kept_from: Date | null }[] = await platform.query(
    `SELECT id, CASE WHEN retention_set THEN retention_days ELSE $1::int END AS days, raw_kept_from AS kept_from FROM workspaces ORDER BY id`,
    [platformDefault],
  );
  const run: RetentionRun = { workspaces: 0, deleted: 0 };
  for (const workspace of workspaces) {
    let cut = workspace.kept_from;
    if (workspace.days !== null) {
      const wanted = retentionCut(workspace.days, now);
      if (!cut || wanted > cut) {
        await platform.query(`UPDATE workspaces SET raw_kept_from = $2 WHERE id = $1 AND (raw_kept_from IS NULL OR raw_kept_from < $2)`, [workspace.id, wanted]);
        cut = wanted;
        await options.onCut?.(workspace.id);
      }
    }
    if (!cut) continue;
    run.workspaces++;
    run.deleted += await deleteRawCallsBefore(platform, workspace.id, cut, batchSize, options.betweenBatches);
  }
  return run;
}

/** Deletes a workspace's raw calls before `cut`, `batchSize` at a time; answers how many went. */
async function deleteRawCallsBefore(platform: PlatformDb, workspaceId: string, cut: Date, batchSize: number, between?: () => Promise<void>): Promise<number> {
  let deleted = 0;
  for (;;) {
    // The batch is found down the (workspace_id, occurred_at) index and deleted by row address:
    // each transaction touches `batchSize` rows, however many remain.
    const rows: unknown[] = await platform.query(
      `DELETE FROM llm_usage WHERE workspace_id = $1 AND occurred_at < $2 AND ctid = ANY(ARRAY(
         SELECT ctid FROM llm_usage WHERE workspace_id = $1 AND occurred_at < $2 LIMIT $3)) RETURNING 1`,
      [workspaceId, cut, batchSize],
    );
    deleted += rows.length;
    if (rows.length < batchSize) return deleted;
    await between?.();
  }
}
