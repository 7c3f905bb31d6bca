import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { who, writeWorkspace, type Context } from '../graphql/context';
import { mem0ReaderFor } from './memory.loader';
import { readAgentMemoryStats, readMemoryStats, readRecentMemories } from './memory.reader';
import { recentLimit, recordMemory } from './memory.service';
import { AgentMemoryStats, MemoryInput, MemoryItem, MemoryStats } from './memory.types';

@Resolver(() => AgentMemoryStats)
export class MemoryResolver {
  @Authorized()
  @Query(() => MemoryStats, { description: 'From Mem0 when MEM0_URL is set and it answers in time; else from the local table (source LOCAL).' })
  memoryStats(@Ctx() ctx: Context): Promise<MemoryStats> {
    return readMemoryStats(ctx.db, who(ctx).scope, mem0ReaderFor(ctx), ctx.services.logger);
  }

  @Authorized()
  @Query(() => [AgentMemoryStats], { description: 'Each agent with memories, the most first; from Mem0 or else the local table.' })
  agentMemoryStats(@Ctx() ctx: Context): Promise<AgentMemoryStats[]> {
    return readAgentMemoryStats(ctx.db, who(ctx).scope, mem0ReaderFor(ctx), ctx.services.logger);
  }

  @Authorized()
  @Query(() => [MemoryItem], { description: 'The newest memories: limit default 10, 1 to 100; from Mem0 or else the local table.' })
  recentMemories(@Arg('limit', () => Int, { nullable: true }) limit: number | null, @Ctx() ctx: Context): Promise<MemoryItem[]> {
    return readRecentMemories(ctx.db, who(ctx).scope, mem0ReaderFor(ctx), ctx.services.logger, recentLimit(limit));
  }

  @FieldResolver(() => String)
  async agentName(@Root() stats: AgentMemoryStats, @Ctx() ctx: Context): Promise<string> {
    const agent = await ctx.loaders.agent.load([stats.workspaceId, stats.agentId]);
    return agent?.name ?? stats.agentId;
  }

  @Authorized()
  @Mutation(() => MemoryItem, { description: "Stores a memory in the gateway's own table (the one that answers when Mem0 is unset or fails)." })
  recordMemory(@Arg('input', () => MemoryInput) input: MemoryInput, @Ctx() ctx: Context): Promise<MemoryItem> {
    return recordMemory(ctx.services.dataSource, writeWorkspace(ctx), input, ctx.services.now());
  }
}
