import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { who, writeWorkspace, type Context } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { periodRange, type Period, type TimeRange } from '../metrics/metrics.model';
import { PeriodEnum } from '../metrics/metrics.types';
import { usageByDimension } from '../usage/usage.service';
import { UsageGroup } from '../usage/usage.types';
import { PLATFORM_WORKSPACE_ID } from './model-price-override.entity';
import { currentPrice, repriceCalls, setPrice } from './prices.service';
import { ModelPrice, ModelPriceInput, RepriceResult } from './pricing.types';

function rangeOf(period: Period | null, from: Date | null, to: Date | null, now: Date): TimeRange {
  if (period && (from || to)) throw badInput('give either period or from/to, but got both');
  if (period) return periodRange(period, now);
  if (!from || !to) throw badInput('give a period, or both from and to');
  if (from >= to) throw badInput(`from must be before to, but got from ${from.toISOString()} and to ${to.toISOString()}`);
  return { from, to };
}

@Resolver()
export class PricingResolver {
  @Authorized()
  @Query(() => ModelPrice, {
    nullable: true,
    description: "The price a call of this model would get now in the caller's scope: override first, then registry.",
  })
  modelPrice(
    @Arg('modelId', () => String) modelId: string,
    @Arg('provider', () => String, { nullable: true }) provider: string | null,
    @Ctx() ctx: Context,
  ): Promise<ModelPrice | null> {
    return currentPrice(ctx.db, writeWorkspace(ctx), modelId, provider);
  }

  @Authorized()
  @Query(() => [UsageGroup], { description: 'Models with calls that no price covered in the period.' })
  async unpricedModels(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context): Promise<UsageGroup[]> {
    const groups = await usageByDimension(ctx.db, who(ctx).scope, period, 'MODEL', null, ctx.services.now(), ['UNPRICED_REQUESTS']);
    return groups.filter((g) => (g.extra.UNPRICED_REQUESTS ?? 0) > 0);
  }

  @Authorized()
  @Mutation(() => ModelPrice, {
    description: 'A price for this workspace (or, for an admin in scope __all__, the whole platform) that wins over the registry from now on.',
  })
  setModelPrice(@Arg('input', () => ModelPriceInput) input: ModelPriceInput, @Ctx() ctx: Context): Promise<ModelPrice> {
    const { scope } = who(ctx);
    return setPrice(ctx.db, scope.kind === 'all' ? PLATFORM_WORKSPACE_ID : scope.workspaceId, input);
  }

  @Authorized()
  @Mutation(() => RepriceResult, {
    description: "Prices the calls of the range again with today's prices (registry and overrides); reported costs stay as reported.",
  })
  repriceLlmCalls(
    @Arg('period', () => PeriodEnum, { nullable: true }) period: Period | null,
    @Arg('from', () => Date, { nullable: true }) from: Date | null,
    @Arg('to', () => Date, { nullable: true }) to: Date | null,
    @Arg('modelIds', () => [String], { nullable: true }) modelIds: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<RepriceResult> {
    const now = ctx.services.now();
    return repriceCalls(ctx.services.dataSource, who(ctx).scope, { range: rangeOf(period, from, to, now), modelIds }, now);
  }
}
