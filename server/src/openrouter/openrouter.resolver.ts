import { Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { writeWorkspace, type Context } from '../graphql/context';
import { publishStored } from '../ingest/ingest.resolver';
import { secretRing } from '../keys/provider-key-cipher';
import { fetchCredits, fetchKeyInfo, syncActivity, type OpenRouterAccess } from './openrouter.service';
import { OpenRouterCredits, OpenRouterKeyInfo, OpenRouterSyncResult } from './openrouter.types';

function access(ctx: Context): OpenRouterAccess {
  const { config } = ctx.services;
  return {
    baseUrl: config.openRouterBaseUrl,
    timeoutMs: config.openRouterTimeoutMs,
    serverKey: config.openRouterApiKey,
    ring: secretRing(config.secretKey),
    logger: ctx.services.logger,
  };
}

/** OpenRouter answers for one workspace: the scoped one, or the caller's own in scope __all__. */
@Resolver()
export class OpenRouterResolver {
  @Authorized()
  @Query(() => OpenRouterCredits, { description: "Credits bought and used (GET /credits), with the workspace's key or else the server's." })
  openRouterCredits(@Ctx() ctx: Context): Promise<OpenRouterCredits> {
    return fetchCredits(ctx.db, access(ctx), writeWorkspace(ctx));
  }

  @Authorized()
  @Query(() => OpenRouterKeyInfo, { description: "The key's limits and usage (GET /key), with the workspace's key or else the server's." })
  openRouterKeyInfo(@Ctx() ctx: Context): Promise<OpenRouterKeyInfo> {
    return fetchKeyInfo(ctx.db, access(ctx), writeWorkspace(ctx));
  }

  @Authorized()
  @Mutation(() => OpenRouterSyncResult, {
    description: "Imports the last 30 completed UTC days of OpenRouter activity as calls (requestType activity_sync), with the workspace's own key; a re-sync stores nothing twice.",
  })
  async syncOpenRouterActivity(@Ctx() ctx: Context): Promise<OpenRouterSyncResult> {
    const outcome = await syncActivity(ctx.db, ctx.services.dataSource, access(ctx), writeWorkspace(ctx), ctx.services.now());
    await publishStored(ctx.services.pubsub, outcome.ingest);
    return { fetchedRows: outcome.fetchedRows, inserted: outcome.inserted, skippedDuplicates: outcome.skippedDuplicates };
  }
}
