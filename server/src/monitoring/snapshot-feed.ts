import { badInput } from '../graphql/errors';
import type { Logger } from '../logger';

/** `apiMetricsUpdated` pushes a snapshot this often when not told otherwise. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 2000;
export const MIN_SNAPSHOT_INTERVAL_MS = 250;
export const MAX_SNAPSHOT_INTERVAL_MS = 3_600_000;

/** The interval a subscriber asked for, or the default; BAD_USER_INPUT outside 250 ms to 1 hour. */
export function snapshotInterval(intervalMs: number | null | undefined): number {
  if (intervalMs === null || intervalMs === undefined) return DEFAULT_SNAPSHOT_INTERVAL_MS;
  if (intervalMs < MIN_SNAPSHOT_INTERVAL_MS) {
    throw badInput(`intervalMs must be at least ${MIN_SNAPSHOT_INTERVAL_MS}, but got ${intervalMs}`);
  }
  if (intervalMs > MAX_SNAPSHOT_INTERVAL_MS) {
    throw badInput(`intervalMs must be at most ${MAX_SNAPSHOT_INTERVAL_MS} (one hour), but got ${intervalMs}`);
  }
  return intervalMs;
}

/** How the feed keeps time; tests pass one they can tick by hand. */
export interface IntervalScheduler {
  every(ms: number, tick: () => void): { cancel(): void };
}

/** Real timers, unref'd so they never keep the process alive. */
export const realScheduler: IntervalScheduler = {
  every(ms, tick) {
    const handle = setInterval(tick, ms);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};

class Subscriber<T> implements AsyncIterableIterator<T> {
  private latest: { value: T } | null = null;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(private readonly onEnd: (subscriber: Subscriber<T>) => void) {}

  /** Keeps only the newest snapshot for a slow reader: a snapshot replaces the one before it. */
  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.latest = { value };
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    if (this.latest) {
      const { value } = this.latest;
      this.latest = null;
      return Promise.resolve({ value, done: false });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.latest = null;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    this.onEnd(this);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

interface Channel<T> {
  subscribers: Set<Subscriber<T>>;
  timer: { cancel(): void };
  producing: boolean;
}

/**
 * Pushes a value every `intervalMs` to everyone subscribed at that interval. One timer per
 * interval, started by the first subscriber and stopped with the last; each tick produces
 * the value once, however many subscribe.
 */
export class SnapshotFeed<T> {
  private readonly channels = new Map<number, Channel<T>>();

  constructor(
    private readonly produce: () => Promise<T>,
    private readonly logger: Logger,
    private readonly scheduler: IntervalScheduler = realScheduler,
  ) {}

  subscribe(intervalMs: number): AsyncIterableIterator<T> {
    let channel = this.channels.get(intervalMs);
    if (!channel) {
      const created: Channel<T> = { subscribers: new Set(), timer: { cancel: () => undefined }, producing: false };
      created.timer = this.scheduler.every(intervalMs, () => void this.tick(created));
      this.channels.set(intervalMs, (channel = created));
    }
    const subscriber: Subscriber<T> = new Subscriber<T>((ended) => this.leave(intervalMs, ended));
    channel.subscribers.add(subscriber);
    return subscriber;
  }

  /** The intervals that have a timer running now. */
  activeIntervals(): number[] {
    return [...this.channels.keys()].sort((a, b) => a - b);
  }

  subscriberCount(intervalMs: number): number {
    return this.channels.get(intervalMs)?.subscribers.size ?? 0;
  }

  /** Stops every timer and ends every subscription. */
  stop(): void {
    for (const channel of [...this.channels.values()]) for (const subscriber of [...channel.subscribers]) subscriber.end();
  }

  private leave(intervalMs: number, subscriber: Subscriber<T>): void {
    const channel = this.channels.get(intervalMs);
    if (!channel) return;
    channel.subscribers.delete(subscriber);
    if (channel.subscribers.size === 0) {
      channel.timer.cancel();
      this.channels.delete(intervalMs);
    }
  }

  private async tick(channel: Channel<T>): Promise<void> {
    // A tick that comes while the previous snapshot is still being made is skipped, not queued.
    if (channel.producing || channel.subscribers.size === 0) return;
    channel.producing = true;
    try {
      const value = await this.produce();
      for (const subscriber of channel.subscribers) subscriber.push(value);
    } catch (error) {
      this.logger.error({ err: error }, 'could not make an API metrics snapshot');
    } finally {
      channel.producing = false;
    }
  }
}
