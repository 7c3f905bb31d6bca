import { CALL_BOUNDS } from '../ingest/call-bounds';
import { MAX_PRICE_PER_MTOK } from './prices.service';
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

const RATE = `Dollars per million tokens, from 0 to ${MAX_PRICE_PER_MTOK.toLocaleString('en-US')}.`;
const ID_TEXT = `At most ${CALL_BOUNDS.maxTextLength} characters, as calls name it.`;

@InputType()
export class ModelPriceInput {
  @Field(() => String, { description: ID_TEXT })
  modelId: string;

  @Field(() => String, { description: ID_TEXT })
  provider: string;

  @Field(() => Float, { description: RATE })
  inputPerMTok: number;

  @Field(() => Float, { description: RATE })
  outputPerMTok: number;

  @Field(() => Float, { nullable: true, description: RATE })
  cacheReadPerMTok?: number | null;

  @Field(() => Float, { nullable: true, description: RATE })
  cacheWritePerMTok?: number | null;
}

@ObjectType()
export class RepriceResult {
  @Field(() => GraphQLSafeInt)
  updated: number;

  @Field(() => Float)
  costDelta: number;
}
