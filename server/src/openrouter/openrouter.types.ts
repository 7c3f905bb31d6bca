import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class OpenRouterCredits {
  @Field(() => Float, { description: 'Dollars bought.' })
  totalCredits: number;

  @Field(() => Float, { description: 'Dollars used.' })
  totalUsage: number;

  @Field(() => Float, { description: 'totalCredits - totalUsage.' })
  remaining: number;

  @Field(() => Float, { description: 'totalUsage / totalCredits, 0 when no credits were bought.' })
  usedFraction: number;
}

@ObjectType()
export class OpenRouterRateLimit {
  @Field(() => Int)
  requests: number;

  @Field(() => String)
  interval: string;
}

@ObjectType({ description: 'What OpenRouter says about the key in use (GET /key).' })
export class OpenRouterKeyInfo {
  @Field(() => String, { nullable: true })
  label: string | null;

  @Field(() => Float, { nullable: true, description: 'Spending limit in dollars; null for none.' })
  limit: number | null;

  @Field(() => Float, { nullable: true })
  limitRemaining: number | null;

  @Field(() => Float)
  usage: number;

  @Field(() => Float)
  usageDaily: number;

  @Field(() => Float)
  usageWeekly: number;

  @Field(() => Float)
  usageMonthly: number;

  @Field(() => Boolean)
  isFreeTier: boolean;

  @Field(() => OpenRouterRateLimit, { nullable: true })
  rateLimit: OpenRouterRateLimit | null;
}

@ObjectType()
export class OpenRouterSyncResult {
  @Field(() => Int, { description: 'Activity rows OpenRouter returned.' })
  fetchedRows: number;

  @Field(() => Int, { description: 'Call rows stored now, one per (date, model, provider).' })
  inserted: number;

  @Field(() => Int, { description: 'Call rows an earlier sync had stored already.' })
  skippedDuplicates: number;
}
