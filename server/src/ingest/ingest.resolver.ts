import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Agent } from '../agents/agent.types';
import { loadAgents, type AgentRecord } from '../agents/agents.service';
import { callerOf, who, writeWorkspace, type Context } from '../graphql/context';
import { AppError, badInput } from '../graphql/errors';
import { TEXT_CHECKED_PER_ITEM } from '../graphql/stored-text';
import { periodRange, type Period } from '../metrics/metrics.model';
import { PeriodEnum, UsageFilter } from '../metrics/metrics.types';
import { publishInTurns, type AppPubSub } from '../pubsub/pubsub';
import { callMatches, findCallByEventId, listCalls, storedEventTime } from './calls.service';
import { ingestCalls, MAX_BATCH, type StoredBatch } from './ingest.service';
import type { LlmCallRecord } from './llm-call.record';
import { LlmCall, LlmCallInput, TrackResult } from './llm-call.types';

export function toLlmCall(record: LlmCallRecord): LlmCall {
  return { ...record, occurredAt: new Date(record.occurredAt), totalTokens: record.inputTokens + record.outputTokens };
}

/** Tells subscribers about stored calls and the runs they added to, after the transaction that stored them committed. */
export async function publishStored(pubsub: AppPubSub, { stored, runs }: StoredBatch): Promise<void> {
  if (stored.length === 0) return;
  await publishInTurns(stored, (call) => pubsub.publish('LLM_CALL_TRACKED', call));
  await publishInTurns(runs, (run) => pubsub.publish('RUN_UPDATED', run));
  pubsub.publish('USAGE_CHANGED', { workspaceIds: [...new Set(stored.map((c) => c.workspaceId))] });
}

interface CallSubscriptionArgs {
  filter?: UsageFilter | null;
}

/**
 * Agents are read afresh for every event, but once per event: every subscriber of one
 * published call (the same payload object, in-process or from Redis) shares that read.
 */
const agentOfEvent = new WeakMap<LlmCallRecord, Promise<AgentRecord | null>>();
const EVENT_AGENT = Symbol('the agent of a published call, read once for all its subscribers');
type PublishedCall = LlmCall & { [EVENT_AGENT]?: Promise<AgentRecord | null> };

@Resolver(() => LlmCall)
export class IngestResolver {
  @Authorized()
  @Mutation(() => LlmCall)
  @Extensions({ [TEXT_CHECKED_PER_ITEM]: ['input'] })
  async trackLlmCall(@Arg('input', () => LlmCallInput) input: LlmCallInput, @Ctx() ctx: Context): Promise<LlmCall> {
    const { dataSource, pubsub, now } = ctx.services;
    const workspaceId = writeWorkspace(ctx);
    await ctx.services.limits.admitIngest(workspaceId, 1, callerOf(who(ctx).viewer));
    const outcome = await ingestCalls(dataSource, workspaceId, [input], now());
    ctx.services.monitoring.prometheus.countRejectedCalls(outcome.rejected.length);
    if (outcome.rejected.length > 0) throw badInput(outcome.rejected[0].message);
    await publishStored(pubsub, outcome);
    if (outcome.stored[0]) return toLlmCall(outcome.stored[0]);
    const eventId = input.eventId?.trim();
    const existing = eventId ? await findCallByEventId(ctx.db, workspaceId, eventId) : null;
    if (existing) return toLlmCall(existing);
    const storedAt = eventId ? await storedEventTime(ctx.db, workspaceId, eventId) : null;
    if (storedAt) {
      throw badInput(`eventId "${eventId}" names a call stored before, dated ${storedAt.toISOString()}, whose raw row the workspace's retention has deleted: a resend adds nothing`);
    }
    throw new AppError('INTERNAL_SERVER_ERROR', 'the call was neither stored nor found');
  }

  @Authorized()
  @Mutation(() => TrackResult, {
    description: 'At most 1000 calls; each is accepted, a duplicate, or rejected with its index and reason. One bad call never drops the others.',
  })
  @Extensions({ [TEXT_CHECKED_PER_ITEM]: ['inputs'] })
  async trackLlmCalls(@Arg('inputs', () => [LlmCallInput]) inputs: LlmCallInput[], @Ctx() ctx: Context): Promise<TrackResult> {
    if (inputs.length > MAX_BATCH) throw badInput(`inputs takes at most ${MAX_BATCH} calls, but got ${inputs.length}`);
    const { dataSource, pubsub, now } = ctx.services;
    const workspaceId = writeWorkspace(ctx);
    await ctx.services.limits.admitIngest(workspaceId, inputs.length, callerOf(who(ctx).viewer));
    const outcome = await ingestCalls(dataSource, workspaceId, inputs, now());
    await publishStored(pubsub, outcome);
    ctx.services.monitoring.prometheus.countRejectedCalls(outcome.rejected.length);
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected };
  }

  @Authorized()
  @Query(() => [LlmCall], { description: 'Calls newest first. limit: default 50, at most 500; before: the id of the last call already seen.' })
  async llmCalls(
    @Arg('period', () => PeriodEnum, { nullable: true }) period: Period | null,
    @Arg('filter', () => UsageFilter, { nullable: true }) filter: UsageFilter | null,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('before', () => ID, { nullable: true }) before: string | null,
    @Ctx() ctx: Context,
  ): Promise<LlmCall[]> {
    const range = period ? periodRange(period, ctx.services.now()) : undefined;
    const { calls, agents } = await listCalls(ctx.db, who(ctx).scope, { range, filter, limit, before });
    for (const agent of agents) ctx.loaders.agent.prime([agent.workspaceId, agent.id], agent);
    return calls.map(toLlmCall);
  }

  @Authorized()
  @Subscription(() => LlmCall, {
    topics: 'LLM_CALL_TRACKED',
    description: "Every call tracked in the subscriber's scope, as it lands.",
    filter: ({ payload, args, context }: { payload: LlmCallRecord; args: CallSubscriptionArgs; context: Context }) =>
      context.auth.ok && callMatches(payload, context.auth.scope, args.filter),
  })
  llmCallTracked(
    @Root() call: LlmCallRecord,
    @Arg('filter', () => UsageFilter, { nullable: true }) _filter: UsageFilter | null,
    @Ctx() ctx: Context,
  ): LlmCall {
    const published: PublishedCall = toLlmCall(call);
    if (call.agentId) {
      let agent = agentOfEvent.get(call);
      if (!agent) {
        // The subscription filter let this event through, so the call's workspace is in this subscriber's scope.
        agent = loadAgents(ctx.db, [[call.workspaceId, call.agentId]]).then(([found]) => found ?? null);
        agentOfEvent.set(call, agent);
      }
      published[EVENT_AGENT] = agent;
    }
    return published;
  }

  @FieldResolver(() => Agent, { nullable: true })
  agent(@Root() call: PublishedCall, @Ctx() ctx: Context): Promise<Agent | null> | null {
    return call[EVENT_AGENT] ?? (call.agentId ? ctx.loaders.agent.load([call.workspaceId, call.agentId]) : null);
  }
}
