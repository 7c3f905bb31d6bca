import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../graphql/enum';
import { DateScalar } from '../graphql/scalars';
import type { Period } from '../metrics/metrics.model';
import { PeriodEnum } from '../metrics/metrics.types';
import type { CostBreakdownDimension } from './costs.service';
import type { Impact, RecommendationKind } from './recommendations.service';

export const CostBreakdownDimensionEnum = graphqlEnum<CostBreakdownDimension>('CostBreakdownDimension', ['MODEL', 'PROVIDER', 'AGENT', 'DAILY']);

@ObjectType()
export class CostBreakdown {
  @Field(() => String)
  key: string;

  @Field(() => String)
  label: string;

  @Field(() => GraphQLSafeInt)
  requests: number;

  @Field(() => Float)
  inputCost: number;

  @Field(() => Float)
  outputCost: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Float, { description: "This row's part of the period's total cost, 0..1." })
  share: number;
}

@ObjectType()
export class Trends {
  @Field(() => Float, { nullable: true, description: 'Percent change against the previous period of equal length; null where that period had nothing.' })
  requestsChangePct: number | null;

  @Field(() => Float, { nullable: true })
  tokensChangePct: number | null;

  @Field(() => Float, { nullable: true })
  costChangePct: number | null;

  @Field(() => Float, { nullable: true })
  latencyChangePct: number | null;
}

@ObjectType()
export class UsageSummary {
  @Field(() => PeriodEnum)
  period: Period;

  @Field(() => GraphQLSafeInt)
  totalRequests: number;

  @Field(() => GraphQLSafeInt)
  inputTokens: number;

  @Field(() => GraphQLSafeInt)
  outputTokens: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Float)
  avgLatencyMs: number;

  @Field(() => Float)
  p95LatencyMs: number;

  @Field(() => Float)
  errorRate: number;

  @Field(() => GraphQLSafeInt)
  byokRequests: number;

  @Field(() => Float, { description: "What BYOK calls would have cost on the platform's keys." })
  byokSavings: number;

  @Field(() => GraphQLSafeInt)
  unpricedRequests: number;

  @Field(() => Int)
  activeAgents: number;

  @Field(() => String, { nullable: true })
  topModel: string | null;

  @Field(() => Trends)
  trends: Trends;
}

@ObjectType()
export class ModelPricing {
  @Field(() => Float, { nullable: true })
  inputPerMTok: number | null;

  @Field(() => Float, { nullable: true })
  outputPerMTok: number | null;

  @Field(() => Float, { nullable: true })
  cacheReadPerMTok: number | null;
}

@ObjectType()
export class ModelComparisonItem {
  @Field(() => String)
  modelId: string;

  @Field(() => String, { nullable: true })
  provider: string | null;

  @Field(() => String)
  displayName: string;

  @Field(() => ModelPricing, { nullable: true, description: 'From the price registry; null where the registry does not know the model.' })
  pricing: ModelPricing | null;

  @Field(() => Int, { nullable: true })
  contextWindow: number | null;

  @Field(() => [String])
  capabilities: string[];

  @Field(() => GraphQLSafeInt)
  requests: number;

  @Field(() => GraphQLSafeInt)
  totalTokens: number;

  @Field(() => Float)
  totalCost: number;

  @Field(() => Float)
  avgCostPerRequest: number;

  @Field(() => Float)
  avgLatencyMs: number;

  @Field(() => Float)
  p95LatencyMs: number;

  @Field(() => Float)
  errorRate: number;
}

@ObjectType()
export class CostProjection {
  @Field(() => PeriodEnum)
  period: Period;

  @Field(() => Float)
  currentPeriodCost: number;

  @Field(() => Int, { description: 'Distinct days (in the requested timezone) that have usage.' })
  daysWithData: number;

  @Field(() => Float)
  dailyAverage: number;

  @Field(() => Float, { description: 'dailyAverage x 30' })
  projectedMonthlyCost: number;

  @Field(() => Float)
  previousPeriodCost: number;

  @Field(() => Float, { nullable: true })
  changePct: number | null;
}

@ObjectType()
export class ModelCost {
  @Field(() => String)
  modelId: string;

  @Field(() => Float)
  cost: number;
}

@ObjectType()
export class DailyModelCosts {
  @Field(() => DateScalar)
  date: string;

  @Field(() => Float)
  total: number;

  @Field(() => [ModelCost])
  costs: ModelCost[];
}

@ObjectType()
export class DailyCostByModel {
  @Field(() => [String])
  models: string[];

  @Field(() => [DailyModelCosts])
  series: DailyModelCosts[];
}

export const RecommendationKindEnum = graphqlEnum<RecommendationKind>('RecommendationKind', [
  'SWITCH_MODEL',
  'REDUCE_ERRORS',
  'ENABLE_CACHING',
  'USE_BYOK',
  'REDUCE_LATENCY',
  'BUDGET',
]);
export const ImpactEnum = graphqlEnum<Impact>('Impact', ['HIGH', 'MEDIUM', 'LOW']);

@ObjectType()
export class Recommendation {
  @Field(() => ID, { description: 'Stable across calls: the kind and what it is about.' })
  id: string;

  @Field(() => RecommendationKindEnum)
  kind: RecommendationKind;

  @Field(() => ImpactEnum)
  impact: Impact;

  @Field(() => String)
  title: string;

  @Field(() => String)
  description: string;

  @Field(() => Float, { nullable: true })
  estimatedMonthlySavings: number | null;

  @Field(() => String, { nullable: true })
  modelId: string | null;

  @Field(() => ID, { nullable: true })
  agentId: string | null;
}
