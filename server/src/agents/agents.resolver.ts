import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { who, writeWorkspace, type Context } from '../graphql/context';
import { Agent, AgentInput } from './agent.types';
import { listAgents, upsertAgent } from './agents.service';

@Resolver(() => Agent)
export class AgentsResolver {
  @Authorized()
  @Query(() => [Agent])
  agents(@Ctx() ctx: Context): Promise<Agent[]> {
    return listAgents(ctx.db, who(ctx).scope);
  }

  @Authorized()
  @Mutation(() => Agent)
  upsertAgent(@Arg('input', () => AgentInput) input: AgentInput, @Ctx() ctx: Context): Promise<Agent> {
    return upsertAgent(ctx.db, writeWorkspace(ctx), input);
  }
}
