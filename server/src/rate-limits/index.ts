import { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { RateLimits, type RateLimitsOptions } from './rate-limits';

export { RateLimits, METRICS_TOKEN_CALLER, type Caller } from './rate-limits';
export { isRateLimited, RateLimitedError, retryAfterSeconds, sendRateLimited, type LimitName } from './rate-limited';
export type { SocketLease } from './socket-counter';

/** The longest pause between two reconnection attempts to Redis. */
const MAX_RECONNECT_DELAY_MS = 2000;

/** The limits and the Redis connection behind them, if any. */
export interface RateLimitsConnection {
  limits: RateLimits;
  close(): Promise<void>;
}

/**
 * The gateway's limits: shared by every instance through Redis when REDIS_URL is set (a
 * connection of their own, which never queues a command while Redis is away), else counted
 * by this instance alone.
 */
export function openRateLimits(
  config: Pick<Config, 'limits' | 'redisUrl' | 'redisChannelPrefix'>,
  logger: Logger,
  options: Pick<RateLimitsOptions, 'windowSeconds' | 'onLimited'> = {},
): RateLimitsConnection {
  let redis: Redis | undefined;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      connectionName: 'tally-limits',
      enableOfflineQueue: false,
      retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    });
    let reported = false;
    redis.on('error', (error: Error) => {
      if (!reported) logger.warn({ err: error }, 'limits: Redis unreachable; each instance counts alone until it is back');
      reported = true;
    });
    redis.on('ready', () => (reported = false));
  }
  const limits = new RateLimits({ limits: config.limits, logger, redis, redisPrefix: config.redisChannelPrefix, ...options });
  return {
    limits,
    close: async () => {
      limits.close();
      if (redis) await redis.quit().catch(() => redis!.disconnect());
    },
  };
}
