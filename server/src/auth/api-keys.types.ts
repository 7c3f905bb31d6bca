import { Field, ID, ObjectType } from 'type-graphql';
import { RoleEnum } from '../workspaces/workspace.types';
import type { Role } from './roles';

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  label: string | null;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => ID)
  workspaceId: string;

  @Field(() => String, { description: "The key's first characters, enough to recognise it (never the whole key)." })
  prefix: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}
