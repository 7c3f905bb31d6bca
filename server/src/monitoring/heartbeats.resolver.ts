import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import { AppError } from '../graphql/errors';
import type { HeartbeatRecord } from './heartbeat.record';
import type { HeartbeatService } from './heartbeats.service';
import { Heartbeat } from './monitoring.types';

/** Heartbeats are the platform's: any key may watch them, only admins see their meta. */
function toHeartbeat(record: HeartbeatRecord, isAdmin: boolean): Heartbeat {
  return { ...record, lastBeatAt: new Date(record.lastBeatAt), meta: isAdmin ? record.meta : null };
}

function enabled(ctx: Context): HeartbeatService {
  const heartbeats = ctx.services.monitoring.heartbeats;
  if (!heartbeats) throw new AppError('NOT_CONFIGURED', 'Heartbeats are turned off on this gateway (HEARTBEAT_ENABLED=false)');
  return heartbeats;
}

/**
 * Workers of the platform report here with an admin key; every key may list and watch them,
 * since a worker's name and status tell nothing about any workspace (its meta might, so only
 * admins get it).
 */
@Resolver()
export class HeartbeatsResolver {
  @Authorized()
  @Query(() => [Heartbeat], { description: 'Every worker heartbeat, STALE first; empty when heartbeats are turned off.' })
  async heartbeats(@Ctx() ctx: Context): Promise<Heartbeat[]> {
    const isAdmin = who(ctx).viewer.role === 'ADMIN';
    const heartbeats = ctx.services.monitoring.heartbeats;
    return heartbeats ? (await heartbeats.list(ctx.db)).map((h) => toHeartbeat(h, isAdmin)) : [];
  }

  @Authorized()
  @Mutation(() => Heartbeat, {
    description: 'Workers call this every intervalSeconds (default 30); missing two intervals (and at least 5 minutes by default) makes them STALE. Admin only.',
  })
  async heartbeat(
    @Arg('service', () => String) service: string,
    @Arg('instanceId', () => String) instanceId: string,
    @Arg('intervalSeconds', () => Int, { nullable: true }) intervalSeconds: number | null,
    @Arg('meta', () => GraphQLJSON, { nullable: true }) meta: unknown,
    @Ctx() ctx: Context,
  ): Promise<Heartbeat> {
    return toHeartbeat(await enabled(ctx).beat({ service, instanceId, intervalSeconds, meta }, ctx.services.now()), true);
  }

  @Authorized()
  @Mutation(() => Heartbeat, { description: 'An orderly stop: the heartbeat becomes STOPPED and never STALE. Admin only.' })
  async stopHeartbeat(
    @Arg('service', () => String) service: string,
    @Arg('instanceId', () => String) instanceId: string,
    @Ctx() ctx: Context,
  ): Promise<Heartbeat> {
    return toHeartbeat(await enabled(ctx).stop(service, instanceId, ctx.services.now()), true);
  }

  @Authorized()
  @Subscription(() => Heartbeat, {
    topics: 'HEARTBEAT_CHANGED',
    description: 'A heartbeat whose status changed: it appeared, turned STALE, came back ALIVE, or STOPPED.',
    filter: ({ context }: { context: Context }) => context.auth.ok,
  })
  heartbeatChanged(@Root() record: HeartbeatRecord, @Ctx() ctx: Context): Heartbeat {
    return toHeartbeat(record, who(ctx).viewer.role === 'ADMIN');
  }
}
