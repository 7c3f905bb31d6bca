import { EventEmitter } from 'node:events';

/**
 * Counts that go up and down by key (a topic's listening subscribers, a root field's open
 * subscriptions) and tell their listeners of every change: monitoring reports them as they
 * move, and whoever must act once subscribers are in place awaits a change instead of polling.
 */
export class LiveCounts<K extends string = string> {
  private readonly counts = new Map<K, number>();
  private readonly changes = new EventEmitter();

  constructor() {
    // One listener per watcher (a gauge, a waiting caller): many are not a leak.
    this.changes.setMaxListeners(0);
  }

  get(key: K): number {
    return this.counts.get(key) ?? 0;
  }

  add(key: K, delta: number): void {
    const count = this.get(key) + delta;
    if (count === 0) this.counts.delete(key);
    else this.counts.set(key, count);
    this.changes.emit('change', key, count);
  }

  /** Calls `listener` after every change, with the key and its new count; answers a function that stops it. */
  onChange(listener: (key: K, count: number) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }
}
