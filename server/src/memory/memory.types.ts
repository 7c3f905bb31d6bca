import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { graphqlEnum } from '../graphql/enum';

export type MemorySource = 'MEM0' | 'LOCAL';
export const MemorySourceEnum = graphqlEnum<MemorySource>(
  'MemorySource',
  ['MEM0', 'LOCAL'],
  "Where memory answers come from: the Mem0 (OpenMemory) server, or the gateway's own table.",
);

@ObjectType()
export class CountByKey {
  @Field(() => String)
  key: string;

  @Field(() => GraphQLSafeInt)
  count: number;
}

@ObjectType()
export class MemoryStats {
  @Field(() => MemorySourceEnum, { description: 'LOCAL when MEM0_URL is unset, or when Mem0 failed or did not answer in time.' })
  source: MemorySource;

  @Field(() => GraphQLSafeInt)
  totalMemories: number;

  @Field(() => [CountByKey], { description: 'Memories per type, the most common first.' })
  byType: CountByKey[];

  @Field(() => [CountByKey], { description: 'Memories per level, the most common first; memories without a level are not counted here.' })
  byLevel: CountByKey[];

  @Field(() => Float, { description: 'Average importance (0 to 1) of the memories that have one.' })
  avgImportance: number;

  @Field(() => GraphQLSafeInt)
  totalAccessCount: number;

  @Field(() => Int)
  agentsWithMemories: number;
}

@ObjectType()
export class AgentMemoryStats {
  @Field(() => ID)
  agentId: string;

  @Field(() => GraphQLSafeInt)
  memoryCount: number;

  @Field(() => Float)
  avgImportance: number;

  @Field(() => Date, { nullable: true })
  lastCreatedAt: Date | null;

  /** Read by the agentName field resolver through the per-request agent loader. */
  workspaceId: string;
}

@ObjectType()
export class MemoryItem {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  agentId: string | null;

  @Field(() => String)
  memoryType: string;

  @Field(() => String, { nullable: true })
  memoryLevel: string | null;

  @Field(() => Float, { description: '0 to 1.' })
  importance: number;

  @Field(() => Int)
  accessCount: number;

  @Field(() => String, { description: 'At most 200 characters of the memory.' })
  preview: string;

  @Field(() => Date)
  createdAt: Date;
}

@InputType()
export class MemoryInput {
  @Field(() => ID, { nullable: true, description: 'The agent the memory belongs to; an unknown agent is created named after its id.' })
  agentId?: string | null;

  @Field(() => String, { description: 'e.g. episodic, semantic, procedural.' })
  memoryType: string;

  @Field(() => String, { nullable: true, description: 'e.g. short_term, long_term.' })
  memoryLevel?: string | null;

  @Field(() => Float, { description: '0 to 1.' })
  importance: number;

  @Field(() => String, { description: 'At most 20000 characters.' })
  content: string;
}
