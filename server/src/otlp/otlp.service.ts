import { setImmediate } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { scopeStatements, workspaceScope } from '../db/scoped-db';
import { writeTransaction } from '../db/write-transaction';
import { ingestCalls, MAX_BATCH, type StoredBatch } from '../ingest/ingest.service';
import type { PartialSuccess } from './otlp-wire';
import type { SpanCall, SpanName, SpanProblem } from './span-to-call';

export interface SpansOutcome {
  accepted: number;
  duplicates: number;
  /** The LLM spans not stored, each with its reason. */
  rejected: { span: SpanName; message: string }[];
}

/**
 * Agents ingest made for these calls are named after their id; a span that names its agent
 * (`gen_ai.agent.name` beside `gen_ai.agent.id`) gives the name instead. An agent someone
 * already named keeps its name.
 */
async function nameNewAgents(dataSource: DataSource, workspaceId: string, names: Map<string, string>): Promise<void> {
  if (names.size === 0) return;
  const ids = [...names.keys()].sort();
  await writeTransaction(dataSource, scopeStatements(workspaceScope(workspaceId)), (manager) =>
    manager.query(
      `UPDATE agents SET name = named.name FROM unnest($2::text[], $3::text[]) AS named(id, name)
       WHERE agents.workspace_id = $1::uuid AND agents.id = named.id AND agents.name = agents.id`,
      [workspaceId, ids, ids.map((id) => names.get(id))],
    ),
  );
}

/** Calls taken from an export between two looks at the event loop, so that a stored chunk's statements go on while the next is made. */
const CALLS_PER_TURN = 250;

/** The next chunk of up to MAX_BATCH calls, the LLM spans that cannot be calls added to `rejected` as they come. */
async function takeChunk(source: Iterator<SpanCall | SpanProblem>, rejected: SpansOutcome['rejected']): Promise<SpanCall[]> {
  const chunk: SpanCall[] = [];
  for (let taken = 1; chunk.length < MAX_BATCH; taken++) {
    const next = source.next();
    if (next.done) break;
    if ('values' in next.value) chunk.push(next.value);
    else rejected.push(next.value);
    if (taken % CALLS_PER_TURN === 0) await setImmediate();
  }
  return chunk;
}

/** Stores one chunk of calls and names the agents it made, adding what happened to `outcome`. */
async function storeChunk(
  dataSource: DataSource,
  workspaceId: string,
  chunk: SpanCall[],
  now: Date,
  outcome: SpansOutcome,
  onStored: (batch: StoredBatch) => Promise<void>,
): Promise<void> {
  const result = await ingestCalls(
    dataSource,
    workspaceId,
    chunk.map((c) => c.values),
    now,
  );
  outcome.accepted += result.accepted;
  outcome.duplicates += result.duplicates;
  for (const { index, message } of result.rejected) outcome.rejected.push({ span: chunk[index].span, message });
  const storedAgents = new Set(result.stored.map((call) => call.agentId));
  const names = new Map<string, string>();
  for (const { values, agentName } of chunk) {
    if (agentName && values.agentId && agentName !== values.agentId && storedAgents.has(values.agentId)) names.set(values.agentId, agentName);
  }
  await nameNewAgents(dataSource, workspaceId, names);
  await onStored(result);
}

/**
 * Stores an export's calls through the one ingest path, a chunk of MAX_BATCH at a time (an
 * export has no cap of its own), one chunk after another; the next chunk is made while one is
 * stored. `onStored` hears of each chunk's rows once they are committed. Calls are taken from
 * `calls` as they are needed, so only the chunk being stored and the one being made are held.
 */
export async function ingestSpanCalls(
  dataSource: DataSource,
  workspaceId: string,
  calls: Iterable<SpanCall | SpanProblem>,
  now: Date,
  onStored: (batch: StoredBatch) => Promise<void>,
): Promise<SpansOutcome> {
  const outcome: SpansOutcome = { accepted: 0, duplicates: 0, rejected: [] };
  const source = calls[Symbol.iterator]();
  let chunk = await takeChunk(source, outcome.rejected);
  while (chunk.length > 0) {
    const storing = storeChunk(dataSource, workspaceId, chunk, now, outcome, onStored);
    // its failure is heard when it is awaited below, not as an unhandled rejection while the next chunk is made
    void storing.catch(() => undefined);
    let next: SpanCall[];
    try {
      next = await takeChunk(source, outcome.rejected);
    } finally {
      await storing;
    }
    chunk = next;
  }
  return outcome;
}

/** How many rejections the error message spells out; the count covers them all. */
const NAMED_REJECTIONS = 10;

/** OTLP's partial success for the rejected LLM spans, or null when every one was taken. */
export function partialSuccess(rejected: SpansOutcome['rejected']): PartialSuccess | null {
  if (rejected.length === 0) return null;
  const named = rejected.slice(0, NAMED_REJECTIONS).map(({ span, message }) => `span ${span.spanId} of trace ${span.traceId} ("${span.name}"): ${message}`);
  const more = rejected.length > NAMED_REJECTIONS ? `; and ${rejected.length - NAMED_REJECTIONS} more` : '';
  return {
    rejectedSpans: rejected.length,
    errorMessage: `${rejected.length} LLM span${rejected.length === 1 ? ' was' : 's were'} not stored: ${named.join('; ')}${more}`,
  };
}
