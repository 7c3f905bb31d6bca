import { randomUUID } from 'node:crypto';
import type { EntityAccess } from '../db/db';
import { badInput } from '../graphql/errors';
import { WorkspaceEntity } from './workspace.entity';

export type WorkspaceRecord = WorkspaceEntity;

const PLAN = /^[a-z][a-z0-9_-]{0,31}$/;

export async function createWorkspace(db: EntityAccess, name: string, plan: string | null | undefined, id: string = randomUUID()): Promise<WorkspaceRecord> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) throw badInput(`name must be 1 to 200 characters, but got ${trimmed.length}`);
  const chosenPlan = (plan ?? 'free').trim().toLowerCase();
  if (!PLAN.test(chosenPlan)) throw badInput(`plan must be a short lower-case word such as "free" or "pro", but got ${JSON.stringify(plan)}`);
  return db.entities(async (manager) => {
    const workspaces = manager.getRepository(WorkspaceEntity);
    await workspaces.insert({ id, name: trimmed, plan: chosenPlan });
    return workspaces.findOneByOrFail({ id });
  });
}

export function getWorkspace(db: EntityAccess, id: string): Promise<WorkspaceRecord | null> {
  return db.entities((manager) => manager.findOneBy(WorkspaceEntity, { id }));
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
export function listWorkspaces(db: EntityAccess, query: WorkspaceListQuery = {}): Promise<WorkspaceRecord[]> {
  const { search, limit, after } = query;
  if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_WORKSPACES_LIMIT)) {
    throw badInput(`limit must be from 1 to ${MAX_WORKSPACES_LIMIT}, but got ${limit}`);
  }
  if (search && search.length > 200) throw badInput(`search must be at most 200 characters, but got ${search.length}`);
  const cursor = after ? parseCursor(after) : null;
  return db.entities((manager) => {
    const page = manager.getRepository(WorkspaceEntity).createQueryBuilder('w').orderBy('w.name').addOrderBy('w.id');
    if (search?.trim()) page.andWhere('w.name ILIKE :pattern', { pattern: `%${search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    if (cursor) page.andWhere('(w.name, w.id) > (:name, :id::uuid)', { name: cursor[0], id: cursor[1] });
    if (limit) page.limit(limit);
    return page.getMany();
  });
}
