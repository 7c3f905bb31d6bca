import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase, warmPool } from './db/data-source';
import type { DataSource } from 'typeorm';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded';
import { startGateway, type Gateway } from './gateway';
import { prepareIngest } from './ingest/ingest.service';
import { createLogger } from './logger';
import { startDemo, type DemoHandle } from './demo/demo';
import { explainStartupFailure } from './startup/startup-failure';

/** A statement that gets no answer for this long fails its request with UNAVAILABLE instead of holding it. */
const DATABASE_QUERY_TIMEOUT_MS = 30_000;
/** Connections to the primary; half are opened and prepared before the gateway says it is up. */
const POOL_SIZE = 20;

/** Process entry: configuration, database, gateway, then demo data when asked. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, process.argv.includes('--demo'));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Tally cannot start: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // What has started so far, stopped in reverse order when a later step fails.
  const started: Array<() => Promise<void>> = [];
  let running: { demo?: DemoHandle; gateway: Gateway; dataSource: DataSource; embedded?: EmbeddedServer };
  try {
    let embedded: EmbeddedServer | undefined;
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), logger, undefined);
      started.push(embedded.stop);
      databaseUrl = embedded.url;
    }
    const dataSource = await openDatabase(databaseUrl, POOL_SIZE, {
      migrationUrl: config.databaseMigrationUrl,
      replicaUrls: config.databaseReplicaUrls,
      queryTimeoutMs: DATABASE_QUERY_TIMEOUT_MS,
      prepareConnection: prepareIngest,
      onPrepareError: (error) => logger.warn({ err: error }, 'preparing a database connection failed'),
    });
    started.push(() => dataSource.destroy());
    const gateway = await startGateway(config, dataSource, logger);
    started.push(gateway.stop);
    await warmPool(dataSource, POOL_SIZE / 2);
    const demo = config.demo
      ? await startDemo(gateway.services, (line) => process.stdout.write(`${line}\n`), {
          calls: config.demoCalls,
          traffic: config.demoTraffic,
          gatewayUrl: `http://127.0.0.1:${gateway.port}/graphql`,
        })
      : undefined;
    running = { demo, gateway, dataSource, embedded };
  } catch (error) {
    logger.debug({ err: error }, 'the start failed');
    process.stderr.write(`Tally cannot start: ${explainStartupFailure(error, { port: config.port, embedded: !config.databaseUrl })}\n`);
    for (const stop of started.reverse()) await stop().catch((stopError: unknown) => logger.debug({ err: stopError }, 'stopping after a failed start failed'));
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      process.stderr.write(`Tally took more than 10 s to stop after ${signal}; exiting without waiting further\n`);
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await running.demo?.stop();
      await running.gateway.stop();
      await running.dataSource.destroy();
      await running.embedded?.stop();
      process.exit(0);
    } catch (error) {
      // Written directly: the logger's buffered line would be lost to the exit that follows.
      process.stderr.write(`Tally did not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
      logger.debug({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Said only once the handlers are in place: whoever reads it may send a signal at once.
  process.stdout.write(`Tally is up: http://localhost:${running.gateway.port}/#key=${encodeURIComponent(config.adminKey)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Tally cannot start: ${explainStartupFailure(error, { port: Number(process.env.PORT) || 4000, embedded: !process.env.DATABASE_URL })}\n`);
  process.exit(1);
});
