import DataLoader from 'dataloader';
import { who, type Context } from '../graphql/context';
import { agentKey } from '../graphql/loaders';
import { loadAgentTools, type AgentToolRecord } from './composio.service';
import type { UsageWindow } from './composio.types';

type ToolLoader = DataLoader<string, AgentToolRecord[]>;

/** Per request (keyed by that request's loaders object), one tool loader per window. */
const toolLoaders = new WeakMap<object, Map<string, ToolLoader>>();

/**
 * The loader of an agent's tools in a usage window, made once per request: every agent of
 * one answer is loaded in one statement. Keys are `agentKey(workspaceId, agentId)`; keys
 * outside the request's scope load no tools.
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
  const loader: ToolLoader = new DataLoader(async (keys) => {
    const pairs = keys.map((k) => k.split('\u0000') as [string, string]);
    const visible = pairs.filter(([workspaceId]) => scope.kind === 'all' || workspaceId === scope.workspaceId);
    const tools = await loadAgentTools(ctx.db, visible, window);
    const byAgent = new Map<string, AgentToolRecord[]>();
    for (const tool of tools) {
      const key = agentKey(tool.workspaceId, tool.agentId);
      const list = byAgent.get(key);
      if (list) list.push(tool);
      else byAgent.set(key, [tool]);
    }
    return keys.map((k) => byAgent.get(k) ?? []);
  });
  perWindow.set(window.firstDay, loader);
  return loader;
}
