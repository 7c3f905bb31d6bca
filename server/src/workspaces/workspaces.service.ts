import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';

export interface WorkspaceRecord {
  id: string;
  name: string;
  plan: string;
  timezone: string;
  createdAt: Date;
  /** The workspace's own retention in days (null: for ever), once `retentionSet`; else the platform's applies. */
  retentionDays: number | null;
  retentionSet: boolean;
  /** Raw calls before this were deleted by retention; null when none was. */
  rawKeptFrom: Date | null;
}

const PLAN = /^[a-z][a-z0-9_-]{0,31}$/;

interface WorkspaceRow {
  id: string;
  name: string;
  plan: string;
  timezone: string;
  created_at: Date;
  retention_days: number | null;
  retention_set: boolean;
  raw_kept_from: Date | null;
}

const COLUMNS = 'id, name, plan, timezone, created_at, retention_days, retention_set, raw_kept_from';

const toRecord = (r: WorkspaceRow): WorkspaceRecord => ({
  id: r.id,
  name: r.name,
  plan: r.plan,
  timezone: r.timezone,
  createdAt: r.created_at,
  retentionDays: r.retention_days,
  retentionSet: r.retention_set,
  rawKeptFrom: r.raw_kept_from,
});

export async function createWorkspace(db: Db, name: string, plan: string | null | undefined, id: string = randomUUID()): Promise<WorkspaceRecord> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) throw badInput(`name must be 1 to 200 characters, but got ${trimmed.length}`);
  const chosenPlan = (plan ?? 'free').trim().toLowerCase();
  if (!PLAN.test(chosenPlan)) throw badInput(`plan must be a short lower-case word such as "free" or "pro", but got ${JSON.stringify(plan)}`);
  const rows: WorkspaceRow[] = await db.query(
    `INSERT INTO workspaces (id, name, plan) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [id, trimmed, chosenPlan],
  );
  return toRecord(rows[0]);
}

export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRecord | null> {
  const rows: WorkspaceRow[] = await db.query(`SELECT ${COLUMNS} FROM workspaces WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export const MAX_WORKSPACES_LIMIT = 1000;

export interface WorkspaceListQuery {
  /** Part of the name, any case. */
  search?: string | null;
  limit?: number | null;
  /** The cursor of the last workspace of the previous page (`workspaceCursor`). */
  after?: string | null;
}

/** Where a page ends: the name and id of its last workspace, the order the list is in. */
export const workspaceCursor = (w: Pick<WorkspaceRecord, 'id' | 'name'>): string => Buffer.from(JSON.stringify([w.name, w.id])).toString('base64url');

function parseCursor(after: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && /^[0-9a-f-]{36}$/i.test(parsed[1])) {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // reported below
  }
  throw badInput(`after must be the cursor of a workspace from an earlier page, but got ${JSON.stringify(after.slice(0, 60))}`);
}

/** Workspaces by name (then id), every one by default; searched by part of the name and paged when asked. */
export async function listWorkspaces(db: Db, query: WorkspaceListQuery = {}): Promise<WorkspaceRecord[]> {
  const { search, limit, after } = query;
  if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_WORKSPACES_LIMIT)) {
    throw badInput(`limit must be from 1 to ${MAX_WORKSPACES_LIMIT}, but got ${limit}`);
  }
  if (search && search.length > 200) throw badInput(`search must be at most 200 characters, but got ${search.length}`);
  const params: unknown[] = [];
  const add = (value: unknown): string => `$${params.push(value)}`;
  const where: string[] = [];
  if (search?.trim()) where.push(`name ILIKE ${add(`%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (after) {
    const [name, id] = parseCursor(after);
    where.push(`(name, id) > (${add(name)}, ${add(id)}::uuid)`);
  }
  const rows: WorkspaceRow[] = await db.query(
    `SELECT ${COLUMNS} FROM workspaces ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY name, id ${limit ? `LIMIT ${add(limit)}` : ''}`,
    params,
  );
  return rows.map(toRecord);
}
