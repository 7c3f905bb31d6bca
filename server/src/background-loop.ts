/**
 * A background worker's runs: every `intervalMs`, and whenever it is kicked; never two at once. A
 * kick during a run makes one more run after it, however many kicks came: what the kick was for
 * may have come too late for the run in flight. Its timer never keeps the process alive.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    /** Told of a run that failed; the loop goes on. */
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs the work now, or once more after the run in flight. */
  kick(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.work()
      .then(() => undefined)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.inFlight = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Whether it was stopped: a long run looks between its steps. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** The run in flight, or null. */
  get running(): Promise<void> | null {
    return this.inFlight;
  }

  /** Resolves once no run is in flight and none is due after it. */
  async idle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** No more runs: neither the timer nor a kick starts one. The run in flight goes on (`idle` waits for it). */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }
}
