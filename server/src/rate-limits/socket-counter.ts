import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** One open socket counted against its key; released when the socket closes. */
export interface SocketLease {
  release(): void;
}

/** Counts the WebSockets each API key holds open, and refuses one past the limit. */
export interface SocketCounter {
  /** A lease for one more socket of `keyId`, or null when it already holds `limit`. */
  acquire(keyId: string, limit: number): Promise<SocketLease | null>;
  close(): void;
}

/** This instance's sockets, counted in memory. */
export class LocalSocketCounter implements SocketCounter {
  private readonly counts = new Map<string, number>();

  async acquire(keyId: string, limit: number): Promise<SocketLease | null> {
    return this.tryAcquire(keyId, limit);
  }

  tryAcquire(keyId: string, limit: number): SocketLease | null {
    const held = this.counts.get(keyId) ?? 0;
    if (held >= limit) return null;
    return this.add(keyId);
  }

  /** Counts one more socket whatever the limit (Redis admitted it). */
  add(keyId: string): SocketLease {
    this.counts.set(keyId, (this.counts.get(keyId) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.counts.get(keyId) ?? 1) - 1;
        if (left > 0) this.counts.set(keyId, left);
        else this.counts.delete(keyId);
      },
    };
  }

  close(): void {}
}

/** How long a socket stays counted in Redis unless its instance renews it: a crashed instance's sockets stop counting after this. */
export const SOCKET_LEASE_MS = 30_000;

// Redis's own clock, so instances whose clocks differ agree on which leases have run out.
const NOW_MS = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] the key's leases; ARGV: lease id, limit, lease ms. 1 when the lease was taken. */
const ACQUIRE = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** KEYS[1] the key's leases; ARGV: lease ms, then the lease ids this instance still holds. */
const RENEW = `${NOW_MS}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0`;

export interface RedisSocketCounterOptions {
  redis: Redis;
  /** Put before every Redis key (REDIS_CHANNEL_PREFIX). */
  prefix: string;
  logger: Logger;
  /** @default {@link SOCKET_LEASE_MS} */
  leaseMs?: number;
}

/**
 * Every instance's sockets, counted in Redis: each open socket is a lease in a sorted set per
 * key, scored by when it runs out; instances renew their own leases a few times per lease, so
 * the sockets of an instance that died stop counting within one lease. A rate limiter's
 * counter would not do: its window would forget sockets that stay open, or a crash would
 * leave them counted for ever. While Redis cannot be reached, this instance's own count
 * decides, as if it were alone.
 */
export class RedisSocketCounter implements SocketCounter {
  private readonly local = new LocalSocketCounter();
  /** Lease ids held by this instance, by Redis key. */
  private readonly held = new Map<string, Set<string>>();
  private readonly leaseMs: number;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: RedisSocketCounterOptions) {
    this.leaseMs = options.leaseMs ?? SOCKET_LEASE_MS;
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  async acquire(keyId: string, limit: number): Promise<SocketLease | null> {
    const redisKey = `${this.options.prefix}:limit:sockets:${keyId}`;
    const leaseId = randomUUID();
    let taken: unknown;
    try {
      taken = await this.options.redis.eval(ACQUIRE, 1, redisKey, leaseId, limit, this.leaseMs);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'socket limit: Redis unreachable, counting this instance alone');
      return this.local.tryAcquire(keyId, limit);
    }
    if (taken !== 1) return null;
    const localLease = this.local.add(keyId);
    let ids = this.held.get(redisKey);
    if (!ids) this.held.set(redisKey, (ids = new Set()));
    ids.add(leaseId);
    return {
      release: () => {
        localLease.release();
        const leases = this.held.get(redisKey);
        if (!leases?.delete(leaseId)) return;
        if (leases.size === 0) this.held.delete(redisKey);
        this.options.redis.zrem(redisKey, leaseId).catch((error: unknown) => {
          this.options.logger.debug({ err: error }, 'socket limit: a lease could not be given back; it runs out by itself');
        });
      },
    };
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    const pipeline = this.options.redis.pipeline();
    for (const [redisKey, ids] of this.held) pipeline.eval(RENEW, 1, redisKey, this.leaseMs, ...ids);
    await pipeline.exec().catch((error: unknown) => this.options.logger.warn({ err: error }, 'socket limit: leases could not be renewed'));
  }

  close(): void {
    clearInterval(this.timer);
  }
}
