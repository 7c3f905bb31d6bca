import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ALL_WORKSPACES, createApiKey, MAX_KEY_LABEL, type Role } from '../auth/auth.service';
import { adminPlatformDb, who, type Context } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { RoleEnum, Viewer, Workspace } from './workspace.types';
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

  @Authorized('ADMIN')
  @Query(() => [Workspace], { description: 'Every workspace, for the switcher. Admin only.' })
  workspaces(@Ctx() ctx: Context): Promise<Workspace[]> {
    return listWorkspaces(ctx.db);
  }

  @Authorized('ADMIN')
  @Mutation(() => Workspace, { description: 'Admin only.' })
  createWorkspace(
    @Arg('name', () => String) name: string,
    @Arg('plan', () => String, { nullable: true }) plan: string | null,
    @Ctx() ctx: Context,
  ): Promise<Workspace> {
    return createWorkspace(adminPlatformDb(ctx), name, plan);
  }

  @Authorized('ADMIN')
  @Mutation(() => String, { description: 'Admin only; the key is shown once, in this answer.' })
  async createApiKey(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('role', () => RoleEnum) role: Role,
    @Arg('label', () => String, { nullable: true, description: `At most ${MAX_KEY_LABEL} characters.` }) label: string | null,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const workspace = /^[0-9a-f-]{36}$/i.test(workspaceId) ? await getWorkspace(adminPlatformDb(ctx), workspaceId) : null;
    if (!workspace) throw badInput(`workspaceId must name an existing workspace, but got "${workspaceId}"`);
    return createApiKey(adminPlatformDb(ctx), workspaceId, role, label?.trim() || null);
  }
}
