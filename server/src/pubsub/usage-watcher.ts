import type { DataSource } from 'typeorm';
import { scopedDb, workspaceScope, type ScopedDb } from '../db/scoped-db';
import type { Logger } from '../logger';
import { KeyedThrottle } from './keyed-throttle';
import type { LlmCallRecord } from '../ingest/llm-call.record';
import type { AppPubSub, Topic, Topics } from './pubsub';

/** What a watcher does for one workspace whose calls have landed, in that workspace's scope. */
export type WorkspaceCheck = (db: ScopedDb, workspaceId: string, now: Date) => Promise<unknown>;

/**
 * Runs a check for each workspace whose calls land (USAGE_CHANGED), at most once a second per
 * workspace: budgets and alert rules are checked this way.
 */
export class UsageWatcher {
  private readonly throttle: KeyedThrottle;
  private listening?: AsyncIterator<unknown>;

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
    this.listening = onEvents(this.pubsub, 'USAGE_CHANGED', this.what, this.logger, ({ workspaceIds }) => {
      for (const workspaceId of workspaceIds) {
        const db = scopedDb(this.dataSource, workspaceScope(workspaceId));
        this.throttle.request(workspaceId, async () => void (await this.check(db, workspaceId, this.now())));
      }
    });
  }

  stop(): void {
    void this.listening?.return?.();
    this.throttle.stop();
  }
}

/** What a pooled watcher does for every workspace whose calls landed since its last run, together. */
export type WorkspacesCheck = (workspaceIds: string[], now: Date) => Promise<unknown>;

/**
 * Runs one check for all the workspaces whose calls landed (LLM_CALL_TRACKED) since its last
 * run, at most once a second, so each workspace is checked at most once a second too: alert
 * rules are evaluated this way, many workspaces' rules in the same engine statements, where a
 * check per workspace would send those statements once per workspace. `noted` sees each call
 * before the run that follows it (alert rules bound their values by what landed).
 */
export class PooledUsageWatcher {
  private readonly throttle: KeyedThrottle;
  private readonly pending = new Set<string>();
  private listening?: AsyncIterator<unknown>;

  /** @param what names the check in log lines: "alert rule evaluation" */
  constructor(
    private readonly what: string,
    private readonly check: WorkspacesCheck,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly now: () => Date,
    private readonly noted: (call: LlmCallRecord) => void = () => {},
  ) {
    this.throttle = new KeyedThrottle(1000, (error) => logger.warn({ err: error }, `${what} failed`));
  }

  start(): void {
    this.listening = onEvents(this.pubsub, 'LLM_CALL_TRACKED', this.what, this.logger, (call) => {
      this.noted(call);
      this.pending.add(call.workspaceId);
      this.throttle.request('all', () => this.run());
    });
  }

  private async run(): Promise<void> {
    const workspaceIds = [...this.pending];
    this.pending.clear();
    if (workspaceIds.length > 0) await this.check(workspaceIds, this.now());
  }

  stop(): void {
    void this.listening?.return?.();
    this.throttle.stop();
  }
}

/** Calls `seen` with each event of `topic` until the returned iterator is ended. */
function onEvents<T extends Topic>(pubsub: AppPubSub, topic: T, what: string, logger: Logger, seen: (value: Topics[T][0]) => void): AsyncIterator<unknown> {
  const iterator = pubsub.subscribe(topic)[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      seen(value);
    }
  })().catch((error: unknown) => logger.error({ err: error }, `${what}: watching calls stopped`));
  return iterator;
}
