import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: "What a scope stores: a workspace's, or the platform's for an admin in scope __all__." })
export class StorageStats {
  @Field(() => GraphQLSafeInt)
  rawCalls: number;

  @Field(() => Date, { nullable: true, description: 'The oldest raw call kept: the calls list and the CSV export start here.' })
  oldestRawCall: Date | null;

  @Field(() => GraphQLSafeInt, { description: 'Rows of every rollup table: what every dashboard figure is read from, kept whatever the retention.' })
  rollupRows: number;

  @Field(() => Float, {
    description:
      "Bytes of raw calls and rollups with their indexes (a workspace's share of each table, by rows); in scope __all__ every table of the database.",
  })
  totalBytes: number;
}

@ObjectType({ description: 'What a retention would delete if it were set now.' })
export class RetentionPreview {
  @Field(() => Date, { nullable: true, description: 'Raw calls before this would go (a whole hour); null: the retention keeps them for ever.' })
  cut: Date | null;

  @Field(() => GraphQLSafeInt, { description: 'Raw calls stored before the cut now.' })
  calls: number;

  @Field(() => Date, { nullable: true, description: 'The oldest of them.' })
  oldestCall: Date | null;
}
