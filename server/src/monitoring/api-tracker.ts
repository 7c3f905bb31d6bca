/** Keys the tracker may hold before new keys are counted under {@link OVERFLOW_KEY}. */
export const MAX_TRACKED_KEYS = 500;
/** How many recent times each key keeps for its percentiles. */
export const RING_SIZE = 100;
/** Where calls to keys beyond the first {@link MAX_TRACKED_KEYS} are counted. */
export const OVERFLOW_KEY = '(other: over 500 keys)';

/** One finished HTTP request or GraphQL operation. */
export interface TrackedCall {
  key: string;
  durationMs: number;
  /** The HTTP status (for a GraphQL operation over WebSocket: the status the same operation would get over HTTP). */
  status: number;
  /** A status of 400 or more, or a GraphQL answer that carried errors other than NOT_CONFIGURED. */
  error: boolean;
  /** Refused by an abuse limit (HTTP 429, or a RATE_LIMITED error). */
  limited?: boolean;
  at: Date;
}

export interface StatusCountValues {
  code: number;
  count: number;
}

/** What `apiMetrics` answers for one key. */
export interface EndpointStatsValues {
  key: string;
  callCount: number;
  totalTimeMs: number;
  avgTimeMs: number;
  minTimeMs: number;
  maxTimeMs: number;
  p50TimeMs: number;
  p95TimeMs: number;
  p99TimeMs: number;
  /** The last {@link RING_SIZE} response times, oldest first. */
  recentTimesMs: number[];
  errorCount: number;
  limitedCount: number;
  statusCodes: StatusCountValues[];
  lastCalled: Date | null;
}

/** The last `capacity` values, oldest overwritten first. */
export class RingBuffer {
  private readonly values: Float64Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** The values held, oldest first. */
  toArray(): number[] {
    if (this.size < this.capacity) return Array.from(this.values.subarray(0, this.size));
    return [...this.values.subarray(this.next), ...this.values.subarray(0, this.next)];
  }
}

/**
 * The `fraction` percentile of ascending `sorted` values, interpolated linearly between the
 * two nearest ranks: the same definition as PostgreSQL's `percentile_cont`, which the
 * metrics engine uses for exact latency percentiles. 0 for no values.
 */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = fraction * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
}

class EndpointAccumulator {
  callCount = 0;
  totalTimeMs = 0;
  minTimeMs = Infinity;
  maxTimeMs = 0;
  errorCount = 0;
  limitedCount = 0;
  lastCalled: Date | null = null;
  readonly recent = new RingBuffer(RING_SIZE);
  readonly statusCodes = new Map<number, number>();

  constructor(readonly key: string) {}

  add(call: TrackedCall): void {
    this.callCount++;
    this.totalTimeMs += call.durationMs;
    this.minTimeMs = Math.min(this.minTimeMs, call.durationMs);
    this.maxTimeMs = Math.max(this.maxTimeMs, call.durationMs);
    if (call.error) this.errorCount++;
    if (call.limited) this.limitedCount++;
    this.lastCalled = call.at;
    this.recent.push(call.durationMs);
    this.statusCodes.set(call.status, (this.statusCodes.get(call.status) ?? 0) + 1);
  }

  stats(): EndpointStatsValues {
    const recentTimesMs = this.recent.toArray();
    const sorted = [...recentTimesMs].sort((a, b) => a - b);
    return {
      key: this.key,
      callCount: this.callCount,
      totalTimeMs: this.totalTimeMs,
      avgTimeMs: this.callCount ? this.totalTimeMs / this.callCount : 0,
      minTimeMs: this.callCount ? this.minTimeMs : 0,
      maxTimeMs: this.maxTimeMs,
      p50TimeMs: percentile(sorted, 0.5),
      p95TimeMs: percentile(sorted, 0.95),
      p99TimeMs: percentile(sorted, 0.99),
      recentTimesMs,
      errorCount: this.errorCount,
      limitedCount: this.limitedCount,
      statusCodes: [...this.statusCodes].sort(([a], [b]) => a - b).map(([code, count]) => ({ code, count })),
      lastCalled: this.lastCalled,
    };
  }
}

export interface ApiTrackerOptions {
  /** @default {@link MAX_TRACKED_KEYS} */
  maxKeys?: number;
  /** Told of every call after it is counted, under the key it was counted as (Prometheus uses it). */
  onRecord?: (call: TrackedCall) => void;
}

/**
 * Counts every finished request and operation per key, in memory and in bounded space: at
 * most `maxKeys` keys plus the overflow key, each with a ring of its last 100 times.
 */
export class ApiTracker {
  private readonly endpoints = new Map<string, EndpointAccumulator>();
  private readonly maxKeys: number;

  constructor(private readonly options: ApiTrackerOptions = {}) {
    this.maxKeys = options.maxKeys ?? MAX_TRACKED_KEYS;
  }

  record(call: TrackedCall): void {
    let endpoint = this.endpoints.get(call.key);
    if (!endpoint) {
      const key = this.endpoints.size >= this.maxKeys && call.key !== OVERFLOW_KEY ? OVERFLOW_KEY : call.key;
      endpoint = this.endpoints.get(key);
      if (!endpoint) this.endpoints.set(key, (endpoint = new EndpointAccumulator(key)));
    }
    const counted = endpoint.key === call.key ? call : { ...call, key: endpoint.key };
    endpoint.add(counted);
    this.options.onRecord?.(counted);
  }

  /** Every key's figures, the most called first. */
  stats(): EndpointStatsValues[] {
    return [...this.endpoints.values()].map((e) => e.stats()).sort((a, b) => b.callCount - a.callCount || a.key.localeCompare(b.key));
  }

  get keyCount(): number {
    return this.endpoints.size;
  }
}
