import DataLoader from 'dataloader';
import type { Db } from '../db/db';
import type { Scope } from '../metrics/metrics.model';
import { loadAgents, type AgentRecord } from '../agents/agents.service';

/** An agent (or anything of a workspace keyed by an id) as loaders take it. */
export type AgentRef = readonly [workspaceId: string, id: string];

export interface Loaders {
  agent: DataLoader<AgentRef, AgentRecord | null, string>;
}

/** A map key of a workspace and an id (an agent, a run): the two apart, since stored text never holds NUL. */
export const refKey = (workspaceId: string, id: string): string => `${workspaceId}\u0000${id}`;

/** DataLoader options for loaders keyed by AgentRef: refs equal by value load once. */
export const BY_AGENT_REF = { cacheKeyFn: ([workspaceId, id]: AgentRef): string => refKey(workspaceId, id) };

/** The refs a scope may see: a workspace's own, or any under scope all. */
export const visibleRefs = (scope: Scope, refs: readonly AgentRef[]): AgentRef[] =>
  refs.filter(([workspaceId]) => scope.kind === 'all' || workspaceId === scope.workspaceId);

/** New loaders for each request, so nothing is cached across requests or scopes. */
export function createLoaders(db: Db, scope: Scope): Loaders {
  return {
    agent: new DataLoader(async (refs) => {
      const found = await loadAgents(db, visibleRefs(scope, refs));
      const byKey = new Map(found.map((a) => [refKey(a.workspaceId, a.id), a]));
      return refs.map((ref) => byKey.get(BY_AGENT_REF.cacheKeyFn(ref)) ?? null);
    }, BY_AGENT_REF),
  };
}
