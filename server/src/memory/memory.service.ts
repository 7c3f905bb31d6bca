import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Params, toNumber, type Db } from '../db/db';
import { scopeStatements, workspaceScope } from '../db/scoped-db';
import { writeTransaction } from '../db/write-transaction';
import { badInput } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';

/** Characters of a memory an answer shows. */
export const PREVIEW_CHARACTERS = 200;
export const DEFAULT_RECENT = 10;
export const MAX_RECENT = 100;
const MAX_CONTENT = 20_000;
const MAX_LABEL = 64;
const AGENT_ID = /^[A-Za-z0-9._:@/-]{1,128}$/;

export interface CountRecord {
  key: string;
  count: number;
}

/** Totals over a set of memories, wherever they are kept. */
export interface MemoryTotals {
  totalMemories: number;
  byType: CountRecord[];
  byLevel: CountRecord[];
  avgImportance: number;
  totalAccessCount: number;
  agentsWithMemories: number;
}

export interface AgentMemoryRecord {
  workspaceId: string;
  agentId: string;
  memoryCount: number;
  avgImportance: number;
  lastCreatedAt: Date | null;
}

export interface MemoryItemRecord {
  id: string;
  agentId: string | null;
  memoryType: string;
  memoryLevel: string | null;
  importance: number;
  accessCount: number;
  preview: string;
  createdAt: Date;
}

/** The first 200 characters (code points, so no character is cut in half). */
export function preview(content: string): string {
  const characters = Array.from(content);
  return characters.length <= PREVIEW_CHARACTERS ? content : characters.slice(0, PREVIEW_CHARACTERS).join('');
}

/** Checks `limit` (default 10, 1 to 100). */
export function recentLimit(limit: number | null | undefined): number {
  const value = limit ?? DEFAULT_RECENT;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RECENT) {
    throw badInput(`limit must be a whole number from 1 to ${MAX_RECENT}, but got ${value}`);
  }
  return value;
}

const scopeCondition = (scope: Scope, params: Params): string =>
  scope.kind === 'workspace' ? `workspace_id = ${params.add(scope.workspaceId)}::uuid` : 'true';

const counts = (value: unknown): CountRecord[] =>
  ((value as { key: string; count: number | string }[] | null) ?? []).map((c) => ({ key: c.key, count: toNumber(c.count) }));

/** Totals of the memories in the gateway's own table, in one statement. */
export async function localMemoryTotals(db: Db, scope: Scope): Promise<MemoryTotals> {
  const params = new Params();
  const where = scopeCondition(scope, params);
  const [row]: Record<string, unknown>[] = await db.query(
    `WITH m AS (SELECT * FROM memory_items WHERE ${where})
     SELECT
       (SELECT count(*) FROM m) AS total,
       (SELECT coalesce(avg(importance), 0) FROM m) AS avg_importance,
       (SELECT coalesce(sum(access_count), 0) FROM m) AS access_count,
       (SELECT count(DISTINCT (workspace_id, agent_id)) FROM m WHERE agent_id IS NOT NULL) AS agents,
       (SELECT json_agg(json_build_object('key', memory_type, 'count', n) ORDER BY n DESC, memory_type)
          FROM (SELECT memory_type, count(*) AS n FROM m GROUP BY memory_type) t) AS by_type,
       (SELECT json_agg(json_build_object('key', memory_level, 'count', n) ORDER BY n DESC, memory_level)
          FROM (SELECT memory_level, count(*) AS n FROM m WHERE memory_level IS NOT NULL GROUP BY memory_level) l) AS by_level`,
    params.values,
  );
  return {
    totalMemories: toNumber(row.total),
    byType: counts(row.by_type),
    byLevel: counts(row.by_level),
    avgImportance: toNumber(row.avg_importance),
    totalAccessCount: toNumber(row.access_count),
    agentsWithMemories: toNumber(row.agents),
  };
}

/** Each agent's memories in the gateway's own table, the agents with the most first. */
export async function localAgentMemoryStats(db: Db, scope: Scope): Promise<AgentMemoryRecord[]> {
  const params = new Params();
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT workspace_id, agent_id, count(*) AS memories, avg(importance) AS avg_importance, max(created_at) AS last_created_at
     FROM memory_items WHERE ${scopeCondition(scope, params)} AND agent_id IS NOT NULL
     GROUP BY workspace_id, agent_id
     ORDER BY memories DESC, agent_id, workspace_id`,
    params.values,
  );
  return rows.map((r) => ({
    workspaceId: String(r.workspace_id),
    agentId: String(r.agent_id),
    memoryCount: toNumber(r.memories),
    avgImportance: toNumber(r.avg_importance),
    lastCreatedAt: r.last_created_at ? new Date(r.last_created_at as string) : null,
  }));
}

const ITEM_COLUMNS = `id, agent_id, memory_type, memory_level, importance, access_count, left(content, ${PREVIEW_CHARACTERS}) AS preview, created_at`;

function toItem(r: Record<string, unknown>): MemoryItemRecord {
  return {
    id: String(r.id),
    agentId: (r.agent_id as string | null) ?? null,
    memoryType: String(r.memory_type),
    memoryLevel: (r.memory_level as string | null) ?? null,
    importance: toNumber(r.importance),
    accessCount: toNumber(r.access_count),
    preview: String(r.preview),
    createdAt: new Date(r.created_at as string),
  };
}

/** The newest memories in the gateway's own table. */
export async function localRecentMemories(db: Db, scope: Scope, limit: number): Promise<MemoryItemRecord[]> {
  const params = new Params();
  const where = scopeCondition(scope, params);
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${ITEM_COLUMNS} FROM memory_items WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map(toItem);
}

export interface MemoryValues {
  agentId?: string | null;
  memoryType: string;
  memoryLevel?: string | null;
  importance: number;
  content: string;
}

function label(name: string, value: string | null | undefined, required: boolean, problems: string[]): string | null {
  if (value === null || value === undefined) {
    if (required) problems.push(`${name} is required, but got nothing`);
    return null;
  }
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_LABEL) {
    problems.push(`${name} must be 1 to ${MAX_LABEL} characters${required ? '' : ' or left out'}, but got ${trimmed.length}`);
  }
  return trimmed;
}

/**
 * Stores a memory in the gateway's own table, created at `now`. An unknown agent is created
 * named after its id. (The table is what answers when Mem0 is not configured or fails.)
 */
export async function recordMemory(dataSource: DataSource, workspaceId: string, input: MemoryValues, now: Date): Promise<MemoryItemRecord> {
  const problems: string[] = [];
  const agentId = input.agentId === null || input.agentId === undefined ? null : input.agentId.trim();
  if (agentId !== null && !AGENT_ID.test(agentId)) {
    problems.push(`agentId must be 1 to 128 letters, digits or ._:@/- characters, but got ${JSON.stringify(input.agentId)}`);
  }
  const memoryType = label('memoryType', input.memoryType, true, problems);
  const memoryLevel = label('memoryLevel', input.memoryLevel, false, problems);
  if (!Number.isFinite(input.importance) || input.importance < 0 || input.importance > 1) {
    problems.push(`importance must be a number from 0 to 1, but got ${input.importance}`);
  }
  if (input.content.trim() === '' || input.content.length > MAX_CONTENT) {
    problems.push(`content must be 1 to ${MAX_CONTENT} characters (not only spaces), but got ${input.content.length}`);
  }
  if (problems.length > 0) throw badInput(problems.join('; '));

  const row: Record<string, unknown> = await writeTransaction(dataSource, scopeStatements(workspaceScope(workspaceId)), async (manager) => {
    if (agentId !== null) {
      await manager.query(`INSERT INTO agents (workspace_id, id, name) VALUES ($1, $2::text, $2::text) ON CONFLICT DO NOTHING`, [
        workspaceId,
        agentId,
      ]);
    }
    const [inserted] = await manager.query(
      `INSERT INTO memory_items (workspace_id, id, agent_id, memory_type, memory_level, importance, content, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ITEM_COLUMNS}`,
      [workspaceId, randomUUID(), agentId, memoryType, memoryLevel, input.importance, input.content, now.toISOString()],
    );
    return inserted;
  });
  return toItem(row);
}
