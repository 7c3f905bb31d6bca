import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { writeWorkspace, type Context } from '../graphql/context';
import { secretRing } from './provider-key-cipher';
import { deleteProviderKey, listProviderKeys, setProviderKey } from './provider-keys.service';
import { ProviderKey } from './provider-keys.types';

/** Provider keys belong to one workspace: the scoped one, or the caller's own in scope __all__. */
@Resolver()
export class ProviderKeysResolver {
  @Authorized()
  @Query(() => [ProviderKey], { description: "The workspace's provider keys, last four characters only." })
  providerKeys(@Ctx() ctx: Context): Promise<ProviderKey[]> {
    return listProviderKeys(ctx.db, writeWorkspace(ctx));
  }

  @Authorized()
  @Mutation(() => ProviderKey, { description: 'Stores or replaces the key, encrypted (AES-256-GCM); only its last four characters come back.' })
  async setProviderKey(
    @Arg('provider', () => String) provider: string,
    @Arg('key', () => String) key: string,
    @Ctx() ctx: Context,
  ): Promise<ProviderKey> {
    const workspaceId = writeWorkspace(ctx);
    const stored = await setProviderKey(ctx.db, secretRing(ctx.services.config.secretKey), workspaceId, provider, key);
    ctx.services.logger.info({ workspaceId, provider: stored.provider, last4: stored.last4 }, 'provider key stored');
    return stored;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'True when a key was removed, false when there was none.' })
  async deleteProviderKey(@Arg('provider', () => String) provider: string, @Ctx() ctx: Context): Promise<boolean> {
    const workspaceId = writeWorkspace(ctx);
    const deleted = await deleteProviderKey(ctx.db, workspaceId, provider);
    if (deleted) ctx.services.logger.info({ workspaceId, provider: provider.trim().toLowerCase() }, 'provider key deleted');
    return deleted;
  }
}
