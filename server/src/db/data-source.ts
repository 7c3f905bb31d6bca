import 'reflect-metadata';
import { backOff } from 'exponential-backoff';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { WorkspaceEntity } from '../workspaces/workspace.entity';
import { ApiKeyEntity } from '../auth/api-key.entity';
import { AgentEntity } from '../agents/agent.entity';
import { ModelPriceOverrideEntity } from '../pricing/model-price-override.entity';
import { BudgetEntity } from '../budgets/budget.entity';
import { ProviderKeyEntity } from '../keys/provider-key.entity';
import { AlertRuleEntity } from '../alert-rules/alert-rule.entity';
import { NotificationChannelEntity } from '../alert-rules/notification-channel.entity';
import { Budgets1764202000000 } from './migrations/1764202000000-Budgets';
import { RowLevelSecurity1764202100000 } from './migrations/1764202100000-RowLevelSecurity';
import { CompactRollups1764202200000 } from './migrations/1764202200000-CompactRollups';
import { CountedHistograms1764202300000 } from './migrations/1764202300000-CountedHistograms';
import { isDatabaseUnavailable } from './unavailable';
import { DailyModelRollup1764202400000 } from './migrations/1764202400000-DailyModelRollup';
import { Initial1764201600000 } from './migrations/1764201600000-Initial';
import { Integrations1764201800000 } from './migrations/1764201800000-Integrations';
import { Monitoring1764201900000 } from './migrations/1764201900000-Monitoring';
import { grantMembership, PlatformRole1764203000000, PLATFORM_ROLE } from './migrations/1764203000000-PlatformRole';
import { APP_ROLE } from './migrations/1764202100000-RowLevelSecurity';
import { WideDailyHistograms1764204000000 } from './migrations/1764204000000-WideDailyHistograms';
import { KeysAudit1764206000000 } from './migrations/1764206000000-KeysAudit';
import { AlertRules1764209000000 } from './migrations/1764209000000-AlertRules';
import { OncePerStatementPolicies1764215000000 } from './migrations/1764215000000-OncePerStatementPolicies';
import { EstimablePolicies1764218000000 } from './migrations/1764218000000-EstimablePolicies';
import { Runs1764500000000 } from './migrations/1764500000000-Runs';
import { WorkflowRollups1764500100000 } from './migrations/1764500100000-WorkflowRollups';
import { Retention1764600000000 } from './migrations/1764600000000-Retention';
import { Attribution1764700000000 } from './migrations/1764700000000-Attribution';
import { AttributionRollups1764700100000 } from './migrations/1764700100000-AttributionRollups';
import { TimePartitions1765100000000 } from './migrations/1765100000000-TimePartitions';
import { NarrowWorkflowRollups1764900000000 } from './migrations/1764900000000-NarrowWorkflowRollups';
import { WorkflowRunDays1764900100000 } from './migrations/1764900100000-WorkflowRunDays';
import { UserTotals1765000000000 } from './migrations/1765000000000-UserTotals';

export const ENTITIES = [WorkspaceEntity, ApiKeyEntity, AgentEntity, ModelPriceOverrideEntity, BudgetEntity, ProviderKeyEntity, AlertRuleEntity, NotificationChannelEntity];
export const MIGRATIONS = [Initial1764201600000, Integrations1764201800000, Monitoring1764201900000, Budgets1764202000000, RowLevelSecurity1764202100000, CompactRollups1764202200000, CountedHistograms1764202300000, DailyModelRollup1764202400000, PlatformRole1764203000000, WideDailyHistograms1764204000000, KeysAudit1764206000000, AlertRules1764209000000, OncePerStatementPolicies1764215000000, EstimablePolicies1764218000000, Runs1764500000000, WorkflowRollups1764500100000, Retention1764600000000, Attribution1764700000000, AttributionRollups1764700100000, NarrowWorkflowRollups1764900000000, WorkflowRunDays1764900100000, UserTotals1765000000000, TimePartitions1765100000000];

/** What a DataSource may add to the primary's URL and pool size. */
export interface DatabaseOptions {
  /** Read replicas (DATABASE_REPLICA_URLS). @default none */
  replicaUrls?: string[];
  /** A statement with no answer after this long fails, and its request with it (a stalled connection). @default no limit */
  queryTimeoutMs?: number;
  /** How long one attempt at getting a connection may take. @default 5000 */
  connectTimeoutMs?: number;
  /**
   * How long getting a connection goes on trying while the database cannot serve (refused,
   * starting up, out of slots): nothing has run on it yet, so trying again is always safe, and a
   * restart or failover this short is never seen by clients. @default 5000
   */
  recoveryWaitMs?: number;
  /**
   * Run on each new connection (primary and replicas) before it is first used (say, preparing hot
   * statements). A failure is passed to `onPrepareError` and the connection used all the same.
   */
  prepareConnection?: (client: never) => Promise<void>;
  onPrepareError?: (error: unknown) => void;
  /** Migrate as this role instead (DATABASE_MIGRATION_URL); it then makes the serving role a member of the app and platform roles. @default the serving URL */
  migrationUrl?: string;
}

/**
 * The one DataSource shape used by the gateway, the tests and the migration CLI. With replicas,
 * every statement still goes to the primary unless it asks for a replica (see `replicaReads`).
 */
export function createDataSource(url: string, poolSize = 10, options: DatabaseOptions = {}): DataSource {
  const replicaUrls = options.replicaUrls ?? [];
  const prepareConnection = options.prepareConnection;
  const connection =
    replicaUrls.length > 0
      ? { replication: { master: { url }, slaves: replicaUrls.map((replica) => ({ url: replica })), defaultMode: 'master' as const } }
      : { url };
  const dataSource = new DataSource({
    type: 'postgres',
    ...connection,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // TypeORM prints migration messages whatever `logging` says; this logger prints only under DEBUG=typeorm:*.
    logger: 'debug',
    extra: {
      max: poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      query_timeout: options.queryTimeoutMs,
      idle_in_transaction_session_timeout: 60000,
      // Connections are kept, not closed after 10 s idle: a new one pays for loading catalogs again.
      idleTimeoutMillis: 300_000,
      onConnect: async (client: { on(event: 'error', listener: () => void): void }) => {
        // A connection the server ends (shutdown, dropped database) emits 'error' whenever it learns of it,
        // checked out or not: with no listener that would throw in the process. Queries see the failure anyway.
        client.on('error', () => undefined);
        await prepareConnection?.(client as never).catch((error: unknown) => options.onPrepareError?.(error));
      },
    },
  });
  waitForRecovery(dataSource.driver as PostgresDriver, options.recoveryWaitMs ?? 5000);
  return dataSource;
}

/**
 * Makes every checkout of a pooled connection (request statements, transactions, migrations)
 * try again, with jittered exponential backoff, while the database cannot serve and
 * `recoveryWaitMs` has not passed since the first attempt.
 */
function waitForRecovery(driver: PostgresDriver, recoveryWaitMs: number): void {
  const retrying = <T>(obtain: () => Promise<T>) => (): Promise<T> => {
    const deadline = Date.now() + recoveryWaitMs;
    return backOff(obtain, {
      startingDelay: 50,
      timeMultiple: 2,
      maxDelay: 1000,
      jitter: 'full',
      numOfAttempts: Number.MAX_SAFE_INTEGER,
      retry: (error: unknown) => isDatabaseUnavailable(error) && Date.now() < deadline,
    });
  };
  driver.obtainMasterConnection = retrying(driver.obtainMasterConnection.bind(driver));
  driver.obtainSlaveConnection = retrying(driver.obtainSlaveConnection.bind(driver));
}

/** Any fixed number: the advisory lock instances hold while they migrate, so they migrate one at a time. */
const MIGRATION_LOCK = 7_461_001;

/**
 * Migrates the database (on connections of its own, free of `queryTimeoutMs`), then opens it.
 * Instances starting together take turns: the first migrates, the others then find nothing to do.
 */
export async function openDatabase(url: string, poolSize?: number, options: DatabaseOptions = {}): Promise<DataSource> {
  const migrationVariable = options.migrationUrl ? 'DATABASE_MIGRATION_URL' : 'DATABASE_URL';
  const migrator = createDataSource(options.migrationUrl ?? url, 2);
  await opening(migrationVariable, options.migrationUrl ?? url, () => migrator.initialize());
  nameFailingMigrations(migrator);
  const lock = migrator.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrator.runMigrations({ transaction: 'each' });
    if (options.migrationUrl) {
      const servingRole = await opening('DATABASE_URL', url, () => currentUser(url));
      for (const role of [APP_ROLE, PLATFORM_ROLE]) await lock.query(grantMembership(role, servingRole));
    }
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } finally {
    await lock.release();
    await migrator.destroy();
  }
  const dataSource = createDataSource(url, poolSize, options);
  await opening('DATABASE_URL', url, () => dataSource.initialize());
  return dataSource;
}

/** The database named by `variable` could not be opened (unreachable, refused the role, no such database). */
export class DatabaseOpenError extends Error {
  constructor(
    readonly variable: 'DATABASE_URL' | 'DATABASE_MIGRATION_URL',
    readonly url: string,
    readonly cause: unknown,
  ) {
    super(`opening ${variable} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** A migration failed (and its transaction was rolled back). */
export class MigrationFailedError extends Error {
  constructor(
    readonly migration: string,
    readonly cause: unknown,
  ) {
    super(`migration ${migration} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

async function opening<T>(variable: DatabaseOpenError['variable'], url: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw new DatabaseOpenError(variable, url, error);
  }
}

/** TypeORM passes on a migration's error without saying which migration threw it. */
function nameFailingMigrations(dataSource: DataSource): void {
  for (const migration of dataSource.migrations) {
    const up = migration.up.bind(migration);
    const name = migration.name ?? migration.constructor.name;
    migration.up = (runner) =>
      up(runner).catch((error: unknown) => {
        throw new MigrationFailedError(name, error);
      });
  }
}

/** The role a URL signs in as (it may come from PGUSER or the system user when the URL names none). */
async function currentUser(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT current_user AS name')).rows[0].name;
  } finally {
    await client.end();
  }
}

/** Opens `count` connections to the primary at once and returns them to the pool, prepared. */
export async function warmPool(dataSource: DataSource, count: number): Promise<void> {
  const driver = dataSource.driver as PostgresDriver;
  // A connection is handed out once connected and prepared (onConnect): holding them all at once opens `count`.
  const connections = (await Promise.all(Array.from({ length: count }, () => driver.obtainMasterConnection()))) as [unknown, () => void][];
  for (const [, release] of connections) release();
}
