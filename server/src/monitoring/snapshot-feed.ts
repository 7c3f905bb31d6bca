import { Repeater, SlidingBuffer, type Push } from '@repeaterjs/repeater';
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

interface Subscriber<T> {
  push: Push<T>;
  stop(): void;
}

interface Channel<T> {
  subscribers: Set<Subscriber<T>>;
  timer: { cancel(): void };
  producing: boolean;
}

/**
 * Pushes a value every `intervalMs` to everyone subscribed at that interval. One timer per
 * interval, started by the first subscriber (on its first read) and stopped with the last; each
 * tick produces the value once, however many subscribe. A slow reader gets only the newest value.
 */
export class SnapshotFeed<T> {
  private readonly channels = new Map<number, Channel<T>>();

  constructor(
    private readonly produce: () => Promise<T>,
    private readonly logger: Logger,
    private readonly scheduler: IntervalScheduler = realScheduler,
  ) {}

  subscribe(intervalMs: number): AsyncIterableIterator<T> {
    return new Repeater<T>(async (push, stop) => {
      const channel = this.channels.get(intervalMs) ?? this.open(intervalMs);
      const subscriber = { push, stop };
      channel.subscribers.add(subscriber);
      await stop;
      channel.subscribers.delete(subscriber);
      if (channel.subscribers.size === 0 && this.channels.get(intervalMs) === channel) {
        channel.timer.cancel();
        this.channels.delete(intervalMs);
      }
    }, new SlidingBuffer(1));
  }

  /** Stops every timer and ends every subscription. */
  stop(): void {
    for (const channel of this.channels.values()) {
      channel.timer.cancel();
      for (const subscriber of channel.subscribers) subscriber.stop();
    }
    this.channels.clear();
  }

  private open(intervalMs: number): Channel<T> {
    const channel: Channel<T> = { subscribers: new Set(), timer: { cancel: () => undefined }, producing: false };
    channel.timer = this.scheduler.every(intervalMs, () => void this.tick(channel));
    this.channels.set(intervalMs, channel);
    return channel;
  }

  private async tick(channel: Channel<T>): Promise<void> {
    // A tick that comes while the previous snapshot is still being made is skipped, not queued.
    if (channel.producing || channel.subscribers.size === 0) return;
    channel.producing = true;
    try {
      const value = await this.produce();
      for (const { push } of channel.subscribers) void push(value);
    } catch (error) {
      this.logger.error({ err: error }, 'could not make an API metrics snapshot');
    } finally {
      channel.producing = false;
    }
  }
}
