import { Field, ID, ObjectType } from 'type-graphql';
import { graphqlEnum } from '../graphql/enum';
import { ROLES, type Role } from '../auth/roles';

export const RoleEnum = graphqlEnum<Role>('Role', ROLES);

@ObjectType()
export class Workspace {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  plan: string;

  @Field(() => String, { description: 'IANA zone the dashboard uses for days by default.' })
  timezone: string;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType()
export class Viewer {
  @Field(() => Workspace)
  workspace: Workspace;

  @Field(() => RoleEnum)
  role: Role;

  @Field(() => String, { description: "The scope this request runs in: the workspace id, or '__all__'." })
  scope: string;
}
