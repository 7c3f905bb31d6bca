import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';

export interface WorkspaceRecord {
  id: string;
  name: string;
  plan: string;
  timezone: string;
  createdAt: Date;
}

const PLAN = /^[a-z][a-z0-9_-]{0,31}$/;

interface WorkspaceRow {
  id: string;
  name: string;
  plan: string;
  timezone: string;
  created_at: Date;
}

const toRecord = (r: WorkspaceRow): WorkspaceRecord => ({ id: r.id, name: r.name, plan: r.plan, timezone: r.timezone, createdAt: r.created_at });

export async function createWorkspace(db: Db, name: string, plan: string | null | undefined, id: string = randomUUID()): Promise<WorkspaceRecord> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) throw badInput(`name must be 1 to 200 characters, but got ${trimmed.length}`);
  const chosenPlan = (plan ?? 'free').trim().toLowerCase();
  if (!PLAN.test(chosenPlan)) throw badInput(`plan must be a short lower-case word such as "free" or "pro", but got ${JSON.stringify(plan)}`);
  const rows: WorkspaceRow[] = await db.query(
    `INSERT INTO workspaces (id, name, plan) VALUES ($1, $2, $3) RETURNING id, name, plan, timezone, created_at`,
    [id, trimmed, chosenPlan],
  );
  return toRecord(rows[0]);
}

export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRecord | null> {
  const rows: WorkspaceRow[] = await db.query(`SELECT id, name, plan, timezone, created_at FROM workspaces WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function listWorkspaces(db: Db): Promise<WorkspaceRecord[]> {
  const rows: WorkspaceRow[] = await db.query(`SELECT id, name, plan, timezone, created_at FROM workspaces ORDER BY name, id`);
  return rows.map(toRecord);
}
