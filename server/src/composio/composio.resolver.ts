import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { who, writeWorkspace, type Context } from '../graphql/context';
import { agentToolsLoader } from './composio.loader';
import {
  actionLeaderboard,
  listConnectedApps,
  listToolAgents,
  recordAction,
  recordConnection,
  usageWindow,
} from './composio.service';
import {
  ActionLeaderboardEntry,
  AgentTool,
  AgentToolMapping,
  ComposioActionInput,
  ComposioConnectionInput,
  ConnectedAppStats,
} from './composio.types';

const DaysArg = () => Arg('days', () => Int, { nullable: true, description: 'UTC days counted, today included: default 30, 1 to 365.' });

@Resolver(() => AgentToolMapping)
export class ComposioResolver {
  @Authorized()
  @Query(() => [ConnectedAppStats], { description: 'Connected apps, busiest first.' })
  composioApps(@DaysArg() days: number | null, @Ctx() ctx: Context): Promise<ConnectedAppStats[]> {
    return listConnectedApps(ctx.db, who(ctx).scope, usageWindow(days, ctx.services.now()));
  }

  @Authorized()
  @Query(() => [ActionLeaderboardEntry], { description: 'Actions used in the window, most used first.' })
  composioActions(@DaysArg() days: number | null, @Ctx() ctx: Context): Promise<ActionLeaderboardEntry[]> {
    return actionLeaderboard(ctx.db, who(ctx).scope, usageWindow(days, ctx.services.now()));
  }

  @Authorized()
  @Query(() => [AgentToolMapping], { description: 'Each agent with its tools, the most active agents first.' })
  async composioAgentTools(@DaysArg() days: number | null, @Ctx() ctx: Context): Promise<AgentToolMapping[]> {
    const window = usageWindow(days, ctx.services.now());
    const agents = await listToolAgents(ctx.db, who(ctx).scope, window);
    return agents.map((a) => ({ ...a, window }));
  }

  @FieldResolver(() => String)
  async agentName(@Root() mapping: AgentToolMapping, @Ctx() ctx: Context): Promise<string> {
    const agent = await ctx.loaders.agent.load([mapping.workspaceId, mapping.agentId]);
    return agent?.name ?? mapping.agentId;
  }

  @FieldResolver(() => [AgentTool])
  tools(@Root() mapping: AgentToolMapping, @Ctx() ctx: Context): Promise<AgentTool[]> {
    return agentToolsLoader(ctx, mapping.window).load([mapping.workspaceId, mapping.agentId]);
  }

  @Authorized()
  @Mutation(() => ConnectedAppStats, { description: 'Creates or updates a connection; answers with its last 30 days.' })
  async recordComposioConnection(
    @Arg('input', () => ComposioConnectionInput) input: ComposioConnectionInput,
    @Ctx() ctx: Context,
  ): Promise<ConnectedAppStats> {
    const workspaceId = writeWorkspace(ctx);
    const appName = await recordConnection(ctx.db, workspaceId, input);
    const [stats] = await listConnectedApps(ctx.db, { kind: 'workspace', workspaceId }, usageWindow(null, ctx.services.now()), appName);
    return stats;
  }

  @Authorized()
  @Mutation(() => AgentTool, { description: "Adds uses of an agent's action; answers with the tool's all-time total." })
  recordComposioAction(@Arg('input', () => ComposioActionInput) input: ComposioActionInput, @Ctx() ctx: Context): Promise<AgentTool> {
    return recordAction(ctx.services.dataSource, writeWorkspace(ctx), input, ctx.services.now());
  }
}
