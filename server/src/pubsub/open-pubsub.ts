import type { Config } from '../config';
import type { Logger } from '../logger';
import { createInProcessPubSub, type PubSubConnection } from './pubsub';
import { createRedisPubSub } from './redis-pubsub';

/** The gateway's PubSub: over Redis when REDIS_URL is set (several instances share events), else in-process. */
export function openPubSub(config: Pick<Config, 'redisUrl' | 'redisChannelPrefix'>, logger: Logger): PubSubConnection {
  if (!config.redisUrl) return { pubsub: createInProcessPubSub(), close: async () => undefined };
  logger.info({ channelPrefix: config.redisChannelPrefix }, 'PubSub over Redis');
  return createRedisPubSub({ url: config.redisUrl, channelPrefix: config.redisChannelPrefix, logger });
}
