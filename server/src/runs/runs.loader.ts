import DataLoader from 'dataloader';
import { who, type Context } from '../graphql/context';
import { agentKey } from '../graphql/loaders';
import type { LlmCallRecord } from '../ingest/llm-call.record';
import { mem0ReaderFor } from '../memory/memory.loader';
import { readAgentMemoryStats } from '../memory/memory.reader';
import type { AgentMemoryRecord } from '../memory/memory.service';
import type { RunRecord } from './run.record';
import { loadRunCalls } from './runs.service';

/** Per request (keyed by that request's loaders object). */
const callLoaders = new WeakMap<object, DataLoader<RunRecord, LlmCallRecord[], string>>();
const memoryLoaders = new WeakMap<object, DataLoader<string, AgentMemoryRecord | null>>();

/** The loader of runs' calls, made once per request: every run of one answer has its calls read in one statement. */
export function runCallsLoader(ctx: Context): DataLoader<RunRecord, LlmCallRecord[], string> {
  let loader = callLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader((runs) => loadRunCalls(ctx.db, [...runs]), { cacheKeyFn: (run) => agentKey(run.workspaceId, run.executionId) });
    callLoaders.set(ctx.loaders, loader);
  }
  return loader;
}

/** The loader of agents' memory stats (keys: agentKey), made once per request: the scope's stats are read once. */
export function agentMemoryLoader(ctx: Context): DataLoader<string, AgentMemoryRecord | null> {
  let loader = memoryLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (keys) => {
      const stats = await readAgentMemoryStats(ctx.db, who(ctx).scope, mem0ReaderFor(ctx), ctx.services.logger);
      const byKey = new Map(stats.map((s) => [agentKey(s.workspaceId, s.agentId), s]));
      return keys.map((k) => byKey.get(k) ?? null);
    });
    memoryLoaders.set(ctx.loaders, loader);
  }
  return loader;
}
