import { TRACK_LLM_CALLS, type LlmCallInput, type TrackResult } from './contract';
import { uuidv7 } from './uuidv7';

/** How a tracker reaches its gateway and how it batches, retries and bounds its queue. */
export interface TrackerOptions {
  /** The gateway: its address (`http://localhost:4000`) or its GraphQL endpoint (`…/graphql`). */
  url: string;
  /** An API key of the workspace the calls belong to. */
  apiKey: string;
  /** Calls sent in one request. @default 100 (the gateway takes at most 1000) */
  batchSize?: number;
  /** How long a call waits for its batch to fill before it is sent anyway, in ms. @default 1000 */
  flushIntervalMs?: number;
  /** Calls held at most, queued and in flight; once full, new calls are dropped and counted. @default 2048 */
  maxQueueSize?: number;
  /**
   * The first retry waits up to this long; each further retry doubles the ceiling (full jitter), in ms.
   * A RATE_LIMITED answer says how long to wait instead (`retryAfterMs`, or Retry-After): the
   * tracker waits that long plus up to this much, so trackers refused together come back apart.
   * @default 250
   */
  retryBaseDelayMs?: number;
  /** The highest retry ceiling, in ms. @default 30000 */
  retryMaxDelayMs?: number;
  /** How long one request may take before it is abandoned and retried, in ms. @default 10000 */
  requestTimeoutMs?: number;
  /**
   * Told about every call the tracker gives up on: the gateway rejected it (its index in the
   * batch and the gateway's reason; never retried), or the gateway refused the whole request for
   * a reason no retry mends (NEVER_RETRIED_CODES: a wrong key, say). Never about calls that are
   * still being retried.
   * @default ignore
   */
  onError?: (failure: TrackFailure) => void;
  /** The fetch to send with. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** A call the tracker gave up on, and why. */
export interface TrackFailure {
  /** The call as it was sent, with its eventId and occurredAt. */
  call: LlmCallInput;
  /** Its position in the batch that was sent (-1 when it never made it into a batch). */
  index: number;
  /** The gateway's reason, e.g. "inputTokens must be a whole number of at least 0, but got -1". */
  reason: string;
  /** The gateway's error code when the whole request was refused (e.g. UNAUTHENTICATED). */
  code?: string;
}

/** What a tracker has done so far. */
export interface TrackerStats {
  /** Calls waiting or in flight now. */
  queued: number;
  /** Calls the gateway stored. */
  accepted: number;
  /** Calls the gateway already had (a resend after a lost answer). */
  duplicates: number;
  /** Calls given up on and reported to onError. */
  failed: number;
  /** Calls dropped: the queue was full, the tracker was shut down, or shutdown ran out of time. */
  dropped: number;
  /** Requests sent again: after a network error, a 5xx, or any refusal but those in NEVER_RETRIED_CODES (RATE_LIMITED after the wait the gateway asked for). */
  retries: number;
}

/** Reports LLM calls to a Tally gateway. */
export interface Tracker {
  /**
   * Queues a call and returns at once: never throws, never waits on the network. Gives the
   * call an eventId (UUIDv7) and occurredAt (now) unless it has them.
   */
  track(call: LlmCallInput): void;
  /** Resolves once every call queued so far has been answered by the gateway (it waits out outages). */
  flush(): Promise<void>;
  /**
   * Stops taking calls and sends what is queued, for at most `timeoutMs` (default 10000);
   * resolves with the number of calls left unsent (also counted as dropped).
   */
  shutdown(options?: { timeoutMs?: number }): Promise<{ unsent: number }>;
  stats(): TrackerStats;
}

interface Queued {
  call: LlmCallInput;
  /** The call as JSON, made once at track time: a call that cannot be serialised fails alone. */
  json: string;
}

type Outcome =
  | { kind: 'answered'; result: TrackResult }
  /** `retryAfterMs`: the wait the gateway asked for, when it asked. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'refused'; reason: string; code?: string };

/**
 * The gateway's refusals of a whole request that no retry mends: the key, the caller's rights, or
 * the request itself. Every other failure (a network error, a 5xx, UNAVAILABLE, RATE_LIMITED,
 * INTERNAL_SERVER_ERROR, a code this version does not know) is retried: event ids make a resend safe.
 */
export const NEVER_RETRIED_CODES: ReadonlySet<string> = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'QUERY_TOO_COMPLEX',
]);

/** Creates a tracker; see `TrackerOptions` for the defaults. */
export function createTracker(options: TrackerOptions): Tracker {
  return new TrackerClient(options);
}

class TrackerClient implements Tracker {
  private readonly endpoint: string;
  private readonly batchSize: number;
  private readonly maxQueueSize: number;
  private readonly fetch: typeof fetch;
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  private sending: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** Someone awaits the queue (flush or shutdown): retry pauses then keep the process alive. */
  private awaited = 0;
  /** Aborts requests and pauses when shutdown runs out of time. */
  private readonly abandon = new AbortController();
  private readonly counts = { accepted: 0, duplicates: 0, failed: 0, dropped: 0, retries: 0 };

  constructor(private readonly options: TrackerOptions) {
    this.endpoint = /\/graphql\/?$/.test(options.url) ? options.url : `${options.url.replace(/\/+$/, '')}/graphql`;
    this.batchSize = Math.min(1000, Math.max(1, options.batchSize ?? 100));
    this.maxQueueSize = Math.max(1, options.maxQueueSize ?? 2048);
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timer = setInterval(() => void this.send(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  track(call: LlmCallInput): void {
    try {
      if (this.closed || this.queue.length + this.inFlight >= this.maxQueueSize) {
        this.counts.dropped++;
        return;
      }
      const occurredAt = call?.occurredAt instanceof Date ? call.occurredAt.toISOString() : (call?.occurredAt ?? new Date().toISOString());
      const prepared: LlmCallInput = { ...call, eventId: call?.eventId ?? uuidv7(), occurredAt };
      let json: string;
      try {
        json = JSON.stringify(prepared);
      } catch (error) {
        this.fail({ call: prepared, index: -1, reason: `the call cannot be sent as JSON: ${message(error)}` });
        return;
      }
      this.queue.push({ call: prepared, json });
      if (this.queue.length >= this.batchSize) void this.send();
    } catch {
      this.counts.dropped++;
    }
  }

  async flush(): Promise<void> {
    this.awaited++;
    try {
      while ((this.queue.length > 0 || this.sending) && !this.abandon.signal.aborted) await this.send();
    } finally {
      this.awaited--;
    }
  }

  async shutdown({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<{ unsent: number }> {
    this.closed = true;
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.flush(), outOfTime]);
    clearTimeout(timer);
    const unsent = this.queue.length + this.inFlight;
    if (unsent > 0) {
      this.abandon.abort();
      await this.sending;
      this.counts.dropped += this.queue.length;
      this.queue.length = 0;
    }
    return { unsent };
  }

  stats(): TrackerStats {
    return { queued: this.queue.length + this.inFlight, ...this.counts };
  }

  /** Sends what is queued, one batch at a time; a second caller shares the run in progress. */
  private send(): Promise<void> {
    this.sending ??= this.sendAll().finally(() => (this.sending = null));
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length > 0 && !this.abandon.signal.aborted) {
      const batch = this.queue.splice(0, this.batchSize);
      this.inFlight = batch.length;
      try {
        await this.deliver(batch);
      } finally {
        this.inFlight = 0;
      }
    }
  }

  /** Sends one batch until the gateway answers it, or refuses it for good, or shutdown gives up on it. */
  private async deliver(batch: Queued[]): Promise<void> {
    const body = `{"query":${JSON.stringify(TRACK_LLM_CALLS)},"variables":{"inputs":[${batch.map((q) => q.json).join(',')}]}}`;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.post(body);
      if (outcome.kind === 'answered') {
        this.counts.accepted += outcome.result.accepted;
        this.counts.duplicates += outcome.result.duplicates;
        for (const rejected of outcome.result.rejected) {
          const call = batch[rejected.index]?.call;
          if (call) this.fail({ call, index: rejected.index, reason: rejected.message });
        }
        return;
      }
      if (outcome.kind === 'refused') {
        batch.forEach((q, index) => this.fail({ call: q.call, index, reason: outcome.reason, code: outcome.code }));
        return;
      }
      if (this.abandon.signal.aborted) {
        this.counts.dropped += batch.length;
        return;
      }
      this.counts.retries++;
      await this.pause(attempt, outcome.retryAfterMs);
    }
  }

  private async post(body: string): Promise<Outcome> {
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.apiKey}` },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000), this.abandon.signal]),
      });
      text = await response.text();
    } catch (error) {
      return { kind: 'retry', reason: message(error) };
    }
    let parsed:
      | { data?: { trackLlmCalls?: TrackResult } | null; errors?: { message?: string; extensions?: { code?: string; retryAfterMs?: unknown } }[] }
      | undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = parsed?.data?.trackLlmCalls;
    if (result) return { kind: 'answered', result };
    const error = parsed?.errors?.[0];
    const code = error?.extensions?.code;
    const reason = error?.message ?? `the gateway answered HTTP ${response.status}`;
    if (code !== undefined && NEVER_RETRIED_CODES.has(code)) return { kind: 'refused', reason, code };
    // A limit says how long it holds; other refusals are retried with the tracker's own backoff.
    const limited = code === 'RATE_LIMITED' || response.status === 429;
    return { kind: 'retry', reason, retryAfterMs: limited ? askedWait(error?.extensions?.retryAfterMs, response.headers.get('retry-after')) : undefined };
  }

  private pause(attempt: number, retryAfterMs: number | undefined): Promise<void> {
    const wait = retryWait(attempt, retryAfterMs, this.options.retryBaseDelayMs ?? 250, this.options.retryMaxDelayMs ?? 30_000);
    const signal = this.abandon.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      // An application that is exiting without flush() or shutdown() is not held open by retries.
      if (this.awaited === 0) timer.unref();
      signal.addEventListener('abort', done);
    });
  }

  private fail(failure: TrackFailure): void {
    this.counts.failed++;
    try {
      this.options.onError?.(failure);
    } catch {
      // The application's hook must not break the tracker.
    }
  }
}

/**
 * Full-jitter exponential backoff: the wait before retry number `attempt + 1` is drawn at random
 * below `baseMs × 2^attempt`, capped at `maxMs`, so many trackers retrying at once spread out.
 */
export function retryDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
}

/**
 * The wait before a retry: what the gateway asked for plus a jitter below `baseMs`, or, when
 * it asked for nothing, {@link retryDelay}.
 */
export function retryWait(attempt: number, retryAfterMs: number | undefined, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  if (retryAfterMs === undefined) return retryDelay(attempt, baseMs, maxMs, random);
  return retryAfterMs + random() * baseMs;
}

/** The wait a refusal asked for, in ms: `extensions.retryAfterMs`, else the Retry-After header (seconds); at most an hour. */
function askedWait(retryAfterMs: unknown, retryAfterHeader: string | null): number | undefined {
  const fromBody = typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0 ? retryAfterMs : undefined;
  const seconds = retryAfterHeader !== null && /^\s*\d+\s*$/.test(retryAfterHeader) ? Number(retryAfterHeader) * 1000 : undefined;
  const wait = fromBody ?? seconds;
  return wait === undefined ? undefined : Math.min(wait, 3_600_000);
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
