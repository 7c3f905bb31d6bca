import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { periodRange, type Dimension, type MetricsQuery, type Period } from '../metrics/metrics.model';
import { checkUsageFilter, runMetrics, validateMetricsQuery } from '../metrics/metrics.service';
import { MetricsQueryInput, MetricsResult, PeriodEnum, UsageDimensionEnum, UsageFilter } from '../metrics/metrics.types';
import { UsageGroup } from './usage.types';
import { usageByDimension } from './usage.service';

/** Turns the GraphQL input into an engine query, with the range resolved against `now`. */
export function toMetricsQuery(input: MetricsQueryInput, now: Date): MetricsQuery {
  const hasRange = !!input.from || !!input.to;
  if (input.period && hasRange) throw badInput('give either period or from/to, but got both');
  if (hasRange && !(input.from && input.to)) throw badInput('from and to go together, but got only one of them');
  if (!input.period && !hasRange) throw badInput('give a period or from/to, but got neither');
  return {
    range: input.period ? periodRange(input.period, now) : { from: input.from!, to: input.to! },
    timezone: input.timezone ?? 'UTC',
    metrics: input.metrics,
    groupBy: input.groupBy ?? [],
    bucket: input.bucket,
    filter: input.filter,
    orderBy: input.orderBy,
    descending: input.descending,
    limit: input.limit,
  };
}

@Resolver()
export class UsageResolver {
  @Authorized()
  @Query(() => [UsageGroup])
  async llmUsage(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('groupBy', () => UsageDimensionEnum) groupBy: Dimension,
    @Arg('filter', () => UsageFilter, { nullable: true }) filter: UsageFilter | null,
    @Ctx() ctx: Context,
  ): Promise<UsageGroup[]> {
    const { viewer, scope } = who(ctx);
    if (groupBy === 'WORKSPACE' && viewer.role !== 'ADMIN') throw badInput('groupBy WORKSPACE needs an admin key, but this key is a member key');
    checkUsageFilter(filter);
    return usageByDimension(ctx.db, scope, period, groupBy, filter, ctx.services.now());
  }

  @Authorized()
  @Query(() => MetricsResult, { description: 'The general engine that every usage and cost view is a special case of.' })
  async usageMetrics(@Arg('query', () => MetricsQueryInput) input: MetricsQueryInput, @Ctx() ctx: Context): Promise<MetricsResult> {
    const { viewer, scope } = who(ctx);
    const query = toMetricsQuery(input, ctx.services.now());
    validateMetricsQuery(query, scope, viewer.role === 'ADMIN');
    const outcome = await runMetrics(ctx.db, scope, query);
    return {
      source: outcome.source,
      overlapping: outcome.overlapping ?? false,
      rows: outcome.rows.map((row) => ({
        bucket: row.bucket,
        dimensions: row.dimensions,
        values: query.metrics.map((metric) => ({ metric, value: row.values[metric] })),
      })),
    };
  }
}
