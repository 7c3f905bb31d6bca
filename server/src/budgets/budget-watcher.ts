import type { DataSource } from 'typeorm';
import { scopedDb } from '../db/scoped-db';
import type { Logger } from '../logger';
import { KeyedThrottle } from '../pubsub/keyed-throttle';
import type { AppPubSub } from '../pubsub/pubsub';
import { checkBudgets } from './budgets.service';

/** Checks a workspace's budgets when its calls land, at most once a second per workspace. */
export class BudgetWatcher {
  private readonly throttle: KeyedThrottle;
  private listening?: AsyncIterator<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {
    this.throttle = new KeyedThrottle(1000, (error) => logger.warn({ err: error }, 'budget check failed'));
  }

  start(): void {
    const iterator = this.pubsub.subscribe('USAGE_CHANGED')[Symbol.asyncIterator]();
    this.listening = iterator;
    void (async () => {
      for (;;) {
        const { value, done } = await iterator.next();
        if (done) return;
        for (const workspaceId of value.workspaceIds) {
          const db = scopedDb(this.dataSource, { scope: { kind: 'workspace', workspaceId }, isAdmin: false });
          this.throttle.request(workspaceId, async () => void (await checkBudgets(db, this.pubsub, workspaceId, this.now())));
        }
      }
    })().catch((error: unknown) => this.logger.error({ err: error }, 'budget watcher stopped'));
  }

  stop(): void {
    void this.listening?.return?.();
    this.throttle.stop();
  }
}
