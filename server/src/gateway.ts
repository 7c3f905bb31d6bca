import type { DataSource } from 'typeorm';
import { createApp, type App } from './app';
import { KeyResolver } from './auth/auth.service';
import { ensureAdmin } from './bootstrap';
import type { Config } from './config';
import type { Services } from './graphql/context';
import type { Logger } from './logger';
import { createInProcessPubSub } from './pubsub/pubsub';
import { version } from './version';
import { SummaryFeed } from './usage/summary-feed';

export interface Gateway {
  app: App;
  services: Services;
  port: number;
  stop(): Promise<void>;
}

/** Everything but the process: services, HTTP and WebSocket, listening on `config.port`. */
export async function startGateway(
  config: Config,
  dataSource: DataSource,
  logger: Logger,
  options: { now?: () => Date } = {},
): Promise<Gateway> {
  await ensureAdmin(dataSource, config.adminKey);
  const pubsub = createInProcessPubSub();
  const now = options.now ?? (() => new Date());
  const services: Services = {
    dataSource,
    pubsub,
    config,
    logger,
    keys: new KeyResolver(dataSource),
    now,
    startedAt: new Date(),
    version,
    summaryFeed: new SummaryFeed(dataSource, pubsub, logger, now),
  };
  services.summaryFeed.start();
  const app = await createApp(services);
  const port = await app.listen(config.port);
  return {
    app,
    services,
    port,
    stop: async () => {
      services.summaryFeed.stop();
      await app.close();
    },
  };
}
