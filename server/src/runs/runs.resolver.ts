import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Agent } from '../agents/agent.types';
import { agentToolsLoader } from '../composio/composio.loader';
import { usageWindow } from '../composio/composio.service';
import { AgentTool } from '../composio/composio.types';
import { who, type Context } from '../graphql/context';
import { AppError } from '../graphql/errors';
import { toLlmCall } from '../ingest/ingest.resolver';
import { LlmCall } from '../ingest/llm-call.types';
import { AgentMemoryStats } from '../memory/memory.types';
import { periodLengthMs, periodRange, type Period } from '../metrics/metrics.model';
import { PeriodEnum } from '../metrics/metrics.types';
import { agentAnalytics } from './agent-analytics.service';
import type { RunRecord } from './run.record';
import { agentMemoryLoader, runCallsLoader } from './runs.loader';
import { findRun, listRuns, runMatches, workflowStats, type RunOrder } from './runs.service';
import { AgentAnalytics, Run, RunFilter, RunOrderEnum, RunPage, WorkflowStats } from './runs.types';

/** A run as the API shows it; the record stays beside it for the field resolvers. */
export function toRun(record: RunRecord): Run {
  return {
    id: record.executionId,
    workflow: record.workflow,
    startedAt: new Date(record.startedAt),
    endedAt: new Date(record.endedAt),
    durationMs: record.durationMs,
    callCount: record.calls,
    inputTokens: record.inputTokens,
    outputTokens: record.outputTokens,
    totalCost: record.totalCost,
    errorCount: record.errors,
    status: record.errors > 0 ? 'ERROR' : 'SUCCESS',
    models: record.models,
    workspaceId: record.workspaceId,
    agentIds: record.agentIds,
    startedAtText: record.startedAt,
    endedAtText: record.endedAt,
  };
}

const recordOf = (run: Run): RunRecord => ({
  workspaceId: run.workspaceId,
  executionId: run.id,
  workflow: run.workflow,
  startedAt: run.startedAtText,
  endedAt: run.endedAtText,
  durationMs: run.durationMs,
  calls: run.callCount,
  errors: run.errorCount,
  inputTokens: run.inputTokens,
  outputTokens: run.outputTokens,
  totalCost: run.totalCost,
  agentIds: run.agentIds,
  models: run.models,
});

interface RunSubscriptionArgs {
  workflow?: string | null;
}

@Resolver(() => Run)
export class RunsResolver {
  @Authorized()
  @Query(() => RunPage, {
    description:
      'Runs that started in the period. orderBy: default STARTED_AT; descending: default true; limit: default 50, at most 200; after: the nextCursor of the previous page in the same order.',
  })
  async runs(
    @Arg('period', () => PeriodEnum) period: Period,
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | null,
    @Arg('orderBy', () => RunOrderEnum, { nullable: true }) orderBy: RunOrder | null,
    @Arg('descending', () => Boolean, { nullable: true }) descending: boolean | null,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<RunPage> {
    const range = periodRange(period, ctx.services.now());
    const page = await listRuns(ctx.db, who(ctx).scope, { range, filter, orderBy, descending, limit, after });
    return { runs: page.runs.map(toRun), nextCursor: page.nextCursor };
  }

  @Authorized()
  @Query(() => Run, { nullable: true, description: 'The run of an executionId; null when the scope has none.' })
  async run(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Run | null> {
    const found = await findRun(ctx.db, who(ctx).scope, id);
    return found ? toRun(found) : null;
  }

  @Authorized()
  @Query(() => [WorkflowStats], { description: 'Per workflow, the runs that started in the period, costliest first; runs that name no workflow are left out.' })
  workflowStats(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context): Promise<WorkflowStats[]> {
    return workflowStats(ctx.db, who(ctx).scope, periodRange(period, ctx.services.now()));
  }

  @Authorized()
  @Query(() => [AgentAnalytics], { description: 'Every agent with its figures over the period, costliest first.' })
  async agentAnalytics(@Arg('period', () => PeriodEnum) period: Period, @Ctx() ctx: Context): Promise<AgentAnalytics[]> {
    const records = await agentAnalytics(ctx.db, who(ctx).scope, periodRange(period, ctx.services.now()));
    const toolDays = Math.max(1, Math.ceil(periodLengthMs(period) / 86_400_000));
    return records.map(({ agent, ...figures }) => {
      ctx.loaders.agent.prime([agent.workspaceId, agent.id], agent);
      return { ...figures, workspaceId: agent.workspaceId, agentId: agent.id, toolDays };
    });
  }

  @Authorized()
  @Subscription(() => Run, {
    topics: 'RUN_UPDATED',
    description: "A run again each time one of its calls lands, in the subscriber's scope.",
    filter: ({ payload, args, context }: { payload: RunRecord; args: RunSubscriptionArgs; context: Context }) =>
      context.auth.ok && runMatches(payload, context.auth.scope, args.workflow),
  })
  runUpdated(@Root() run: RunRecord, @Arg('workflow', () => String, { nullable: true }) _workflow: string | null): Run {
    return toRun(run);
  }

  @FieldResolver(() => [Agent])
  async agents(@Root() run: Run, @Ctx() ctx: Context): Promise<Agent[]> {
    const agents = await ctx.loaders.agent.loadMany(run.agentIds.map((id) => [run.workspaceId, id] as const));
    return agents.flatMap((agent) => {
      if (agent instanceof Error) throw agent;
      return agent ? [agent] : [];
    });
  }

  @FieldResolver(() => [LlmCall], { description: 'Its calls, oldest first.' })
  async calls(@Root() run: Run, @Ctx() ctx: Context): Promise<LlmCall[]> {
    return (await runCallsLoader(ctx).load(recordOf(run))).map(toLlmCall);
  }
}

@Resolver(() => AgentAnalytics)
export class AgentAnalyticsResolver {
  @FieldResolver(() => Agent)
  async agent(@Root() analytics: AgentAnalytics, @Ctx() ctx: Context): Promise<Agent> {
    const agent = await ctx.loaders.agent.load([analytics.workspaceId, analytics.agentId]);
    if (!agent) throw new AppError('INTERNAL_SERVER_ERROR', `agent ${analytics.agentId} vanished`);
    return agent;
  }

  @FieldResolver(() => [AgentTool], { description: "Its Composio tools, with their uses over the period's days." })
  tools(@Root() analytics: AgentAnalytics, @Ctx() ctx: Context): Promise<AgentTool[]> {
    return agentToolsLoader(ctx, usageWindow(analytics.toolDays, ctx.services.now())).load([analytics.workspaceId, analytics.agentId]);
  }

  @FieldResolver(() => AgentMemoryStats, { nullable: true })
  memory(@Root() analytics: AgentAnalytics, @Ctx() ctx: Context): Promise<AgentMemoryStats | null> {
    return agentMemoryLoader(ctx).load([analytics.workspaceId, analytics.agentId]);
  }
}
