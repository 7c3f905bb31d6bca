import DataLoader from 'dataloader';
import { who, type Context } from '../graphql/context';
import { refKey, BY_AGENT_REF, visibleRefs, type AgentRef } from '../graphql/loaders';
import { loadAgentTools, type AgentToolRecord } from './composio.service';
import type { UsageWindow } from './composio.types';

type ToolLoader = DataLoader<AgentRef, AgentToolRecord[], string>;

/** Per request (keyed by that request's loaders object), one tool loader per window. */
const toolLoaders = new WeakMap<object, Map<string, ToolLoader>>();

/**
 * The loader of an agent's tools in a usage window, made once per request: every agent of
 * one answer is loaded in one statement; agents outside the request's scope load no tools.
 */
export function agentToolsLoader(ctx: Context, window: UsageWindow): ToolLoader {
  let perWindow = toolLoaders.get(ctx.loaders);
  if (!perWindow) {
    perWindow = new Map();
    toolLoaders.set(ctx.loaders, perWindow);
  }
  const existing = perWindow.get(window.firstDay);
  if (existing) return existing;
  const { scope } = who(ctx);
  const loader: ToolLoader = new DataLoader(async (refs) => {
    const tools = await loadAgentTools(ctx.db, visibleRefs(scope, refs), window);
    const byAgent = new Map<string, AgentToolRecord[]>();
    for (const tool of tools) {
      const key = refKey(tool.workspaceId, tool.agentId);
      const list = byAgent.get(key);
      if (list) list.push(tool);
      else byAgent.set(key, [tool]);
    }
    return refs.map((ref) => byAgent.get(BY_AGENT_REF.cacheKeyFn(ref)) ?? []);
  }, BY_AGENT_REF);
  perWindow.set(window.firstDay, loader);
  return loader;
}
