import 'reflect-metadata';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase, warmPool } from './db/data-source';
import { startEmbeddedPostgres, EmbeddedPostgresError, type EmbeddedServer } from './db/embedded';
import { startGateway } from './gateway';
import { prepareIngest } from './ingest/ingest.service';
import { createLogger } from './logger';
import { startDemo } from './demo/demo';

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
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    try {
      embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), logger, undefined);
    } catch (error) {
      if (error instanceof EmbeddedPostgresError) {
        process.stderr.write(`Tally cannot start: ${error.message}\n`);
        process.exit(2);
      }
      throw error;
    }
    databaseUrl = embedded.url;
  }
  const dataSource = await openDatabase(databaseUrl, POOL_SIZE, {
    migrationUrl: config.databaseMigrationUrl,
    replicaUrls: config.databaseReplicaUrls,
    queryTimeoutMs: DATABASE_QUERY_TIMEOUT_MS,
    prepareConnection: prepareIngest,
    onPrepareError: (error) => logger.warn({ err: error }, 'preparing a database connection failed'),
  });
  const gateway = await startGateway(config, dataSource, logger);
  await warmPool(dataSource, POOL_SIZE / 2);
  const demo = config.demo
    ? await startDemo(gateway.services, (line) => process.stdout.write(`${line}\n`), {
        calls: config.demoCalls,
        traffic: config.demoTraffic,
        gatewayUrl: `http://127.0.0.1:${gateway.port}/graphql`,
      })
    : undefined;
  process.stdout.write(`Tally is up: http://localhost:${gateway.port}/#key=${encodeURIComponent(config.adminKey)}\n`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      demo?.stop();
      await gateway.stop();
      await dataSource.destroy();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Tally cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
