import type { Db } from '../db/db';
import { badInput } from '../graphql/errors';
import type { Scope } from '../metrics/metrics.model';
import type { StoredModelUsage } from './agent.entity';

export interface ModelUsageRecord {
  modelId: string;
  requests: number;
  totalTokens: number;
  totalCost: number;
  avgLatencyMs: number;
  lastUsedAt: Date;
}

export interface AgentRecord {
  workspaceId: string;
  id: string;
  name: string;
  modelUsageStats: ModelUsageRecord[];
}

export interface AgentRow {
  workspace_id: string;
  id: string;
  name: string;
  model_usage_stats: Record<string, StoredModelUsage>;
}

export function toAgentRecord(row: AgentRow): AgentRecord {
  const stats = Object.entries(row.model_usage_stats ?? {}).map(([modelId, s]) => ({
    modelId,
    requests: Number(s.requests),
    totalTokens: Number(s.totalTokens),
    totalCost: Number(s.totalCost),
    avgLatencyMs: Number(s.latencyCount) > 0 ? Number(s.latencySum) / Number(s.latencyCount) : 0,
    lastUsedAt: new Date(s.lastUsedAt),
  }));
  stats.sort((a, b) => b.totalCost - a.totalCost || a.modelId.localeCompare(b.modelId));
  return { workspaceId: row.workspace_id, id: row.id, name: row.name, modelUsageStats: stats };
}

/** Agents by (workspace, id) pairs in one statement. */
export async function loadAgents(db: Db, pairs: readonly (readonly [string, string])[]): Promise<AgentRecord[]> {
  if (pairs.length === 0) return [];
  const rows: AgentRow[] = await db.query(
    `SELECT a.workspace_id, a.id, a.name, a.model_usage_stats
     FROM agents a JOIN unnest($1::uuid[], $2::text[]) AS k(workspace_id, id) ON a.workspace_id = k.workspace_id AND a.id = k.id`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  return rows.map(toAgentRecord);
}

export async function listAgents(db: Db, scope: Scope): Promise<AgentRecord[]> {
  const rows: AgentRow[] =
    scope.kind === 'all'
      ? await db.query(`SELECT workspace_id, id, name, model_usage_stats FROM agents ORDER BY name, id`)
      : await db.query(`SELECT workspace_id, id, name, model_usage_stats FROM agents WHERE workspace_id = $1 ORDER BY name, id`, [
          scope.workspaceId,
        ]);
  return rows.map(toAgentRecord);
}

const AGENT_ID = /^[A-Za-z0-9._:@/-]{1,128}$/;

/** Creates or renames an agent; an id is made from the name when none is given. */
export async function upsertAgent(db: Db, workspaceId: string, input: { id?: string | null; name: string }): Promise<AgentRecord> {
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw badInput(`name must be 1 to 200 characters, but got ${name.length}`);
  const id = input.id?.trim() || name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 128) || 'agent';
  if (!AGENT_ID.test(id)) {
    throw badInput(`id must be 1 to 128 letters, digits or ._:@/- characters, but got ${JSON.stringify(input.id)}`);
  }
  const rows: AgentRow[] = await db.query(
    `INSERT INTO agents (workspace_id, id, name) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, id) DO UPDATE SET name = EXCLUDED.name
     RETURNING workspace_id, id, name, model_usage_stats`,
    [workspaceId, id, name],
  );
  return toAgentRecord(rows[0]);
}

/**
 * Agents with a call since `since`, read from the per-model last-use times kept at ingest: for
 * a period that ends now this is exactly "agents with calls in the period", without scanning
 * usage rows.
 */
export async function countAgentsActiveSince(db: Db, scope: Scope, since: Date): Promise<number> {
  const params: unknown[] = [since.toISOString()];
  if (scope.kind === 'workspace') params.push(scope.workspaceId);
  const [row]: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM agents a
     WHERE ${scope.kind === 'workspace' ? 'a.workspace_id = $2 AND' : ''}
       EXISTS (SELECT 1 FROM jsonb_each(a.model_usage_stats) s WHERE (s.value ->> 'lastUsedAt')::timestamptz >= $1)`,
    params,
  );
  return row.n;
}
