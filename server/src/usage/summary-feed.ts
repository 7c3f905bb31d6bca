import { Repeater, SlidingBuffer, type Push } from '@repeaterjs/repeater';
import type { DataSource } from 'typeorm';
import { scopedDb } from '../db/scoped-db';
import type { Logger } from '../logger';
import type { Period, Scope } from '../metrics/metrics.model';
import { KeyedThrottle } from '../pubsub/keyed-throttle';
import { followTopic, type AppPubSub } from '../pubsub/pubsub';
import { summarize, type SummaryValues } from './summary.service';

/** The least time between two pushes for one scope and period. */
export const SUMMARY_PUSH_INTERVAL_MS = 1000;

interface Audience {
  scope: Scope;
  period: Period;
  subscribers: Set<{ push: Push<SummaryValues>; stop(): void }>;
}

/** Summaries a slow subscriber may fall behind by before the oldest go. */
const QUEUED_SUMMARIES = 16;

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
    private readonly onComputed: () => void = () => undefined,
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
    for (const audience of this.audiences.values()) for (const subscriber of audience.subscribers) subscriber.stop();
    this.audiences.clear();
  }

  /** A scope and period's summaries, from the next calls to land; the subscription joins its audience on its first read. */
  subscribe(scope: Scope, period: Period): AsyncIterable<SummaryValues> {
    const key = `${scopeKey(scope)}|${period}`;
    return new Repeater<SummaryValues>(async (push, stop) => {
      let audience = this.audiences.get(key);
      if (!audience) this.audiences.set(key, (audience = { scope, period, subscribers: new Set() }));
      const subscriber = { push, stop };
      audience.subscribers.add(subscriber);
      await stop;
      audience.subscribers.delete(subscriber);
      if (audience.subscribers.size === 0 && this.audiences.get(key) === audience) {
        this.throttle.cancel(key);
        this.audiences.delete(key);
      }
    }, new SlidingBuffer(QUEUED_SUMMARIES));
  }

  private usageChanged(workspaceIds: string[]): void {
    for (const [key, audience] of this.audiences) {
      const covers = audience.scope.kind === 'all' || workspaceIds.includes(audience.scope.workspaceId);
      if (covers) this.throttle.request(key, () => this.push(audience));
    }
  }

  private async push(audience: Audience): Promise<void> {
    this.onComputed();
    const db = scopedDb(this.dataSource, { scope: audience.scope, isAdmin: audience.scope.kind === 'all' });
    const summary = await summarize(db, audience.scope, audience.period, this.now());
    for (const { push } of audience.subscribers) void push(summary);
  }
}
