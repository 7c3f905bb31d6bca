import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ALL_WORKSPACES } from '../auth/auth.service';
import { who, type Context } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { Viewer, Workspace } from './workspace.types';
import { createWorkspace, getWorkspace, listWorkspaces, workspaceCursor } from './workspaces.service';

@Resolver(() => Workspace)
export class WorkspacesResolver {
  @FieldResolver(() => String, { description: 'Where a page of `workspaces` that ends with this workspace ends: pass it as `after`.' })
  cursor(@Root() workspace: Workspace): string {
    return workspaceCursor(workspace);
  }

  @Authorized()
  @Query(() => Viewer)
  async viewer(@Ctx() ctx: Context): Promise<Viewer> {
    const { viewer, scope } = who(ctx);
    const workspace = await getWorkspace(ctx.db, viewer.workspaceId);
    if (!workspace) throw badInput('the workspace of this API key no longer exists');
    return { workspace, role: viewer.role, scope: scope.kind === 'all' ? ALL_WORKSPACES : scope.workspaceId };
  }

  @Authorized()
  @Query(() => [Workspace], {
    description:
      'Workspaces by name, for the switcher: every one by default; `search` matches part of the name, `limit` cuts a page and `after` ' +
      '(a Workspace.cursor) starts the next. Admin only.',
  })
  workspaces(
    @Arg('search', () => String, { nullable: true }) search: string | null,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<Workspace[]> {
    return listWorkspaces(ctx.db, { search, limit, after });
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
