/**
 * Runs work for a key at most once per interval, on the leading edge: a request after a quiet
 * interval runs at once, one during a run or inside the interval is folded into one trailing
 * run at the interval's end, so the last change is never missed.
 */
export class KeyedThrottle {
  private readonly state = new Map<string, { last: number; timer?: NodeJS.Timeout; running: boolean; again: boolean }>();

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  request(key: string, work: () => Promise<void>): void {
    let entry = this.state.get(key);
    if (!entry) this.state.set(key, (entry = { last: -Infinity, running: false, again: false }));
    if (entry.running) {
      entry.again = true;
      return;
    }
    if (entry.timer) return;
    const wait = Math.max(0, entry.last + this.intervalMs - Date.now());
    const current = entry;
    // The first request after a quiet interval runs at once: the interval bounds how often, not how soon.
    if (wait === 0) {
      void this.run(key, current, work);
      return;
    }
    current.timer = setTimeout(() => {
      current.timer = undefined;
      void this.run(key, current, work);
    }, wait);
    current.timer.unref();
  }

  cancel(key: string): void {
    clearTimeout(this.state.get(key)?.timer);
    this.state.delete(key);
  }

  stop(): void {
    for (const key of [...this.state.keys()]) this.cancel(key);
  }

  private async run(key: string, entry: { last: number; running: boolean; again: boolean }, work: () => Promise<void>): Promise<void> {
    entry.running = true;
    entry.again = false;
    entry.last = Date.now();
    try {
      await work();
    } catch (error) {
      this.onError(error);
    } finally {
      entry.running = false;
      if (entry.again && this.state.get(key) === entry) this.request(key, work);
    }
  }
}
