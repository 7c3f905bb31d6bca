import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context';
import type { HealthValues } from './health.service';
import { Health } from './health.types';

@Resolver()
export class HealthResolver {
  /** Open without a key, like GET /health: it tells nothing about any workspace. */
  @Query(() => Health, { description: 'Database, pubsub, heartbeats and disk, with version and uptime. Needs no key.' })
  health(@Ctx() ctx: Context): Promise<HealthValues> {
    return ctx.services.monitoring.health();
  }
}
