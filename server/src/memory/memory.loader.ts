import { who, type Context } from '../graphql/context';
import { DEFAULT_MEM0_TIMEOUT_MS, mem0Memories, mem0RecentMemories } from './mem0.client';
import type { Mem0Reader } from './memory.reader';

/** Per request (keyed by that request's loaders object), the one Mem0 reader. */
const readers = new WeakMap<object, Mem0Reader | null>();

/**
 * The request's Mem0 reader, or null when MEM0_URL is unset or the scope is every
 * workspace (Mem0 keeps memories per user, and the gateway's user is the workspace). The
 * full listing is fetched at most once per request, however many fields need it.
 */
export function mem0ReaderFor(ctx: Context): Mem0Reader | null {
  if (readers.has(ctx.loaders)) return readers.get(ctx.loaders)!;
  const { scope } = who(ctx);
  const { mem0Url, mem0TimeoutMs } = ctx.services.config;
  let reader: Mem0Reader | null = null;
  if (mem0Url && scope.kind === 'workspace') {
    const options = { baseUrl: mem0Url, timeoutMs: mem0TimeoutMs ?? DEFAULT_MEM0_TIMEOUT_MS };
    const workspaceId = scope.workspaceId;
    let all: ReturnType<Mem0Reader['all']> | undefined;
    reader = {
      workspaceId,
      all: () => (all ??= mem0Memories(options, workspaceId)),
      recent: (limit) => mem0RecentMemories(options, workspaceId, limit),
    };
  }
  readers.set(ctx.loaders, reader);
  return reader;
}
