import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';
import { countingPubSub, type PubSubConnection } from './pubsub';

/** Where the Redis PubSub connects and how it names its channels. */
export interface RedisPubSubOptions {
  /** `redis://` or `rediss://` URL (REDIS_URL). */
  url: string;
  /** Put before every topic, so several deployments (or test runs) can share one Redis. @default "tally" */
  channelPrefix?: string;
  logger: Logger;
}

/** The longest pause between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The PubSub over Redis, for several gateway instances: every event goes through Redis, so a
 * subscriber on one instance receives what any instance publishes, once.
 *
 * While Redis is unreachable, publishing drops events (live pushes are best effort; the data
 * itself is in PostgreSQL), subscriptions wait, and both connections retry every two seconds
 * at most; once Redis is back, ioredis subscribes the open channels again. Nothing here
 * rejects unhandled or blocks a request on Redis.
 */
export function createRedisPubSub({ url, channelPrefix = 'tally', logger }: RedisPubSubOptions): PubSubConnection {
  const prefix = `${channelPrefix}:`;
  const options: RedisOptions = {
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    // A subscribe made during an outage waits for the connection rather than failing, or its channel would stay deaf.
    maxRetriesPerRequest: null,
  };
  const publisher = new Redis(url, { ...options, connectionName: 'tally-publish', enableOfflineQueue: false });
  const subscriber = new Redis(url, { ...options, connectionName: 'tally-subscribe' });
  watchConnection(publisher, 'publish', logger);
  watchConnection(subscriber, 'subscribe', logger);

  // Resolved once Redis confirmed a channel's subscription: only then does an event published elsewhere arrive.
  const confirmed = new Map<string, Deferred>();
  const confirmation = (channel: string): Deferred => {
    let entry = confirmed.get(channel);
    if (!entry) confirmed.set(channel, (entry = deferred()));
    return entry;
  };

  // The event target calls nothing else on its clients; these add the prefix and handle every rejection.
  const publishClient = {
    publish: (channel: string, message: string) =>
      publisher.publish(prefix + channel, message).catch((error: unknown) => {
        logger.debug({ err: error, topic: channel }, 'event not published: Redis is unreachable');
        return 0;
      }),
  };
  const subscribeClient = {
    on: (event: 'message', listener: (channel: string, message: string) => void) =>
      subscriber.on(event, (channel: string, message: string) => {
        if (channel.startsWith(prefix)) listener(channel.slice(prefix.length), message);
      }),
    subscribe: (channel: string) =>
      subscriber.subscribe(prefix + channel).then(
        () => confirmation(channel).resolve(),
        (error: unknown) => logger.warn({ err: error, topic: channel }, 'Redis subscribe failed'),
      ),
    unsubscribe: (channel: string) => {
      confirmed.delete(channel);
      return subscriber.unsubscribe(prefix + channel).catch((error: unknown) => logger.debug({ err: error, topic: channel }, 'Redis unsubscribe failed'));
    },
  };
  const eventTarget = createRedisEventTarget({
    publishClient: publishClient as unknown as Redis,
    subscribeClient: subscribeClient as unknown as Redis,
  });
  // A subscription counts as listening once Redis has confirmed its channel, not when it was asked for.
  const pubsub = countingPubSub(createPubSub({ eventTarget }) as unknown as Parameters<typeof countingPubSub>[0], (topic) => confirmation(topic).promise);
  return {
    pubsub,
    close: async () => {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

/** Logs a lost connection once (not every retry) and its return. */
function watchConnection(redis: Redis, role: string, logger: Logger): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ err: error, role }, 'Redis unreachable; retrying');
  });
  redis.on('ready', () => {
    if (down) logger.info({ role }, 'Redis connection back');
    down = false;
  });
}
