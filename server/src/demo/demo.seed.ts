import type { DataSource } from 'typeorm';
import { platformDb, type PlatformDb } from '../db/platform-db';
import { ingestCalls, MAX_BATCH } from '../ingest/ingest.service';
import { ROLLUP_TABLES } from '../ingest/rollup';
import type { LlmCallInputValues } from '../ingest/validate-call';
import { createWorkspace, getWorkspace } from '../workspaces/workspaces.service';
import { DEMO_WORKSPACES, type DemoWorkspace } from './demo.catalogue';
import { callsPerWorkspace, demoCallBatches } from './demo-calls';

/** The seed `npm start` uses, so every fresh start shows the same shape of data. */
export const DEFAULT_DEMO_SEED = 20_250_101;
/** Calls `npm start` seeds. */
export const DEFAULT_DEMO_CALLS = 100_000;
/** Days the demo data reaches back. */
export const DEFAULT_DEMO_DAYS = 90;

export interface SeedOptions {
  /** The data set's time axis ends here. */
  now: Date;
  /** @default DEFAULT_DEMO_SEED */
  seed?: number;
  /** @default DEFAULT_DEMO_CALLS */
  calls?: number;
  /** @default DEFAULT_DEMO_DAYS */
  days?: number;
  /** Batches in flight at once, never two of the same workspace. @default 2 */
  concurrency?: number;
  /** Progress lines for the person waiting. */
  say?: (line: string) => void;
}

export interface SeedOutcome {
  /** False when the database already held calls, so nothing was written. */
  seeded: boolean;
  calls: number;
  elapsedMs: number;
}

const PROGRESS_STEP = 20_000;
const formatCount = (n: number): string => n.toLocaleString('en-US');

/** Whether any workspace has a call stored. */
export async function hasAnyCalls(db: PlatformDb): Promise<boolean> {
  const rows: { found: boolean }[] = await db.query(`SELECT EXISTS (SELECT 1 FROM llm_usage) AS found`);
  return rows[0].found;
}

/** Creates the demo workspaces that are missing, and names their agents. */
export async function ensureDemoWorkspaces(db: PlatformDb): Promise<void> {
  for (const workspace of DEMO_WORKSPACES) {
    if (!(await getWorkspace(db, workspace.id))) await createWorkspace(db, workspace.name, workspace.plan, workspace.id);
    const agents = workspace.agents.filter((a) => a.id !== null);
    await db.query(
      `INSERT INTO agents (workspace_id, id, name) SELECT $1::uuid, id, name FROM unnest($2::text[], $3::text[]) AS a(id, name)
       ON CONFLICT (workspace_id, id) DO NOTHING`,
      [workspace.id, agents.map((a) => a.id), agents.map((a) => a.name)],
    );
  }
}

/** The demo workspaces present in the database (the traffic simulator writes only to these). */
export async function presentDemoWorkspaces(db: PlatformDb): Promise<DemoWorkspace[]> {
  const rows: { id: string }[] = await db.query(`SELECT id FROM workspaces WHERE id = ANY($1::uuid[])`, [DEMO_WORKSPACES.map((w) => w.id)]);
  const present = new Set(rows.map((r) => r.id));
  return DEMO_WORKSPACES.filter((w) => present.has(w.id));
}

/**
 * Fills an empty database with demo data: three workspaces, their agents, and `calls` calls over
 * `days` days ending at `now`, written through the ingest service so raw rows, rollups and
 * agent stats agree. Does nothing when any call is already stored.
 */
export async function seedDemoData(dataSource: DataSource, options: SeedOptions): Promise<SeedOutcome> {
  const started = performance.now();
  const platform = platformDb(dataSource);
  if (await hasAnyCalls(platform)) return { seeded: false, calls: 0, elapsedMs: performance.now() - started };
  const total = options.calls ?? DEFAULT_DEMO_CALLS;
  const say = options.say ?? (() => undefined);
  const data = { seed: options.seed ?? DEFAULT_DEMO_SEED, now: options.now, days: options.days ?? DEFAULT_DEMO_DAYS };
  await ensureDemoWorkspaces(platform);

  const counts = callsPerWorkspace(total, DEMO_WORKSPACES);
  const streams = DEMO_WORKSPACES.map((workspace, i) => ({
    workspace,
    remaining: counts[i],
    batches: demoCallBatches(workspace, counts[i], data, MAX_BATCH),
    busy: false,
  }));
  let written = 0;
  let reported = 0;

  // Two batches of one workspace at once would only queue on its agent and rollup rows.
  const nextBatch = (): { stream: (typeof streams)[number]; calls: LlmCallInputValues[] } | null => {
    const free = streams.filter((s) => !s.busy && s.remaining > 0).sort((a, b) => b.remaining - a.remaining);
    for (const stream of free) {
      const next = stream.batches.next();
      if (next.done) {
        stream.remaining = 0;
        continue;
      }
      stream.busy = true;
      stream.remaining -= next.value.length;
      return { stream, calls: next.value };
    }
    return null;
  };

  const worker = async (): Promise<void> => {
    for (let job = nextBatch(); job; job = nextBatch()) {
      const outcome = await ingestCalls(dataSource, job.stream.workspace.id, job.calls, options.now);
      if (outcome.rejected.length > 0) {
        throw new Error(`demo call ${job.calls[outcome.rejected[0].index].eventId} was rejected: ${outcome.rejected[0].message}`);
      }
      job.stream.busy = false;
      written += job.calls.length;
      if (written - reported >= PROGRESS_STEP || written === total) {
        reported = written;
        say(`Seeding demo data: ${formatCount(written)} / ${formatCount(total)} calls`);
      }
    }
  };
  say(`Seeding demo data: ${formatCount(total)} calls over ${data.days} days in ${DEMO_WORKSPACES.length} workspaces`);
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  // Planned on the statistics of empty tables, the dashboard's first queries would read whole
  // workspaces (a sort of every call for the newest twenty) until autovacuum caught up.
  // Statistics are the tables' owner's business and read no rows for anyone: the pool's own role runs it.
  await dataSource.query(`ANALYZE llm_usage, ${ROLLUP_TABLES.join(', ')}, agents`);
  const elapsedMs = performance.now() - started;
  say(`Seeded ${formatCount(total)} demo calls in ${(elapsedMs / 1000).toFixed(1)} s (${formatCount(Math.round(total / (elapsedMs / 1000)))} calls/s)`);
  return { seeded: true, calls: total, elapsedMs };
}
