import { GraphQLJSON } from 'graphql-scalars';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import type { Metric } from '../metrics/metrics.model';
import { MetricEnum } from '../metrics/metrics.types';
import { CHART_TYPES, type ChartType, type MetricsQueryJson } from './question-parser';

export const ChartTypeEnum = graphqlEnum<ChartType>('ChartType', CHART_TYPES);

@ObjectType()
export class ChartPoint {
  @Field(() => String, { description: "A group's label, a bucket's start as an ISO instant, or the range's name when nothing is split." })
  x: string;

  @Field(() => Float)
  y: number;
}

@ObjectType()
export class ChartSeries {
  @Field(() => String, { description: 'A metric (TOTAL_COST) when the series are metrics, a group key (gpt-4o) when they are groups.' })
  id: string;

  @Field(() => String, { description: 'The series in words: "Cost", "gpt-4o", "Support Bot".' })
  label: string;

  @Field(() => MetricEnum, { description: 'The metric the values are in, for their unit.' })
  metric: Metric;

  @Field(() => [ChartPoint], { description: 'Buckets with no calls are 0 for sums and left out for averages, percentiles and rates.' })
  points: ChartPoint[];
}

@ObjectType()
export class ChartResult {
  @Field(() => String)
  title: string;

  @Field(() => ChartTypeEnum)
  chartType: ChartType;

  @Field(() => [ChartSeries])
  series: ChartSeries[];

  @Field(() => String, { description: 'Plain-language summary of what the data shows (largest item, trend, total).' })
  summary: string;

  @Field(() => GraphQLJSON, { description: 'How the question was understood, as a metrics query that usageMetrics(query:) re-runs unchanged.' })
  interpretedAs: MetricsQueryJson;

  @Field(() => String, { description: 'The same metrics query in words: what is measured, split, over which range and filter.' })
  explanation: string;
}

@ObjectType()
export class ChartPreset {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  title: string;

  @Field(() => String)
  description: string;

  @Field(() => String, { description: 'The question the preset asks, as analyticsChart(query:) would read it.' })
  query: string;

  @Field(() => ChartTypeEnum)
  chartType: ChartType;
}
