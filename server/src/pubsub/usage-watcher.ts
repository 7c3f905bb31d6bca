import type { DataSource } from 'typeorm';
import { scopedDb, workspaceScope, type ScopedDb } from '../db/scoped-db';
import type { Logger } from '../logger';
import { KeyedThrottle } from './keyed-throttle';
import type { LlmCallRecord } from '../ingest/llm-call.record';
import { followTopic, type AppPubSub } from './pubsub';

/** What a watcher does for one workspace whose calls have landed, in that workspace's scope. */
export type WorkspaceCheck = (db: ScopedDb, workspaceId: string, now: Date) => Promise<unknown>;

/**
 * Runs a check for each workspace whose calls land (USAGE_CHANGED), at most once a second per
 * workspace: budgets and alert rules are checked this way.
 */
export class UsageWatcher {
  private readonly throttle: KeyedThrottle;
  private listening?: { stop(): Promise<void> };

  /** @param what names the check in log lines: "budget check", "alert rule evaluation" */
  constructor(
    private readonly what: string,
    private readonly check: WorkspaceCheck,
    private readonly dataSource: DataSource,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {
    this.throttle = new KeyedThrottle(1000, (error) => logger.warn({ err: error }, `${what} failed`));
  }

  start(): void {
    const changed = ({ workspaceIds }: { workspaceIds: string[] }) => {
      for (const workspaceId of workspaceIds) {
        const db = scopedDb(this.dataSource, workspaceScope(workspaceId));
        this.throttle.request(workspaceId, async () => void (await this.check(db, workspaceId, this.now())));
      }
    };
    this.listening = followTopic(this.pubsub, 'USAGE_CHANGED', changed, (error) => this.logger.error({ err: error }, `${this.what}: watching calls stopped`));
  }

  stop(): void {
    void this.listening?.stop();
    this.throttle.stop();
  }
}

/**
 * The least time between the starts of two pooled runs: what a call waits at most before its
 * workspace's check starts (besides a run in flight), against how many engine statements the
 * checks send a second whatever the number of workspaces.
 */
export const POOLED_RUN_GAP_MS = 1000;

/** What a pooled watcher does for every workspace whose calls landed since its last run, together. */
export type WorkspacesCheck = (workspaceIds: string[], now: Date) => Promise<unknown>;

/**
 * Runs the check for each workspace whose calls land (LLM_CALL_TRACKED) at most once a second
 * per workspace, on the leading edge: the first call in a workspace's quiet second is checked at
 * once, the later ones of that second in one trailing check. Workspaces due together share one
 * run, and those that come due while a run is in flight or within POOLED_RUN_GAP_MS of its start
 * share the next: alert rules are evaluated this way, many workspaces' rules in the same engine
 * statements, where a check per workspace would send those statements once per workspace. `noted` sees each call before the
 * run that follows it (alert rules bound their values by what landed).
 */
export class PooledUsageWatcher {
  private readonly throttle: KeyedThrottle;
  private readonly pool: PooledRuns;
  private listening?: { stop(): Promise<void> };

  /** @param what names the check in log lines: "alert rule evaluation" */
  constructor(
    private readonly what: string,
    check: WorkspacesCheck,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    now: () => Date,
    private readonly noted: (call: LlmCallRecord) => void = () => {},
    gapMs = POOLED_RUN_GAP_MS,
  ) {
    const failed = (error: unknown): void => logger.warn({ err: error }, `${what} failed`);
    this.throttle = new KeyedThrottle(1000, failed);
    this.pool = new PooledRuns((workspaceIds) => check(workspaceIds, now()), gapMs, failed);
  }

  start(): void {
    this.listening = followTopic(
      this.pubsub,
      'LLM_CALL_TRACKED',
      (call) => this.landed(call),
      (error) => this.logger.error({ err: error }, `${this.what}: watching calls stopped`),
    );
  }

  /** One stored call: its workspace is checked now, or in the trailing check of its second. */
  landed(call: LlmCallRecord): void {
    this.noted(call);
    this.throttle.request(call.workspaceId, () => this.pool.include(call.workspaceId));
  }

  stop(): void {
    void this.listening?.stop();
    this.throttle.stop();
    this.pool.stop();
  }
}

/**
 * Runs of a check over many keys, one at a time and at most one per `gapMs`: a key included
 * after a quiet gap is checked at once; those included during a run or inside the gap go
 * together in the next run. Each include resolves once the run that checked its key ended; a run
 * that fails is reported once, to `onError`. The gap bounds how many engine statements the runs
 * send, whatever the number of keys.
 */
export class PooledRuns {
  private waiting = new Map<string, (() => void)[]>();
  private readonly throttle: KeyedThrottle;

  constructor(
    private readonly run: (keys: string[]) => Promise<unknown>,
    gapMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.throttle = new KeyedThrottle(gapMs, onError);
  }

  include(key: string): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push(resolve);
      else this.waiting.set(key, [resolve]);
      this.throttle.request('run', () => this.next());
    });
  }

  stop(): void {
    this.throttle.stop();
  }

  private async next(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    if (batch.size === 0) return;
    try {
      await this.run([...batch.keys()]);
    } catch (error) {
      this.onError(error);
    }
    for (const waiters of batch.values()) for (const resolve of waiters) resolve();
  }
}

