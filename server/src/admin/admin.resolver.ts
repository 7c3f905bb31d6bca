import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { adminPlatformDb, type Context } from '../graphql/context';
import type { Period } from '../metrics/metrics.model';
import { PeriodEnum } from '../metrics/metrics.types';
import { adminCostAnalytics, adminDashboard } from './admin.service';
import { AdminCostAnalytics, AdminDashboard } from './admin.types';

/** Platform-wide by definition: these never look at X-Workspace-ID. */
@Resolver()
export class AdminResolver {
  @Authorized()
  @Query(() => AdminDashboard)
  adminDashboard(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context): Promise<AdminDashboard> {
    return adminDashboard(adminPlatformDb(ctx), period, ctx.services.now());
  }

  @Authorized()
  @Query(() => AdminCostAnalytics)
  adminCostAnalytics(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context): Promise<AdminCostAnalytics> {
    return adminCostAnalytics(adminPlatformDb(ctx), period, ctx.services.now());
  }
}
