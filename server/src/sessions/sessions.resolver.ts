import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import { periodRange, type Period } from '../metrics/metrics.model';
import { PeriodEnum } from '../metrics/metrics.types';
import { DEFAULT_SESSIONS_LIMIT, userSessions } from './sessions.service';
import { UserSessions } from './sessions.types';

@Resolver()
export class SessionsResolver {
  @Authorized()
  @Query(() => UserSessions, { description: "An end user's sessions in the period, summed by the database. limit: default 50, at most 200." })
  async userSessions(
    @Arg('userId', () => String) userId: string,
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Ctx() ctx: Context,
  ): Promise<UserSessions> {
    const found = await userSessions(ctx.db, who(ctx).scope, userId, periodRange(period, ctx.services.now()), limit ?? DEFAULT_SESSIONS_LIMIT);
    return { total: found.total, sessions: found.sessions.map((s) => ({ ...s, totalCost: Number(s.totalCost) })) };
  }
}
