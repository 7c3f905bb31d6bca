import type { EntityTarget } from 'typeorm';
import type { Scope } from '../metrics/metrics.model';
import type { EntityAccess } from './db';

/** The rows of a workspace's entity that a scope holds: every workspace's in scope __all__. */
export function whereInScope(scope: Scope): { workspaceId?: string } {
  return scope.kind === 'all' ? {} : { workspaceId: scope.workspaceId };
}

/**
 * Deletes the row `id` of a workspace's entity if the scope holds it (any workspace's in scope
 * __all__); false when there is none. The caller checks that `id` has the column's form.
 */
export async function deleteInScope(db: EntityAccess, scope: Scope, entity: EntityTarget<{ workspaceId: string; id: string }>, id: string): Promise<boolean> {
  const { affected } = await db.entities((manager) => manager.delete(entity, { ...whereInScope(scope), id }));
  return (affected ?? 0) > 0;
}
