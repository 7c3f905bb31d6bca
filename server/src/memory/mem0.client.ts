import { preview, type AgentMemoryRecord, type CountRecord, type MemoryItemRecord, type MemoryTotals } from './memory.service';

/** How long Mem0 may take (for all the pages of one answer) when the configuration says nothing. */
export const DEFAULT_MEM0_TIMEOUT_MS = 2_000;
/** OpenMemory's largest page. */
const PAGE_SIZE = 100;
/** Pages read for totals: breakdowns cover at most the newest 1,000 memories; the total is always Mem0's own. */
const MAX_PAGES = 10;

export interface Mem0Options {
  /** MEM0_URL, e.g. http://localhost:8765 */
  baseUrl: string;
  /** @default 2000 */
  timeoutMs?: number;
}

/** A memory as Mem0 keeps it, with the fields the gateway reads from its metadata. */
export interface Mem0Memory extends MemoryItemRecord {
  content: string;
  /** False when the metadata gave no importance (then `importance` is 0 and averages leave it out). */
  hasImportance: boolean;
}

/** One page of memories and Mem0's count of them all. */
interface Mem0Page {
  items: Mem0Memory[];
  total: number;
  pages: number;
}

export class Mem0Error extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Reads one OpenMemory memory (`GET /api/v1/memories/` items). Mem0 has no types, levels or
 * importance of its own: they come from the memory's metadata (`memory_type`,
 * `memory_level`, `importance`, `access_count`, `agent_id`), the type else from its first
 * category, the agent else from the app that wrote it.
 */
function toMemory(value: unknown, index: number): Mem0Memory {
  if (!isObject(value)) throw new Mem0Error(`items[${index}] is not an object`);
  const metadata = isObject(value.metadata_) ? value.metadata_ : isObject(value.metadata) ? value.metadata : {};
  const content = typeof value.content === 'string' ? value.content : typeof value.memory === 'string' ? value.memory : null;
  if (content === null) throw new Mem0Error(`items[${index}].content is not a string`);
  if (value.id === undefined || value.id === null) throw new Mem0Error(`items[${index}].id is missing`);
  const created = value.created_at;
  const createdAt = typeof created === 'number' ? new Date(created * 1000) : typeof created === 'string' ? new Date(created) : new Date(NaN);
  if (Number.isNaN(createdAt.getTime())) throw new Mem0Error(`items[${index}].created_at is not a time`);
  const categories = Array.isArray(value.categories) ? value.categories.filter((c): c is string => typeof c === 'string') : [];
  const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
  const importance = typeof metadata.importance === 'number' && Number.isFinite(metadata.importance) ? Math.min(1, Math.max(0, metadata.importance)) : null;
  return {
    id: String(value.id),
    agentId: text(metadata.agent_id) ?? text(value.app_name),
    memoryType: text(metadata.memory_type) ?? categories[0] ?? 'general',
    memoryLevel: text(metadata.memory_level),
    importance: importance ?? 0,
    accessCount: typeof metadata.access_count === 'number' && Number.isSafeInteger(metadata.access_count) ? metadata.access_count : 0,
    preview: preview(content),
    createdAt,
    content,
    hasImportance: importance !== null,
  };
}

async function fetchPage(options: Mem0Options, userId: string, page: number, size: number, signal: AbortSignal): Promise<Mem0Page> {
  const query = new URLSearchParams({
    user_id: userId,
    page: String(page),
    size: String(size),
    sort_column: 'created_at',
    sort_direction: 'desc',
  });
  const response = await fetch(`${options.baseUrl}/api/v1/memories/?${query}`, { headers: { accept: 'application/json' }, signal });
  const body = await response.text();
  if (!response.ok) throw new Mem0Error(`GET /api/v1/memories/ answered HTTP ${response.status}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Mem0Error('GET /api/v1/memories/ answered malformed JSON');
  }
  if (!isObject(parsed) || !Array.isArray(parsed.items)) throw new Mem0Error('GET /api/v1/memories/ answered without an items list');
  const items = parsed.items.map(toMemory);
  const total = typeof parsed.total === 'number' ? parsed.total : items.length;
  const pages = typeof parsed.pages === 'number' ? parsed.pages : 1;
  return { items, total, pages };
}

/** Runs `work` under one deadline; a timeout becomes a Mem0Error that says so. */
async function withDeadline<T>(options: Mem0Options, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MEM0_TIMEOUT_MS;
  try {
    return await work(AbortSignal.timeout(timeoutMs));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new Mem0Error(`no answer within ${timeoutMs} ms`);
    if (error instanceof Mem0Error) throw error;
    throw new Mem0Error(`unreachable (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message})`);
  }
}

/** The newest memories of a Mem0 user (the gateway uses the workspace id as the user id). */
export function mem0RecentMemories(options: Mem0Options, userId: string, limit: number): Promise<Mem0Memory[]> {
  return withDeadline(options, async (signal) => (await fetchPage(options, userId, 1, limit, signal)).items.slice(0, limit));
}

/** A user's memories, newest first (at most 1,000 of them), with Mem0's count of them all. */
export function mem0Memories(options: Mem0Options, userId: string): Promise<{ memories: Mem0Memory[]; total: number }> {
  return withDeadline(options, async (signal) => {
    const first = await fetchPage(options, userId, 1, PAGE_SIZE, signal);
    const memories = [...first.items];
    for (let page = 2; page <= Math.min(first.pages, MAX_PAGES); page++) {
      memories.push(...(await fetchPage(options, userId, page, PAGE_SIZE, signal)).items);
    }
    return { memories, total: Math.max(first.total, memories.length) };
  });
}

const countBy = (values: string[]): CountRecord[] => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
};

const average = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

const importances = (memories: Mem0Memory[]): number[] => memories.filter((m) => m.hasImportance).map((m) => m.importance);

/** Totals over Mem0's memories; `total` is Mem0's own count. */
export function summarizeMem0(memories: Mem0Memory[], total: number): MemoryTotals {
  return {
    totalMemories: total,
    byType: countBy(memories.map((m) => m.memoryType)),
    byLevel: countBy(memories.flatMap((m) => (m.memoryLevel ? [m.memoryLevel] : []))),
    avgImportance: average(importances(memories)),
    totalAccessCount: memories.reduce((sum, m) => sum + m.accessCount, 0),
    agentsWithMemories: new Set(memories.flatMap((m) => (m.agentId ? [m.agentId] : []))).size,
  };
}

/** Each agent's Mem0 memories, the agents with the most first. */
export function agentStatsFromMem0(memories: Mem0Memory[], workspaceId: string): AgentMemoryRecord[] {
  const byAgent = new Map<string, Mem0Memory[]>();
  for (const m of memories) {
    if (!m.agentId) continue;
    const list = byAgent.get(m.agentId);
    if (list) list.push(m);
    else byAgent.set(m.agentId, [m]);
  }
  return [...byAgent.entries()]
    .map(([agentId, list]) => ({
      workspaceId,
      agentId,
      memoryCount: list.length,
      avgImportance: average(importances(list)),
      lastCreatedAt: new Date(Math.max(...list.map((m) => m.createdAt.getTime()))),
    }))
    .sort((a, b) => b.memoryCount - a.memoryCount || a.agentId.localeCompare(b.agentId));
}
