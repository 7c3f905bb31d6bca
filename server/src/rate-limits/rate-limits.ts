import type { Redis } from 'ioredis';
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitTier, Limits } from '../config';
import type { Logger } from '../logger';
import { RateLimitedError, type LimitName } from './rate-limited';
import { LocalSocketCounter, RedisSocketCounter, type SocketCounter, type SocketLease } from './socket-counter';

/** Who a request counts against: an API key (admins have their own tier), or METRICS_TOKEN. */
export interface Caller {
  /** The API key's id, or {@link METRICS_TOKEN_CALLER}. */
  id: string;
  admin: boolean;
}

/** The bucket METRICS_TOKEN scrapes share; they take the admin tier's rate. */
export const METRICS_TOKEN_CALLER: Caller = { id: 'METRICS_TOKEN', admin: true };

/** The burst allowance above the rate comes back once per this many windows. */
const BURST_WINDOWS = 10;

export interface RateLimitsOptions {
  limits: Limits;
  logger: Logger;
  /** Shares the counts between instances; without it each instance counts alone. */
  redis?: Redis;
  /** Put before every Redis key (REDIS_CHANNEL_PREFIX). @default "tally" */
  redisPrefix?: string;
  /**
   * The window a rate is counted over, in seconds: 1, so LIMIT_REQUESTS_PER_SECOND means per
   * second. Tests stretch it so that a window never ends between two requests of one test.
   * @default 1
   */
  windowSeconds?: number;
  /** Told of every refusal, with the id of the caller refused (monitoring counts them). */
  onLimited?: (limit: LimitName, callerId: string) => void;
}

type Consumer = Pick<RateLimiterAbstract, 'consume'>;

/**
 * The abuse limits, on rate-limiter-flexible: requests per key (a rate with a burst
 * allowance, `BurstyRateLimiter`), ingested calls per workspace, sockets per key and
 * subscriptions per socket. With Redis the counts are shared by every instance; when Redis
 * fails, each instance falls back to counting alone in memory (the `insuranceLimiter`) rather
 * than refusing or failing requests.
 */
export class RateLimits {
  private readonly requestLimiters: Record<'ordinary' | 'admin', Consumer | null>;
  private readonly ingestLimiter: Consumer | null;
  private readonly sockets: SocketCounter;
  private readonly window: string;

  constructor(private readonly options: RateLimitsOptions) {
    const { limits } = options;
    const windowSeconds = options.windowSeconds ?? 1;
    this.window = windowSeconds === 1 ? 'a second' : `per ${windowSeconds} seconds`;
    this.requestLimiters = {
      ordinary: this.requestLimiter('ordinary', limits.ordinary, windowSeconds),
      admin: this.requestLimiter('admin', limits.admin, windowSeconds),
    };
    this.ingestLimiter = limits.ingestCallsPerSecond > 0 ? this.limiter('ingest', limits.ingestCallsPerSecond, windowSeconds) : null;
    this.sockets = options.redis
      ? new RedisSocketCounter({ redis: options.redis, prefix: this.prefix, logger: options.logger })
      : new LocalSocketCounter();
  }

  private get prefix(): string {
    return this.options.redisPrefix ?? 'tally';
  }

  private tier(caller: Caller): LimitTier {
    return caller.admin ? this.options.limits.admin : this.options.limits.ordinary;
  }

  /**
   * Counts one query or mutation (ingest aside) against its caller.
   * @throws RateLimitedError past the caller's rate, with the wait until it may go on
   */
  async admitRequest(caller: Caller): Promise<void> {
    const limiter = this.requestLimiters[caller.admin ? 'admin' : 'ordinary'];
    if (!limiter) return;
    const { requestsPerSecond, requestBurst } = this.tier(caller);
    const burst = requestBurst > requestsPerSecond ? `, with bursts of ${requestBurst}` : '';
    await this.consume('requests', limiter, caller.id, 1, caller.id, (wait) =>
      `Too many requests: ${caller.id === METRICS_TOKEN_CALLER.id ? 'METRICS_TOKEN' : caller.admin ? 'an admin key' : 'an API key'} may make ${requestsPerSecond} requests ${this.window}${burst}; retry after ${wait} ms`,
    );
  }

  /**
   * Counts `calls` ingested calls against their workspace, whichever path they came by
   * (trackLlmCall(s), OTLP). A batch larger than a whole window's allowance takes that whole
   * window rather than never passing.
   * @throws RateLimitedError past the workspace's rate, with the wait until it may go on
   */
  async admitIngest(workspaceId: string, calls: number, caller: Caller): Promise<void> {
    if (!this.ingestLimiter || calls <= 0) return;
    const perWindow = this.options.limits.ingestCallsPerSecond;
    await this.consume('ingest', this.ingestLimiter, workspaceId, Math.min(calls, perWindow), caller.id, (wait) =>
      `Too many calls: a workspace may send ${perWindow} calls ${this.window}, and this one has sent that many; retry after ${wait} ms`,
    );
  }

  /** Subscriptions one socket of this caller may hold; 0 is no limit. */
  subscriptionsPerSocket(caller: Caller): number {
    return this.tier(caller).subscriptionsPerSocket;
  }

  /** The refusal of one more subscription on a socket that holds `limit` already. */
  subscriptionRefused(caller: Caller, limit: number): RateLimitedError {
    this.options.onLimited?.('subscriptions', caller.id);
    return new RateLimitedError(
      'subscriptions',
      `A socket may hold ${limit} subscriptions at once, and this one holds ${limit}: complete one, or open another socket`,
    );
  }

  /**
   * Counts one more open WebSocket of the caller's key.
   * @returns the lease to release when the socket closes, or the close reason when the key holds its limit
   */
  async openSocket(caller: Caller): Promise<{ lease: SocketLease } | { refused: string }> {
    const limit = this.tier(caller).socketsPerKey;
    if (limit === 0) return { lease: { release: () => undefined } };
    const lease = await this.sockets.acquire(caller.id, limit);
    if (lease) return { lease };
    this.options.onLimited?.('sockets', caller.id);
    // A close reason may be at most 123 bytes.
    return { refused: `Too many sockets: ${caller.admin ? 'an admin key' : 'an API key'} may hold ${limit} open at once` };
  }

  close(): void {
    this.sockets.close();
  }

  private requestLimiter(tierName: 'ordinary' | 'admin', tier: LimitTier, windowSeconds: number): Consumer | null {
    if (tier.requestsPerSecond === 0) return null;
    const steady = this.limiter(`requests:${tierName}`, tier.requestsPerSecond, windowSeconds);
    if (tier.requestBurst <= tier.requestsPerSecond) return steady;
    const burst = this.limiter(`requests-burst:${tierName}`, tier.requestBurst - tier.requestsPerSecond, windowSeconds * BURST_WINDOWS);
    return new BurstyRateLimiter(steady, burst);
  }

  private limiter(name: string, points: number, duration: number): RateLimiterAbstract {
    const keyPrefix = `${this.prefix}:limit:${name}`;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration });
    if (!this.options.redis) return memory;
    return new RateLimiterRedis({
      storeClient: this.options.redis,
      keyPrefix,
      points,
      duration,
      // Redis down: count in this instance's memory at once instead of queueing behind the reconnection.
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }

  private async consume(
    limit: LimitName,
    limiter: Consumer,
    key: string,
    points: number,
    callerId: string,
    message: (retryAfterMs: number) => string,
  ): Promise<void> {
    try {
      await limiter.consume(key, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        // The store and its insurance both failed: a limit never turns into a failed request.
        this.options.logger.warn({ err: rejection, limit }, 'a limit could not be checked; the request goes on');
        return;
      }
      const retryAfterMs = Math.max(1, Math.ceil(rejection.msBeforeNext));
      this.options.onLimited?.(limit, callerId);
      throw new RateLimitedError(limit, message(retryAfterMs), retryAfterMs);
    }
  }
}
