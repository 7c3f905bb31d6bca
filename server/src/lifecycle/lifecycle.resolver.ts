import DataLoader from 'dataloader';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { adminPlatformDb, afterCommit, noteAudit, who, type Context } from '../graphql/context';
import { forgetRawKeptFrom } from '../metrics/raw-kept-from';
import { Workspace } from '../workspaces/workspace.types';
import { getWorkspace, type WorkspaceRecord } from '../workspaces/workspaces.service';
import { badInput } from '../graphql/errors';
import { RetentionPreview, StorageStats } from './lifecycle.types';
import { effectiveRetentionDays, previewRetention, setRetention } from './retention.service';
import { storageOf, storageOfWorkspaces, type StorageValues } from './storage.service';
import { checkDeletion, deleteWorkspaceRows } from './workspace-deletion.service';

const storageLoaders = new WeakMap<Context['loaders'], DataLoader<string, StorageValues>>();

/** Retention, storage figures and deleting a workspace. */
@Resolver(() => Workspace)
export class LifecycleResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: "Raw calls older than this many days are deleted; rollups, and so every dashboard, keep them. Null: kept for ever.",
  })
  retentionDays(@Root() workspace: WorkspaceRecord, @Ctx() ctx: Context): number | null {
    return effectiveRetentionDays(workspace, ctx.services.config.retentionDays);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'Raw calls before this were deleted by retention (the calls list, the CSV export and exact percentiles start here); null: none was.',
  })
  rawCallsKeptFrom(@Root() workspace: WorkspaceRecord): Date | null {
    return workspace.rawKeptFrom;
  }

  @FieldResolver(() => StorageStats, { description: "The workspace's storage: admins see any workspace's; others their own." })
  storage(@Root() workspace: WorkspaceRecord, @Ctx() ctx: Context): Promise<StorageValues> {
    let loader = storageLoaders.get(ctx.loaders);
    if (!loader) {
      const { viewer } = who(ctx);
      const db = viewer.role === 'ADMIN' ? adminPlatformDb(ctx) : ctx.db;
      loader = new DataLoader(async (ids) => {
        const found = await storageOfWorkspaces(db, ids);
        return ids.map((id) => found.get(id)!);
      });
      storageLoaders.set(ctx.loaders, loader);
    }
    return loader.load(workspace.id);
  }

  @Authorized()
  @Query(() => StorageStats, {
    name: 'storage',
    description: "Raw calls, the oldest raw call, rollup rows and bytes of the scope (an admin in __all__: the platform's).",
  })
  scopeStorage(@Ctx() ctx: Context): Promise<StorageValues> {
    return storageOf(ctx.db, who(ctx).scope);
  }

  @Authorized()
  @Query(() => RetentionPreview, { description: 'What setting this retention on the workspace would delete now: the cut and the raw calls before it.' })
  retentionPreview(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('days', () => Int, { nullable: true }) days: number | null,
    @Ctx() ctx: Context,
  ): Promise<RetentionPreview> {
    const { viewer } = who(ctx);
    return previewRetention(viewer.role === 'ADMIN' ? adminPlatformDb(ctx) : ctx.db, viewer, workspaceId, days, ctx.services.now());
  }

  @Authorized()
  @Mutation(() => Workspace, { description: 'Null: keep raw calls for ever. At least 1 day.' })
  async setRetention(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('days', () => Int, { nullable: true }) days: number | null,
    @Ctx() ctx: Context,
  ): Promise<WorkspaceRecord> {
    await setRetention(ctx.db, who(ctx).viewer, workspaceId, days);
    noteAudit(ctx, { target: workspaceId, workspaceId });
    afterCommit(ctx, () => ctx.services.retention.kick());
    const workspace = await getWorkspace(ctx.db, workspaceId);
    if (!workspace) throw badInput(`workspaceId must name an existing workspace, but got "${workspaceId}"`);
    return workspace;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Admin only. Deletes the workspace and everything of it; confirmName must equal its name.' })
  async deleteWorkspace(@Arg('id', () => ID) id: string, @Arg('confirmName', () => String) confirmName: string, @Ctx() ctx: Context): Promise<boolean> {
    const { viewer } = who(ctx);
    const platform = adminPlatformDb(ctx);
    const workspace = await checkDeletion(platform, viewer, id, confirmName);
    noteAudit(ctx, { target: `${workspace.name} (${workspace.id})`, workspaceId: null });
    const { keys, pubsub } = ctx.services;
    await deleteWorkspaceRows(platform, workspace.id, ctx.services.now(), {
      onKeysStopped: (keyIds) => {
        keys.forgetWorkspace(workspace.id);
        for (const keyId of keyIds) pubsub.publish('API_KEY_REVOKED', { keyId });
      },
      // The audit entry's transaction waits open while the batches run on their own: a statement
      // now and then keeps it from the server's idle-in-transaction timeout.
      betweenBatches: () => ctx.db.query('SELECT 1'),
    });
    forgetRawKeptFrom(workspace.id);
    pubsub.publish('RAW_CALLS_CUT', { workspaceId: workspace.id });
    return true;
  }
}
