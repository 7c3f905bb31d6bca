import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Info, Int, Query, Resolver } from 'type-graphql';
import { adminPlatformDb, type Context } from '../graphql/context';
import { selectedFields } from '../graphql/selected-fields';
import type { Period } from '../metrics/metrics.model';
import { PeriodEnum } from '../metrics/metrics.types';
import { adminCostAnalytics, adminDashboard, workspaceCostPage, type WorkspaceCostOrder } from './admin.service';
import { AdminCostAnalytics, AdminDashboard, WorkspaceCostOrderEnum, WorkspaceCostPage } from './admin.types';

/** Platform-wide by definition: these never look at X-Workspace-ID. */
@Resolver()
export class AdminResolver {
  @Authorized()
  @Query(() => AdminDashboard)
  adminDashboard(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<AdminDashboard> {
    return adminDashboard(adminPlatformDb(ctx), period, ctx.services.now(), selectedFields(info));
  }

  @Authorized()
  @Query(() => AdminCostAnalytics)
  adminCostAnalytics(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<AdminCostAnalytics> {
    return adminCostAnalytics(adminPlatformDb(ctx), period, ctx.services.now(), selectedFields(info));
  }

  @Authorized('ADMIN')
  @Query(() => WorkspaceCostPage, {
    description: 'A page of every workspace with its usage in the period (anomalies flagged against all of them): searched by name, sorted, at most 200 rows.',
  })
  adminWorkspaceCosts(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('orderBy', () => WorkspaceCostOrderEnum, { nullable: true }) orderBy: WorkspaceCostOrder | null,
    @Arg('descending', () => Boolean, { nullable: true, description: 'Largest first by default for figures, A to Z for names and plans.' })
    descending: boolean | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: Context,
  ): Promise<WorkspaceCostPage> {
    return workspaceCostPage(adminPlatformDb(ctx), period, ctx.services.now(), { search, orderBy, descending, limit, offset });
  }
}
