import { Arg, Authorized, Ctx, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../graphql/context';
import type { ApiMetricsSnapshotValues } from './monitoring';
import { ApiMetricsSnapshot, EndpointStats, SystemMetrics } from './monitoring.types';
import { snapshotInterval } from './snapshot-feed';

/** The gateway's own API and host figures: platform data (every tenant's traffic), so admin keys only. */
@Resolver()
export class MonitoringResolver {
  @Authorized()
  @Query(() => [EndpointStats], { description: 'Every REST route and GraphQL operation since the gateway started, the most called first. Admin only.' })
  apiMetrics(@Ctx() ctx: Context): EndpointStats[] {
    return ctx.services.monitoring.tracker.stats();
  }

  @Authorized()
  @Query(() => SystemMetrics, { description: 'The newest background sample of the host and the gateway process. Admin only.' })
  systemMetrics(@Ctx() ctx: Context): Promise<SystemMetrics> {
    return ctx.services.monitoring.system.latest();
  }

  @Subscription(() => ApiMetricsSnapshot, {
    description: 'A snapshot every intervalMs (default 2000, at least 250). Admin only.',
    subscribe: ({ args, context }: { args: { intervalMs?: number | null }; context: Context }) => {
      return context.services.monitoring.snapshots.subscribe(snapshotInterval(args.intervalMs));
    },
  })
  apiMetricsUpdated(
    @Root() snapshot: ApiMetricsSnapshotValues,
    @Arg('intervalMs', () => Int, { nullable: true }) _intervalMs: number | null,
  ): ApiMetricsSnapshot {
    return snapshot;
  }
}
