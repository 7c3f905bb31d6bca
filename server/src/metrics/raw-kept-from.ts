import { LRUCache } from 'lru-cache';
import type { Db } from '../db/db';
import type { Scope } from './metrics.model';

/**
 * How long an instance trusts what it read of a scope's cut: retention moves it at most hourly,
 * and the instance that moves it tells every other one (RAW_CALLS_CUT) before deleting a row.
 */
const KEPT_FROM_TTL_MS = 30_000;
const keptFrom = new LRUCache<string, { at: number | null }>({ max: 10_000, ttl: KEPT_FROM_TTL_MS });

const keyOf = (scope: Scope): string => (scope.kind === 'workspace' ? scope.workspaceId : '*');

/**
 * Where a scope's raw calls start (ms), or null when every raw call is kept: the latest cut
 * retention applied among its workspaces (scope __all__: any workspace's, so a range that
 * reaches before it is read from rollups for every workspace alike).
 */
export async function rawKeptFrom(db: Db, scope: Scope): Promise<number | null> {
  const key = keyOf(scope);
  const cached = keptFrom.get(key);
  if (cached) return cached.at;
  const rows: { at: Date | null }[] =
    scope.kind === 'workspace'
      ? await db.query(`SELECT max(raw_kept_from) AS at FROM workspaces WHERE id = $1`, [scope.workspaceId])
      : await db.query(`SELECT max(raw_kept_from) AS at FROM workspaces`);
  const at = rows[0]?.at ? new Date(rows[0].at).getTime() : null;
  keptFrom.set(key, { at });
  return at;
}

/** Forgets a workspace's cut (and every workspace's together): retention has just moved it. */
export function forgetRawKeptFrom(workspaceId: string): void {
  keptFrom.delete(workspaceId);
  keptFrom.delete('*');
}
