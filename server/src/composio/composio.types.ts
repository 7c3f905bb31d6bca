import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { CALL_BOUNDS } from '../ingest/call-bounds';
import { graphqlEnum } from '../graphql/enum';

export const CONNECTION_STATUSES = ['ACTIVE', 'DISCONNECTED', 'ERROR'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];
export const ConnectionStatusEnum = graphqlEnum<ConnectionStatus>('ConnectionStatus', CONNECTION_STATUSES);

/** A usage window: the `days` UTC days ending with today's (today included). */
export interface UsageWindow {
  days: number;
  /** The first UTC day counted, YYYY-MM-DD. */
  firstDay: string;
}

@ObjectType({ description: 'A connected app and the use its actions had in the window.' })
export class ConnectedAppStats {
  @Field(() => String)
  appName: string;

  @Field(() => ConnectionStatusEnum)
  status: ConnectionStatus;

  @Field(() => GraphQLSafeInt, { description: "Actions of this app recorded in the window." })
  totalActionsUsed: number;

  @Field(() => Int, { description: 'Agents that used an action of this app in the window.' })
  agentCount: number;

  @Field(() => GraphQLSafeInt)
  documentsSynced: number;

  @Field(() => Date, { nullable: true, description: 'The last recorded use of any of its actions, at any time.' })
  lastUsedAt: Date | null;
}

@ObjectType()
export class ActionLeaderboardEntry {
  @Field(() => String)
  actionName: string;

  @Field(() => String)
  appName: string;

  @Field(() => GraphQLSafeInt, { description: 'Uses recorded in the window.' })
  usageCount: number;

  @Field(() => Int, { description: 'Agents that used it in the window.' })
  agentsUsing: number;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;
}

@ObjectType()
export class AgentTool {
  @Field(() => String)
  appName: string;

  @Field(() => String)
  actionName: string;

  @Field(() => GraphQLSafeInt, {
    description: 'Uses recorded in the window (in the answer to recordComposioAction: all uses ever recorded).',
  })
  usageCount: number;

  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;
}

@ObjectType({ description: 'An agent and the tools (app actions) it has.' })
export class AgentToolMapping {
  @Field(() => ID)
  agentId: string;

  /** Read by the field resolvers through the per-request loaders. */
  workspaceId: string;
  window: UsageWindow;
}

@InputType()
export class ComposioConnectionInput {
  @Field(() => String, { description: 'Stored upper-case, e.g. GOOGLEDRIVE.' })
  appName: string;

  @Field(() => ConnectionStatusEnum)
  status: ConnectionStatus;

  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Documents synced so far; left out, the stored count stays.' })
  documentsSynced?: number | null;
}

@InputType()
export class ComposioActionInput {
  @Field(() => ID)
  agentId: string;

  @Field(() => String, { description: 'Stored upper-case, e.g. GOOGLEDRIVE.' })
  appName: string;

  @Field(() => String)
  actionName: string;

  @Field(() => Int, { nullable: true, description: 'Uses to add, default 1; 0 registers the tool (or changes enabled) without a use.' })
  count?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Left out: true for a new tool, unchanged for a known one.' })
  enabled?: boolean | null;

  @Field(() => Date, {
    nullable: true,
    description: `When the uses happened; defaults to now. From ${CALL_BOUNDS.earliestOccurredAt.toISOString()} to ${CALL_BOUNDS.maxFutureMs / 60_000} minutes ahead.`,
  })
  occurredAt?: Date | null;
}
