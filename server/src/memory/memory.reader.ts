import type { Db } from '../db/db';
import type { Logger } from '../logger';
import type { Scope } from '../metrics/metrics.model';
import { agentStatsFromMem0, summarizeMem0, type Mem0Memory } from './mem0.client';
import {
  localAgentMemoryStats,
  localMemoryTotals,
  localRecentMemories,
  type AgentMemoryRecord,
  type MemoryItemRecord,
  type MemoryTotals,
} from './memory.service';
import type { MemorySource } from './memory.types';

/** Mem0 as one request sees it: the workspace (Mem0 user) and its memories, read at most once per request. */
export interface Mem0Reader {
  workspaceId: string;
  all(): Promise<{ memories: Mem0Memory[]; total: number }>;
  recent(limit: number): Promise<Mem0Memory[]>;
}

/** Runs the Mem0 read; on any failure logs why and answers from the local table instead. */
async function mem0OrLocal<T>(mem0: Mem0Reader | null, logger: Logger, fromMem0: (m: Mem0Reader) => Promise<T>, local: () => Promise<T>): Promise<{ source: MemorySource; value: T }> {
  if (mem0) {
    try {
      return { source: 'MEM0', value: await fromMem0(mem0) };
    } catch (error) {
      logger.warn({ reason: (error as Error).message }, 'Mem0 failed; memory answers come from the local table');
    }
  }
  return { source: 'LOCAL', value: await local() };
}

/** Memory totals from Mem0 when it is configured and answers in time, else from the local table. */
export async function readMemoryStats(db: Db, scope: Scope, mem0: Mem0Reader | null, logger: Logger): Promise<MemoryTotals & { source: MemorySource }> {
  const { source, value } = await mem0OrLocal(
    mem0,
    logger,
    async (m) => {
      const { memories, total } = await m.all();
      return summarizeMem0(memories, total);
    },
    () => localMemoryTotals(db, scope),
  );
  return { ...value, source };
}

/** Each agent's memories, from Mem0 or else the local table. */
export async function readAgentMemoryStats(db: Db, scope: Scope, mem0: Mem0Reader | null, logger: Logger): Promise<AgentMemoryRecord[]> {
  const { value } = await mem0OrLocal(
    mem0,
    logger,
    async (m) => agentStatsFromMem0((await m.all()).memories, m.workspaceId),
    () => localAgentMemoryStats(db, scope),
  );
  return value;
}

/** The newest memories, from Mem0 or else the local table. */
export async function readRecentMemories(db: Db, scope: Scope, mem0: Mem0Reader | null, logger: Logger, limit: number): Promise<MemoryItemRecord[]> {
  const { value } = await mem0OrLocal(
    mem0,
    logger,
    async (m) => (await m.recent(limit)).map(({ content: _content, hasImportance: _has, ...item }) => item),
    () => localRecentMemories(db, scope, limit),
  );
  return value;
}
