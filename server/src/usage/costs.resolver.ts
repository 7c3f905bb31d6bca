import { Arg, Authorized, Ctx, Query, Resolver, Root, Subscription } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import { periodRange, type Period } from '../metrics/metrics.model';
import { checkUsageFilter } from '../metrics/metrics.service';
import { PeriodEnum, UsageFilter } from '../metrics/metrics.types';
import { compareModels, costBreakdown, dailyCostByModel, projectCosts, type CostBreakdownDimension } from './costs.service';
import { CostBreakdown, CostBreakdownDimensionEnum, CostProjection, DailyCostByModel, ModelComparisonItem, Recommendation, UsageSummary } from './costs.types';
import { recommendations } from './recommendations.service';
import { summarize, type SummaryValues } from './summary.service';

@Resolver()
export class CostsResolver {
  @Authorized()
  @Query(() => UsageSummary)
  llmSummary(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('filter', () => UsageFilter, { nullable: true, description: 'Only the calls it keeps (their agents for activeAgents).' }) filter: UsageFilter | null,
    @Ctx() ctx: Context,
  ): Promise<UsageSummary> {
    checkUsageFilter(filter);
    return summarize(ctx.db, who(ctx).scope, period, ctx.services.now(), filter);
  }

  @Authorized()
  @Query(() => [CostBreakdown])
  llmCosts(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('breakdown', () => CostBreakdownDimensionEnum) breakdown: CostBreakdownDimension,
    @Arg('filter', () => UsageFilter, { nullable: true, description: 'Only the calls it keeps; shares are of their total.' }) filter: UsageFilter | null,
    @Ctx() ctx: Context,
  ): Promise<CostBreakdown[]> {
    checkUsageFilter(filter);
    return costBreakdown(ctx.db, who(ctx).scope, periodRange(period, ctx.services.now()), breakdown, 'UTC', undefined, filter);
  }

  @Authorized()
  @Query(() => CostProjection)
  llmCostProjections(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('timezone', () => String, { nullable: true, defaultValue: 'UTC', description: 'IANA zone that decides what a day is.' }) timezone: string,
    @Ctx() ctx: Context,
  ): Promise<CostProjection> {
    return projectCosts(ctx.db, who(ctx).scope, period, timezone, ctx.services.now());
  }

  @Authorized()
  @Query(() => DailyCostByModel)
  llmDailyCostByModel(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('timezone', () => String, { nullable: true }) timezone: string | null,
    @Ctx() ctx: Context,
  ): Promise<DailyCostByModel> {
    return dailyCostByModel(ctx.db, who(ctx).scope, period, timezone ?? 'UTC', ctx.services.now());
  }

  @Authorized()
  @Query(() => [ModelComparisonItem], { description: '1 to 4 model ids; more is BAD_USER_INPUT.' })
  llmModelComparison(
    @Arg('modelIds', () => [String]) modelIds: string[],
    @Arg('period', () => PeriodEnum) period: Period,
    @Ctx() ctx: Context,
  ): Promise<ModelComparisonItem[]> {
    return compareModels(ctx.db, who(ctx).scope, modelIds, period, ctx.services.now());
  }

  @Authorized()
  @Query(() => [Recommendation], { description: 'Ways to spend less or fail less, most impact first. Default period: LAST_30D.' })
  llmRecommendations(@Arg('period', () => PeriodEnum, { nullable: true }) period: Period | null, @Ctx() ctx: Context): Promise<Recommendation[]> {
    return recommendations(ctx.db, who(ctx).scope, period ?? 'LAST_30D', ctx.services.now());
  }

  @Authorized()
  @Subscription(() => UsageSummary, {
    description: "The period's summary again whenever new calls land in scope, at most once a second.",
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      return ctx.services.summaryFeed.subscribe(who(ctx).scope, (args as { period: Period }).period);
    },
  })
  llmSummaryUpdated(@Root() summary: SummaryValues, @Arg('period', () => PeriodEnum) _period: Period): UsageSummary {
    return summary;
  }
}
