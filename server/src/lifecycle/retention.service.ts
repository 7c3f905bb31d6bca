import type { Viewer } from '../auth/auth.service';
import { MAX_RETENTION_DAYS } from '../config';
import type { Db } from '../db/db';
import { detachPartition, dropDetached, ensurePartitions, rawPartitions, type PartitionOwner, type RawPartition } from '../db/partitions';
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
  betweenBatches?: (batchMs: number) => Promise<void>;
  /** Called once a workspace's cut has moved, before any of its rows is deleted: readers must stop reading raw rows before it. */
  onCut?: (workspaceId: string) => void | Promise<void>;
}

/** What a run did. */
export interface RetentionRun {
  workspaces: number;
  /** Raw calls deleted, in dropped months and in batches. */
  deleted: number;
  /** The months of raw calls dropped whole. */
  droppedMonths: string[];
}

/** Event ids are kept this long after their calls' raw rows: a resend of a call retention took is still known as one. */
export const EVENT_ID_GRACE_DAYS = 7;

/**
 * Applies every workspace's retention at `now`: moves its cut (raw_kept_from) forward first, so
 * the metrics engine reads rollups before it from then on; then drops each past month of raw
 * calls that holds no row any workspace keeps; then deletes the raw calls before each cut that
 * remain in kept months in small batches, each a short transaction of its own on the platform
 * path, and the event ids EVENT_ID_GRACE_DAYS older than the cut. A run that stopped half way is
 * finished by the next one, which deletes before the stored cut too.
 */
export async function applyRetention(
  platform: PlatformDb,
  owner: PartitionOwner,
  now: Date,
  platformDefault: number | null,
  options: RetentionOptions = {},
): Promise<RetentionRun> {
  const batchSize = options.batchSize ?? RETENTION_BATCH;
  const workspaces: { id: string; days: number | null; kept_from: Date | null }[] = await platform.query(
    `SELECT id, CASE WHEN retention_set THEN retention_days ELSE $1::int END AS days, raw_kept_from AS kept_from FROM workspaces ORDER BY id`,
    [platformDefault],
  );
  const cuts = new Map<string, Date>();
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
    if (cut) cuts.set(workspace.id, cut);
  }
  const run: RetentionRun = { workspaces: cuts.size, deleted: 0, droppedMonths: [] };
  if (cuts.size === 0) return run;
  const kept: RawPartition[] = [];
  for (const month of await rawPartitions(owner)) {
    const dropped = month.to <= now && !(await holdsKeptCalls(platform, month)) ? await dropMonth(platform, owner, month) : null;
    if (dropped === null) {
      kept.push(month);
    } else {
      run.deleted += dropped;
      run.droppedMonths.push(month.name);
    }
  }
  for (const [workspaceId, cut] of cuts) {
    for (const month of kept.filter((m) => m.from < cut)) {
      run.deleted += await deleteInBatches(platform, month.name, workspaceId, cut, batchSize, options.betweenBatches);
    }
    const eventIdCut = new Date(cut.getTime() - EVENT_ID_GRACE_DAYS * DAY_MS);
    await deleteInBatches(platform, 'llm_usage_event_ids', workspaceId, eventIdCut, batchSize, options.betweenBatches);
  }
  return run;
}

/**
 * Detaches a month no workspace keeps a call of, looks once more (a late call may have landed
 * in it meanwhile; none can once it is detached), and drops it, or attaches it back when it
 * holds a call to keep. Answers the calls dropped, or null when it stays.
 */
async function dropMonth(platform: PlatformDb, owner: PartitionOwner, month: RawPartition): Promise<number | null> {
  await detachPartition(owner, month.name);
  if (await holdsKeptCalls(platform, month)) {
    await ensurePartitions(owner, month.from, month.from);
    return null;
  }
  const [{ n }]: { n: string }[] = await platform.query(`SELECT count(*) AS n FROM ${month.name}`);
  await dropDetached(owner, month.name);
  return Number(n);
}

/** True when a month of raw calls holds a call some workspace keeps: at or after its cut, or of a workspace that keeps all. */
async function holdsKeptCalls(platform: PlatformDb, month: RawPartition): Promise<boolean> {
  // One step down the month's (workspace_id, occurred_at) index per workspace.
  const [row]: { kept: boolean }[] = await platform.query(
    `SELECT EXISTS (SELECT 1 FROM workspaces w WHERE EXISTS (
       SELECT 1 FROM ${month.name} u WHERE u.workspace_id = w.id AND (w.raw_kept_from IS NULL OR u.occurred_at >= w.raw_kept_from))) AS kept`,
  );
  return row.kept;
}

/** Deletes a workspace's rows of `table` dated before `cut`, `batchSize` at a time; answers how many went. */
async function deleteInBatches(
  platform: PlatformDb,
  table: string,
  workspaceId: string,
  cut: Date,
  batchSize: number,
  between?: (batchMs: number) => Promise<void>,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const began = performance.now();
    // The batch is found down the (workspace_id, occurred_at) index and deleted by row address:
    // each transaction touches `batchSize` rows, however many remain.
    const rows: unknown[] = await platform.query(
      `DELETE FROM ${table} WHERE workspace_id = $1 AND occurred_at < $2 AND ctid = ANY(ARRAY(
         SELECT ctid FROM ${table} WHERE workspace_id = $1 AND occurred_at < $2 LIMIT $3)) RETURNING 1`,
      [workspaceId, cut, batchSize],
    );
    deleted += rows.length;
    if (rows.length < batchSize) return deleted;
    await between?.(performance.now() - began);
  }
}
