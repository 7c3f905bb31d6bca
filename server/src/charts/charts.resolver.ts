import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { who, type Context } from '../graphql/context';
import { CHART_PRESETS } from './chart-presets';
import { analyticsChart } from './charts.service';
import { ChartPreset, ChartResult, ChartTypeEnum } from './charts.types';
import type { ChartType } from './question-parser';

@Resolver()
export class ChartsResolver {
  @Authorized()
  @Query(() => [ChartPreset], { description: 'Ready-made questions for the Insights page, each with the chart it is drawn as.' })
  chartPresets(): ChartPreset[] {
    return CHART_PRESETS.map((preset) => ({ ...preset }));
  }

  @Authorized()
  @Query(() => ChartResult, {
    description:
      'A chart for a question in plain words ("cost by model last 7 days") or a preset: exactly one of query and presetId. ' +
      'chartType forces a type; otherwise a time axis draws a line (a stacked area for cost), a share of a whole with few parts a pie, the rest bars.',
  })
  analyticsChart(
    @Arg('query', () => String, { nullable: true }) query: string | null,
    @Arg('presetId', () => ID, { nullable: true }) presetId: string | null,
    @Arg('chartType', () => ChartTypeEnum, { nullable: true }) chartType: ChartType | null,
    @Ctx() ctx: Context,
  ): Promise<ChartResult> {
    const { viewer, scope } = who(ctx);
    return analyticsChart(ctx.db, { scope, workspaceId: viewer.workspaceId, isAdmin: viewer.role === 'ADMIN' }, { query, presetId, chartType }, ctx.services.now());
  }
}
