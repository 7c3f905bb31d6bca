import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import { listAudit } from './audit.service';
import { AuditEntry } from './audit.types';

@Resolver()
export class AuditResolver {
  @Authorized()
  @Query(() => [AuditEntry], {
    description: "Changes newest first: limit default 50, 1 to 500; before: entries older than this time (the last one's `at`, for the next page).",
  })
  auditLog(
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('before', () => Date, { nullable: true }) before: Date | null,
    @Ctx() ctx: Context,
  ): Promise<AuditEntry[]> {
    return listAudit(ctx.db, who(ctx).scope, limit, before);
  }
}
