import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { adminPlatformDb, afterCommit, noteAudit, who, type Context } from '../graphql/context';
import { RoleEnum } from '../workspaces/workspace.types';
import { createKey, listKeys, revokeKey, rotateKey } from './api-keys.service';
import { MAX_KEY_LABEL } from './auth.service';
import { ApiKey } from './api-keys.types';
import type { Role } from './roles';

/** Keys of a workspace: who may touch which is checked in api-keys.service (checkKeyAuthority). */
@Resolver()
export class ApiKeysResolver {
  @Authorized()
  @Query(() => [ApiKey], { description: "A workspace's keys (the scope's when none is named; every workspace's for an admin in scope __all__)." })
  apiKeys(@Arg('workspaceId', () => ID, { nullable: true }) workspaceId: string | null, @Ctx() ctx: Context): Promise<ApiKey[]> {
    const { viewer, scope } = who(ctx);
    // An admin may name any workspace, whatever scope the request carries.
    return listKeys(viewer.role === 'ADMIN' ? adminPlatformDb(ctx) : ctx.db, viewer, scope, workspaceId);
  }

  @Authorized()
  @Mutation(() => String, {
    description: 'A MEMBER key creates MEMBER, VIEWER and INGEST keys of its own workspace; an ADMIN key any. The key is shown once, in this answer.',
  })
  async createApiKey(
    @Arg('workspaceId', () => ID) workspaceId: string,
    @Arg('role', () => RoleEnum) role: Role,
    @Arg('label', () => String, { nullable: true, description: `At most ${MAX_KEY_LABEL} characters.` }) label: string | null,
    @Arg('expiresAt', () => Date, { nullable: true }) expiresAt: Date | null,
    @Ctx() ctx: Context,
  ): Promise<string> {
    const created = await createKey(ctx.db, who(ctx).viewer, { workspaceId, role, label, expiresAt }, ctx.services.now());
    noteAudit(ctx, { target: created.id, workspaceId });
    return created.key;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'The key is refused from its next request on, and its open sockets are closed. False when it was revoked already.' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const { revoked, key } = await revokeKey(ctx.db, who(ctx).viewer, id, ctx.services.now());
    noteAudit(ctx, { target: key.id, workspaceId: key.workspaceId });
    if (revoked) afterCommit(ctx, () => ctx.services.pubsub.publish('API_KEY_REVOKED', { keyId: key.id }));
    return revoked;
  }

  @Authorized()
  @Mutation(() => String, { description: 'A new key with the same label, role and workspace; the old one stops working at once.' })
  async rotateApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    const rotated = await rotateKey(ctx.db, who(ctx).viewer, id, ctx.services.now());
    noteAudit(ctx, { target: rotated.old.id, workspaceId: rotated.old.workspaceId });
    afterCommit(ctx, () => ctx.services.pubsub.publish('API_KEY_REVOKED', { keyId: rotated.old.id }));
    return rotated.key;
  }
}
