import DataLoader from 'dataloader';
import type { Db } from '../db/db';
import type { Scope } from '../metrics/metrics.model';
import { loadAgents, type AgentRecord } from '../agents/agents.service';

export interface Loaders {
  /** Key: `${workspaceId}\u0000${agentId}`. */
  agent: DataLoader<string, AgentRecord | null>;
}

export const agentKey = (workspaceId: string, agentId: string): string => `${workspaceId}\u0000${agentId}`;

/** New loaders for each request, so nothing is cached across requests or scopes. */
export function createLoaders(db: Db, scope: Scope): Loaders {
  return {
    agent: new DataLoader(async (keys) => {
      const pairs = keys.map((k) => k.split('\u0000') as [string, string]);
      const visible = pairs.filter(([ws]) => scope.kind === 'all' || ws === scope.workspaceId);
      const found = await loadAgents(db, visible);
      const byKey = new Map(found.map((a) => [agentKey(a.workspaceId, a.id), a]));
      return keys.map((k) => byKey.get(k) ?? null);
    }),
  };
}
