import type { Db } from '../db/db';
import { Params } from '../db/db';
import { badInput } from '../graphql/errors';
import { CALL_BOUNDS } from '../ingest/call-bounds';
import type { Scope, TimeRange } from '../metrics/metrics.model';

export const DEFAULT_SESSIONS_LIMIT = 50;
export const MAX_SESSIONS_LIMIT = 200;

export interface UserSessionRecord {
  /** The calls' sessionId; null for the user's calls that name none (listed after the sessions). */
  sessionId: string | null;
  calls: number;
  errors: number;
  /** Summed by PostgreSQL in numeric, as text. */
  totalCost: string;
  /** Most called first. */
  models: string[];
  firstCallAt: Date;
  lastCallAt: Date;
}

export interface UserSessionsRecord {
  /** The user's sessions in the range (its calls without a sessionId are none). */
  total: number;
  /** The latest `limit` groups: the sessions, the most recent last call first, then the calls without one. */
  sessions: UserSessionRecord[];
}

/**
 * An end user's calls in `range` grouped by session, in one statement over the raw rows (found
 * through the index on workspace, user and time): each session's calls, failures, cost (summed in
 * numeric), models and first and last call, the latest first, and how many sessions there are.
 */
export async function userSessions(db: Db, scope: Scope, userId: string, range: TimeRange, limit = DEFAULT_SESSIONS_LIMIT): Promise<UserSessionsRecord> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SESSIONS_LIMIT) throw badInput(`limit must be from 1 to ${MAX_SESSIONS_LIMIT}, but got ${limit}`);
  if (userId.length > CALL_BOUNDS.maxAttributionIdLength) throw badInput(`userId must be at most ${CALL_BOUNDS.maxAttributionIdLength} characters, but got ${userId.length}`);
  const params = new Params();
  const where = [
    ...(scope.kind === 'workspace' ? [`workspace_id = ${params.add(scope.workspaceId)}::uuid`] : []),
    `user_id = ${params.add(userId)}`,
    `occurred_at >= ${params.add(range.from.toISOString())}::timestamptz`,
    `occurred_at < ${params.add(range.to.toISOString())}::timestamptz`,
  ];
  const rows: Record<string, unknown>[] = await db.query(
    `WITH calls AS (SELECT session_id, model_id, status, total_cost, occurred_at FROM llm_usage WHERE ${where.join(' AND ')}),
     per_model AS (SELECT session_id, model_id, count(*) AS calls FROM calls GROUP BY 1, 2),
     sessions AS (
       SELECT session_id, count(*)::int AS calls, (count(*) FILTER (WHERE status = 'ERROR'))::int AS errors, sum(total_cost)::text AS total_cost,
         min(occurred_at) AS first_call_at, max(occurred_at) AS last_call_at
       FROM calls GROUP BY session_id)
     SELECT s.*, count(s.session_id) OVER ()::int AS total,
       (SELECT array_agg(m.model_id ORDER BY m.calls DESC, m.model_id) FROM per_model m WHERE m.session_id IS NOT DISTINCT FROM s.session_id) AS models
     FROM sessions s ORDER BY s.session_id IS NULL, s.last_call_at DESC, s.session_id LIMIT ${params.add(limit)}`,
    params.values,
  );
  return {
    total: rows.length > 0 ? (rows[0].total as number) : 0,
    sessions: rows.map((row) => ({
      sessionId: (row.session_id as string | null) ?? null,
      calls: row.calls as number,
      errors: row.errors as number,
      totalCost: row.total_cost as string,
      models: row.models as string[],
      firstCallAt: row.first_call_at as Date,
      lastCallAt: row.last_call_at as Date,
    })),
  };
}
