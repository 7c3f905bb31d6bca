import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../graphql/enum';
import type { PriceSource } from './pricing.service';

export const PriceSourceEnum = graphqlEnum<PriceSource>('PriceSource', ['REGISTRY', 'OVERRIDE', 'REPORTED']);

@ObjectType()
export class ModelPrice {
  @Field(() => String)
  modelId: string;

  @Field(() => String)
  provider: string;

  @Field(() => Float)
  inputPerMTok: number;

  @Field(() => Float)
  outputPerMTok: number;

  @Field(() => Float, { nullable: true })
  cacheReadPerMTok: number | null;

  @Field(() => Float, { nullable: true })
  cacheWritePerMTok: number | null;

  @Field(() => PriceSourceEnum)
  source: PriceSource;
}

@InputType()
export class ModelPriceInput {
  @Field(() => String)
  modelId: string;

  @Field(() => String)
  provider: string;

  @Field(() => Float)
  inputPerMTok: number;

  @Field(() => Float)
  outputPerMTok: number;

  @Field(() => Float, { nullable: true })
  cacheReadPerMTok?: number | null;

  @Field(() => Float, { nullable: true })
  cacheWritePerMTok?: number | null;
}

@ObjectType()
export class RepriceResult {
  @Field(() => GraphQLSafeInt)
  updated: number;

  @Field(() => Float)
  costDelta: number;
}
