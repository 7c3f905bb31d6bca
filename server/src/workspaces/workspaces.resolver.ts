import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ALL_WORKSPACES } from '../auth/auth.service';
import { who, type Context } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { Viewer, Workspace } from './workspace.types';
import { createWorkspace, getWorkspace, listWorkspaces } from './workspaces.service';

@Resolver()
export class WorkspacesResolver {
  @Authorized()
  @Query(() => Viewer)
  async viewer(@Ctx() ctx: Context): Promise<Viewer> {
    const { viewer, scope } = who(ctx);
    const workspace = await getWorkspace(ctx.db, viewer.workspaceId);
    if (!workspace) throw badInput('the workspace of this API key no longer exists');
    return { workspace, role: viewer.role, scope: scope.kind === 'all' ? ALL_WORKSPACES : scope.workspaceId };
  }

  @Authorized()
  @Query(() => [Workspace], { description: 'Every workspace, for the switcher. Admin only.' })
  workspaces(@Ctx() ctx: Context): Promise<Workspace[]> {
    return listWorkspaces(ctx.db);
  }

  @Authorized()
  @Mutation(() => Workspace, { description: 'Admin only.' })
  createWorkspace(
    @Arg('name', () => String) name: string,
    @Arg('plan', () => String, { nullable: true }) plan: string | null,
    @Ctx() ctx: Context,
  ): Promise<Workspace> {
    return createWorkspace(ctx.db, name, plan);
  }
}
