import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import { CallStatusEnum } from '../ingest/llm-call.types';
import { MAX_FILTER_VALUES } from './metrics.service';
import {
  DIMENSIONS,
  METRICS,
  PERIODS,
  TIME_BUCKETS,
  type CallStatus,
  type Dimension,
  type Metric,
  type MetricsSource,
  type Period,
  type TimeBucket,
} from './metrics.model';
import { DIMENSION_CATALOGUE } from './dimension-catalogue';

export const PeriodEnum = graphqlEnum<Period>('Period', PERIODS);
export const MetricEnum = graphqlEnum<Metric>('Metric', METRICS);
export const UsageDimensionEnum = graphqlEnum<Dimension>('UsageDimension', DIMENSIONS, 'What usage can be grouped by.', (d) => DIMENSION_CATALOGUE[d].description);
export const TimeBucketEnum = graphqlEnum<TimeBucket>('TimeBucket', TIME_BUCKETS);
export const MetricsSourceEnum = graphqlEnum<MetricsSource>('MetricsSource', ['RAW', 'ROLLUP']);

@InputType({ description: 'A key and value of a call\'s metadata: top-level string, number and boolean values match by their text ("42", "true").' })
export class MetadataFilter {
  @Field(() => String)
  key: string;

  @Field(() => String)
  value: string;
}

@InputType({ description: `Each list takes at most ${MAX_FILTER_VALUES} values; a call matches when it matches every list given.` })
export class UsageFilter {
  @Field(() => [String], { nullable: true })
  modelIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  providers?: string[] | null;

  @Field(() => [ID], { nullable: true })
  agentIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  tiers?: string[] | null;

  @Field(() => [String], { nullable: true })
  requestTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Workflows, as calls name them; "" matches calls that name none.' })
  workflows?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'End users, any of them; "" matches calls that name none.' })
  userIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Calls carrying every one of these tags.' })
  tags?: string[] | null;

  @Field(() => [MetadataFilter], { nullable: true, description: 'Calls whose metadata has every one of these key/value pairs.' })
  metadata?: MetadataFilter[] | null;

  @Field(() => Boolean, { nullable: true })
  isByok?: boolean | null;

  @Field(() => CallStatusEnum, { nullable: true })
  status?: CallStatus | null;
}

@InputType()
export class MetricsQueryInput {
  @Field(() => PeriodEnum, { nullable: true })
  period?: Period | null;

  @Field(() => Date, { nullable: true, description: 'from/to instead of period: an explicit half-open range [from, to).' })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;

  @Field(() => String, { nullable: true, description: 'IANA zone for DAY/WEEK/MONTH buckets and daysWithData; default UTC.' })
  timezone?: string | null;

  @Field(() => [MetricEnum])
  metrics: Metric[];

  @Field(() => [UsageDimensionEnum], { nullable: true })
  groupBy?: Dimension[] | null;

  @Field(() => TimeBucketEnum, { nullable: true })
  bucket?: TimeBucket | null;

  @Field(() => UsageFilter, { nullable: true })
  filter?: UsageFilter | null;

  @Field(() => MetricEnum, { nullable: true })
  orderBy?: Metric | null;

  @Field(() => Boolean, { nullable: true })
  descending?: boolean | null;

  @Field(() => Int, { nullable: true })
  limit?: number | null;
}

@ObjectType()
export class DimensionValue {
  @Field(() => UsageDimensionEnum)
  dimension: Dimension;

  @Field(() => String)
  value: string;

  @Field(() => String)
  label: string;
}

@ObjectType()
export class MetricValue {
  @Field(() => MetricEnum)
  metric: Metric;

  @Field(() => Float)
  value: number;
}

@ObjectType()
export class MetricsRow {
  @Field(() => Date, { nullable: true })
  bucket: Date | null;

  @Field(() => [DimensionValue])
  dimensions: DimensionValue[];

  @Field(() => [MetricValue])
  values: MetricValue[];
}

@ObjectType()
export class MetricsResult {
  @Field(() => [MetricsRow])
  rows: MetricsRow[];

  @Field(() => MetricsSourceEnum)
  source: MetricsSource;

  @Field(() => Boolean, {
    description: 'True when one call may count in several rows (grouping by TAG: a call counts under each of its tags): the rows overlap and must not be added up.',
  })
  overlapping: boolean;
}
