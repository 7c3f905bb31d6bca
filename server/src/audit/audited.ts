import type { GraphQLFieldResolver } from 'graphql';
import type { MutationRule } from '../auth/access';
import { transactionRows } from '../db/db';
import type { ScopedDb } from '../db/scoped-db';
import { scopeStatements, type DbScope } from '../db/scoped-db';
import { writeTransaction } from '../db/write-transaction';
import { who, writeWorkspace, type AuditNote, type Context } from '../graphql/context';
import { recordAudit } from './audit.service';
import { redactArguments } from './redact';

/**
 * Wraps an audited mutation: its resolver runs in one write transaction (its `ctx.db` is that
 * transaction), and the audit entry is inserted in the same transaction once it has succeeded,
 * so a change is never without its entry nor an entry without its change. A failed mutation
 * leaves neither. An admin's transaction acts in scope __all__ (still under row-level security),
 * since an admin may change any workspace and the platform.
 *
 * Effects that others act on (PubSub events) go in `afterCommit(ctx, …)` and run once it has
 * committed. A service that writes in its own transactions (re-pricing, in batches) commits
 * them before this one; the entry then records what has been done.
 */
export function audited(action: string, rule: MutationRule, resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return async (root, args: Record<string, unknown>, ctx, info) => {
    const { viewer, scope } = who(ctx);
    const dbScope: DbScope = viewer.role === 'ADMIN' ? { scope: { kind: 'all' }, isAdmin: true } : { scope, isAdmin: false };
    let effects: (() => void)[] = [];
    const result = await writeTransaction(ctx.services.dataSource, scopeStatements(dbScope), async (manager) => {
      const db: ScopedDb = { path: 'scoped', ...transactionRows(manager) };
      const note: AuditNote = { afterCommit: [] };
      effects = note.afterCommit;
      const answer: unknown = await resolve(root, args, { ...ctx, db, audit: note }, info);
      await recordAudit(db, {
        at: ctx.services.now(),
        workspaceId: note.workspaceId !== undefined ? note.workspaceId : rule.platform || scope.kind === 'all' ? null : writeWorkspace(ctx),
        actorKeyId: viewer.keyId,
        actorLabel: viewer.label,
        actorRole: viewer.role,
        action,
        target: note.target !== undefined ? note.target : (rule.target?.(args) ?? null),
        detail: redactArguments(args),
      });
      return answer;
    });
    for (const effect of effects) effect();
    return result;
  };
}
