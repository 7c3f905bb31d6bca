import type { DataSource } from 'typeorm';
import { useSourcePolicy } from './metrics/metrics.service';
import { createApp, type App } from './app';
import { KeyResolver } from './auth/auth.service';
import { followRevocations } from './auth/revocations';
import { ensureAdmin } from './bootstrap';
import { partitionOwner, partitionOwnerAt } from './db/partitions';
import { platformDb } from './db/platform-db';
import type { Config } from './config';
import { viewerSharingKey, type Services } from './graphql/context';
import { maskResultErrors } from './graphql/errors';
import { SubscriptionFanOut } from './graphql/shared-subscribe';
import type { Logger } from './logger';
import { Monitoring, type MonitoringOptions } from './monitoring/monitoring';
import { openPubSub } from './pubsub/open-pubsub';
import { version } from './version';
import { SummaryFeed } from './usage/summary-feed';
import { checkBudgets } from './budgets/budgets.service';
import { checkRulesOf, DeliveryWorker, RuleHeadroom, type DeliveryWorkerOptions } from './alert-rules';
import { PooledUsageWatcher, UsageWatcher } from './pubsub/usage-watcher';
import { openRateLimits } from './rate-limits';
import { followRawCallCuts, RetentionWorker, type RetentionWorkerOptions } from './lifecycle';

/** The retention worker runs hourly: its heartbeat promises one beat an hour. */
const RETENTION_BEAT_SECONDS = 3600;

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
  options: {
    now?: () => Date;
    monitoring?: MonitoringOptions;
    /** Delivery worker tuning (a short poll interval, say). */
    deliveries?: DeliveryWorkerOptions;
    /** The window rates are counted over, in seconds (tests stretch it). @default 1 */
    limitWindowSeconds?: number;
    /** The built dashboard to serve. @default web/dist */
    webDist?: string;
    /** Retention worker tuning (batch size, pause). */
    retention?: RetentionWorkerOptions;
  } = {},
): Promise<Gateway> {
  const platform = platformDb(dataSource);
  // Months of raw calls are detached and dropped by their owner: the migration role when it is not the serving one.
  const partitionsOwner = config.databaseMigrationUrl ? partitionOwnerAt(config.databaseMigrationUrl) : partitionOwner(dataSource);
  useSourcePolicy(config.metricsSources);
  await ensureAdmin(platform, config.adminKey);
  const now = options.now ?? (() => new Date());
  const startedAt = new Date();
  const pubsubConnection = openPubSub(config, logger);
  const ruleHeadroom = new RuleHeadroom(now);
  const monitoring = new Monitoring({ platform, pubsub: pubsubConnection.pubsub, config, logger, now, startedAt, version, ruleHeadroom }, options.monitoring);
  const pubsub = monitoring.pubsub;
  const rateLimits = openRateLimits(config, logger, {
    windowSeconds: options.limitWindowSeconds,
    onLimited: (limit, callerId) => monitoring.prometheus.countLimited(limit, callerId),
  });
  const services: Services = {
    dataSource,
    platform,
    pubsub,
    config,
    logger,
    keys: new KeyResolver(platform, now),
    now,
    startedAt,
    version,
    summaryFeed: new SummaryFeed(dataSource, pubsub, logger, now, () => monitoring.prometheus.countSummaryComputation()),
    budgetWatcher: new UsageWatcher('budget check', (db, workspaceId, at) => checkBudgets(db, pubsub, workspaceId, at), dataSource, pubsub, logger, now),
    ruleWatcher: new PooledUsageWatcher(
      'alert rule evaluation',
      (workspaceIds, at) => checkRulesOf(platform, pubsub, workspaceIds, at, ruleHeadroom),
      pubsub,
      logger,
      now,
      (call) => ruleHeadroom.noteCall(call),
    ),
    deliveryWorker: new DeliveryWorker(platform, pubsub, config, logger, options.deliveries),
    monitoring,
    subscriptions: new SubscriptionFanOut({
      sharingKey: viewerSharingKey,
      formatResult: (result) => maskResultErrors(result, logger),
      onError: (error) => logger.error({ err: error }, 'subscription event failed'),
    }),
    limits: rateLimits.limits,
    retention: new RetentionWorker(
      { platform, owner: partitionsOwner, pubsub, logger, now, platformDefault: config.retentionDays, beat: monitoring.serviceBeat('tally-retention', RETENTION_BEAT_SECONDS) },
      options.retention,
    ),
  };
  monitoring.prometheus.followSharedSubscriptions(services.subscriptions.live);
  services.summaryFeed.start();
  services.budgetWatcher.start();
  services.ruleWatcher.start();
  services.deliveryWorker.start();
  const rawCallCuts = followRawCallCuts(pubsub);
  const app = await createApp(services, { webDist: options.webDist });
  let port: number;
  try {
    port = await app.listen(config.port);
  } catch (error) {
    // The caller closes the database next: workers left polling it would fail (and say so) on their next round.
    services.summaryFeed.stop();
    services.budgetWatcher.stop();
    services.ruleWatcher.stop();
    await services.deliveryWorker.stop();
    await rawCallCuts.stop();
    throw error;
  }
  monitoring.start();
  services.retention.start();
  const revocations = followRevocations(pubsub, (keyId) => {
    services.keys.forget(keyId);
    app.closeSocketsOf(keyId);
  });
  return {
    app,
    services,
    port,
    stop: async () => {
      // Stop taking requests and let those in flight finish before the background work and the PubSub go.
      await app.close();
      await revocations.stop();
      await monitoring.stop();
      services.summaryFeed.stop();
      services.budgetWatcher.stop();
      services.ruleWatcher.stop();
      await services.deliveryWorker.stop();
      await services.retention.stop();
      await partitionsOwner.close();
      await rawCallCuts.stop();
      await pubsubConnection.close();
      await rateLimits.close();
    },
  };
}
