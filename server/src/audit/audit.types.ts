import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import type { Role } from '../auth/roles';
import { RoleEnum } from '../workspaces/workspace.types';

@ObjectType()
export class AuditEntry {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  at: Date;

  @Field(() => ID, { nullable: true, description: 'Null for a platform action (shown to admins in scope __all__).' })
  workspaceId: string | null;

  @Field(() => ID, { nullable: true })
  actorKeyId: string | null;

  @Field(() => String, { nullable: true })
  actorLabel: string | null;

  @Field(() => RoleEnum)
  actorRole: Role;

  @Field(() => String, { description: "The mutation's name, e.g. setBudget." })
  action: string;

  @Field(() => String, { nullable: true, description: 'What it acted on: a budget id, a provider, a key id, a model.' })
  target: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Its arguments, with every secret left out.' })
  detail: unknown;
}
