import DataLoader from 'dataloader';
import { who, type Context } from '../graphql/context';
import { refKey, BY_AGENT_REF, type AgentRef } from '../graphql/loaders';
import type { LlmCallRecord } from '../ingest/llm-call.record';
import { mem0ReaderFor } from '../memory/memory.loader';
import { readAgentMemoryStats } from '../memory/memory.reader';
import type { AgentMemoryRecord } from '../memory/memory.service';
import type { RunRecord } from './run.record';
import { loadRunCalls } from './runs.service';

/** Per request (keyed by that request's loaders object). */
const callLoaders = new WeakMap<object, DataLoader<RunRecord, LlmCallRecord[], string>>();
const memoryLoaders = new WeakMap<object, DataLoader<AgentRef, AgentMemoryRecord | null, string>>();

/** The loader of runs' calls, made once per request: every run of one answer has its calls read in one statement. */
export function runCallsLoader(ctx: Context): DataLoader<RunRecord, LlmCallRecord[], string> {
  let loader = callLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader((runs) => loadRunCalls(ctx.db, [...runs]), { cacheKeyFn: (run) => refKey(run.workspaceId, run.executionId) });
    callLoaders.set(ctx.loaders, loader);
  }
  return loader;
}

/** The loader of agents' memory stats, made once per request: the scope's stats are read once. */
export function agentMemoryLoader(ctx: Context): DataLoader<AgentRef, AgentMemoryRecord | null, string> {
  let loader = memoryLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (refs) => {
      const stats = await readAgentMemoryStats(ctx.db, who(ctx).scope, mem0ReaderFor(ctx), ctx.services.logger);
      const byKey = new Map(stats.map((s) => [refKey(s.workspaceId, s.agentId), s]));
      return refs.map((ref) => byKey.get(BY_AGENT_REF.cacheKeyFn(ref)) ?? null);
    }, BY_AGENT_REF);
    memoryLoaders.set(ctx.loaders, loader);
  }
  return loader;
}
