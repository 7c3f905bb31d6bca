import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../graphql/context';
import { checkHealth, databaseCheck } from './health.service';
import { Health } from './health.types';

@Resolver()
export class HealthResolver {
  /** Open without a key, like GET /health: it tells nothing about any workspace. */
  @Query(() => Health)
  health(@Ctx() ctx: Context): Promise<Health> {
    const { dataSource, version, startedAt, now } = ctx.services;
    return checkHealth([databaseCheck(dataSource)], version, startedAt, now());
  }
}
