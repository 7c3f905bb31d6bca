import type { DataSource } from 'typeorm';
import { scopedDb } from '../db/scoped-db';
import type { Logger } from '../logger';
import type { Period, Scope } from '../metrics/metrics.model';
import { AsyncQueue } from '../pubsub/async-queue';
import { KeyedThrottle } from '../pubsub/keyed-throttle';
import { followTopic, type AppPubSub } from '../pubsub/pubsub';
import { summarize, type SummaryValues } from './summary.service';

/** The least time between two pushes for one scope and period. */
export const SUMMARY_PUSH_INTERVAL_MS = 1000;

interface Audience {
  scope: Scope;
  period: Period;
  subscribers: Set<AsyncQueue<SummaryValues>>;
  computations: number;
}

const scopeKey = (scope: Scope): string => (scope.kind === 'all' ? '__all__' : scope.workspaceId);

/**
 * Pushes `llmSummaryUpdated`: when calls land in a scope, its summary is computed once (at most
 * once a second) and sent to every subscriber of that scope and period.
 */
export class SummaryFeed {
  private readonly audiences = new Map<string, Audience>();
  private listening?: { stop(): Promise<void> };
  private readonly throttle: KeyedThrottle;

  constructor(
    private readonly dataSource: DataSource,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {
    this.throttle = new KeyedThrottle(SUMMARY_PUSH_INTERVAL_MS, (error) => logger.warn({ err: error }, 'live summary failed'));
  }

  /** Starts listening for USAGE_CHANGED. */
  start(): void {
    this.listening = followTopic(
      this.pubsub,
      'USAGE_CHANGED',
      (event) => this.usageChanged(event.workspaceIds),
      (error) => this.logger.error({ err: error }, 'summary feed stopped'),
    );
  }

  stop(): void {
    void this.listening?.stop();
    this.throttle.stop();
    for (const audience of this.audiences.values()) for (const queue of audience.subscribers) void queue.return();
    this.audiences.clear();
  }

  subscribe(scope: Scope, period: Period): AsyncIterable<SummaryValues> {
    const key = `${scopeKey(scope)}|${period}`;
    let audience = this.audiences.get(key);
    if (!audience) {
      audience = { scope, period, subscribers: new Set(), computations: 0 };
      this.audiences.set(key, audience);
    }
    const queue: AsyncQueue<SummaryValues> = new AsyncQueue(() => {
      audience.subscribers.delete(queue);
      if (audience.subscribers.size === 0) {
        this.throttle.cancel(key);
        this.audiences.delete(key);
      }
    });
    audience.subscribers.add(queue);
    return queue;
  }

  /** How many times a scope's summary has been computed (for monitoring and tests). */
  computations(scope: Scope, period: Period): number {
    return this.audiences.get(`${scopeKey(scope)}|${period}`)?.computations ?? 0;
  }

  private usageChanged(workspaceIds: string[]): void {
    for (const [key, audience] of this.audiences) {
      const covers = audience.scope.kind === 'all' || workspaceIds.includes(audience.scope.workspaceId);
      if (covers) this.throttle.request(key, () => this.push(audience));
    }
  }

  private async push(audience: Audience): Promise<void> {
    audience.computations++;
    const db = scopedDb(this.dataSource, { scope: audience.scope, isAdmin: audience.scope.kind === 'all' });
    const summary = await summarize(db, audience.scope, audience.period, this.now());
    for (const queue of audience.subscribers) queue.push(summary);
  }
}
