import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { describeFileError } from './startup/file-errors';

/** Every setting the gateway reads from its environment, parsed and checked in one place. */
export interface Config {
  /** HTTP and WebSocket port. @default 4000 */
  port: number;
  /** PostgreSQL to use; undefined means the embedded server in `<dataDir>/postgres`. */
  databaseUrl?: string;
  /**
   * The role that runs migrations, when it is not DATABASE_URL's (DATABASE_MIGRATION_URL): it owns
   * the tables and makes the serving role a member of the app and platform roles. @default DATABASE_URL
   */
  databaseMigrationUrl?: string;
  /** Redis for subscriptions shared across instances; undefined means in-process. */
  redisUrl?: string;
  /** Put before every Redis channel name, so deployments can share one Redis (REDIS_CHANNEL_PREFIX). @default "tally" */
  redisChannelPrefix: string;
  /** Read replicas for read-only analytics queries (DATABASE_REPLICA_URLS, comma-separated). @default none */
  databaseReplicaUrls: string[];
  /** The bootstrap admin API key. @default generated once into `<dataDir>/admin.key` */
  adminKey: string;
  /** 32 bytes that encrypt stored provider keys. @default generated once into `<dataDir>/secret.key` */
  secretKey: Buffer;
  /** Seed demo data into an empty database and run the traffic simulator. */
  demo: boolean;
  /** Calls the demo seeds into an empty database (TALLY_DEMO_CALLS); browser tests use a small set. @default 100000 */
  demoCalls?: number;
  /** Whether the demo's traffic simulator adds live calls (TALLY_DEMO_TRAFFIC on/off); off keeps figures still for tests. @default on */
  demoTraffic: boolean;
  openRouterBaseUrl: string;
  openRouterApiKey?: string;
  mem0Url?: string;
  /** How long an OpenRouter request may take, in ms (OPENROUTER_TIMEOUT_MS). @default 10000 */
  openRouterTimeoutMs?: number;
  /** How long a Mem0 request may take before the local table answers, in ms (MEM0_TIMEOUT_MS). @default 2000 */
  mem0TimeoutMs?: number;
  heartbeatEnabled: boolean;
  /** The least time without a beat before a heartbeat is STALE, in ms (HEARTBEAT_STALE_AFTER_MS). @default 300000 */
  heartbeatStaleAfterMs: number;
  /** A bearer token that may read GET /metrics besides admin API keys (METRICS_TOKEN). */
  metricsToken?: string;
  logLevel: string;
  /** How the metrics engine picks its sources: by the planner's estimated cost, or rollups wherever a range allows. */
  metricsSources: 'BY_COST' | 'ROLLUP';
  /** Abuse limits per WebSocket, API key and workspace (the LIMIT_* variables); 0 turns one off. */
  limits: Limits;
  /** Where generated keys and the embedded database live. @default `.data` */
  dataDir: string;
  /** Alert e-mail: the SMTP server (SMTP_URL, smtp: or smtps:) and the sender (ALERT_EMAIL_FROM). @default unset: EMAIL channels are refused */
  alertEmail?: { smtpUrl: string; from: string };
  /** Webhook and Slack targets may be private or loopback addresses (TALLY_WEBHOOK_ALLOW_PRIVATE on/off). @default off */
  webhookAllowPrivate: boolean;
  /** The dashboard's address as people reach it, for links in alert messages (TALLY_PUBLIC_URL). @default http://localhost:{PORT} */
  publicUrl: string;
  /** Days raw calls are kept in a workspace that set no retention of its own (TALLY_RETENTION_DAYS, at least 1). @default unset: kept for ever */
  retentionDays: number | null;
}

export class ConfigError extends Error {}

/** The limits that hold for one kind of caller. */
export interface LimitTier {
  /** Subscriptions one WebSocket may hold at once. */
  subscriptionsPerSocket: number;
  /** WebSockets one API key may hold open at once (across instances when REDIS_URL is set). */
  socketsPerKey: number;
  /** Queries and mutations other than ingest, per second, per key. */
  requestsPerSecond: number;
  /** Requests a key may make within one second when it has been quiet; at least requestsPerSecond. @default twice the rate */
  requestBurst: number;
}

/** Every abuse limit; 0 turns one off. */
export interface Limits {
  /** Member keys (and every other role but ADMIN). */
  ordinary: LimitTier;
  /** Admin keys; METRICS_TOKEN scrapes take this tier's request rate, in a bucket of their own. */
  admin: LimitTier;
  /** Calls one workspace may send per second, over every ingest path together. */
  ingestCallsPerSecond: number;
}

/**
 * The limit variables and their defaults, declared once. Ordinary keys: a dashboard keeps one
 * socket with a few subscriptions and makes a handful of requests a second; an application
 * sends calls in batches. Admin keys serve the platform's dashboard for several people and
 * scripts at once, so their tier is ten times higher.
 */
export const LIMIT_VARIABLES = {
  LIMIT_SUBSCRIPTIONS_PER_SOCKET: { tier: 'ordinary', field: 'subscriptionsPerSocket', fallback: 100 },
  LIMIT_SOCKETS_PER_KEY: { tier: 'ordinary', field: 'socketsPerKey', fallback: 50 },
  LIMIT_REQUESTS_PER_SECOND: { tier: 'ordinary', field: 'requestsPerSecond', fallback: 50 },
  LIMIT_ADMIN_SUBSCRIPTIONS_PER_SOCKET: { tier: 'admin', field: 'subscriptionsPerSocket', fallback: 1000 },
  LIMIT_ADMIN_SOCKETS_PER_KEY: { tier: 'admin', field: 'socketsPerKey', fallback: 500 },
  LIMIT_ADMIN_REQUESTS_PER_SECOND: { tier: 'admin', field: 'requestsPerSecond', fallback: 500 },
  // After the rates: a burst left unset is twice its tier's rate.
  LIMIT_REQUEST_BURST: { tier: 'ordinary', field: 'requestBurst', fallback: 'twice the rate' },
  LIMIT_ADMIN_REQUEST_BURST: { tier: 'admin', field: 'requestBurst', fallback: 'twice the rate' },
} as const satisfies Record<string, { tier: 'ordinary' | 'admin'; field: keyof LimitTier; fallback: number | 'twice the rate' }>;

/** Calls a workspace may send per second (LIMIT_INGEST_CALLS_PER_SECOND). */
export const DEFAULT_INGEST_CALLS_PER_SECOND = 5000;

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration. Keys that are not given are generated once and kept in
 * `dataDir`, so a second start uses the same ones.
 * @param demoDefault what TALLY_DEMO means when unset: `npm start` passes true.
 */
export function loadConfig(env: Env = process.env, demoDefault = false): Config {
  const dataDir = resolve(env.TALLY_DATA_DIR || '.data');
  const port = parsePort(env.PORT);
  const databaseUrl = optionalUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:']);
  const databaseMigrationUrl = optionalUrl('DATABASE_MIGRATION_URL', env.DATABASE_MIGRATION_URL, ['postgres:', 'postgresql:']);
  if (databaseMigrationUrl && !databaseUrl) {
    throw new ConfigError('DATABASE_MIGRATION_URL is set but DATABASE_URL is not: the embedded PostgreSQL migrates as its own superuser, so set both or neither');
  }
  const redisUrl = optionalUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:']);
  const redisChannelPrefix = parseChannelPrefix(env.REDIS_CHANNEL_PREFIX);
  const databaseReplicaUrls = (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '')
    .map((url) => optionalUrl('DATABASE_REPLICA_URLS', url, ['postgres:', 'postgresql:'])!);
  const openRouterBaseUrl =
    optionalUrl('OPENROUTER_BASE_URL', env.OPENROUTER_BASE_URL, ['http:', 'https:']) ?? 'https://openrouter.ai/api/v1';
  const mem0Url = optionalUrl('MEM0_URL', env.MEM0_URL, ['http:', 'https:']);
  const demo = parseSwitch('TALLY_DEMO', env.TALLY_DEMO, demoDefault, ['on', 'off']);
  const demoCalls = optionalCount('TALLY_DEMO_CALLS', env.TALLY_DEMO_CALLS);
  const demoTraffic = parseSwitch('TALLY_DEMO_TRAFFIC', env.TALLY_DEMO_TRAFFIC, true, ['on', 'off']);
  const heartbeatEnabled = parseSwitch('HEARTBEAT_ENABLED', env.HEARTBEAT_ENABLED, true, ['true', 'false']);
  const heartbeatStaleAfterMs = parseStaleAfter(env.HEARTBEAT_STALE_AFTER_MS);
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError(`METRICS_TOKEN must be at least 16 characters, but got ${metricsToken.length}`);
  }
  const metricsSources = parseSwitch('METRICS_SOURCES', env.METRICS_SOURCES, true, ['cost', 'rollup']) ? 'BY_COST' : 'ROLLUP';
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, but got "${logLevel}"`);
  }
  const adminKey = env.TALLY_ADMIN_KEY ?? keptSecret(dataDir, 'admin.key', () => `tly_${randomBytes(24).toString('base64url')}`);
  if (adminKey.length < 16) {
    throw new ConfigError(`TALLY_ADMIN_KEY must be at least 16 characters, but got ${adminKey.length}`);
  }
  const secretText = env.TALLY_SECRET_KEY ?? keptSecret(dataDir, 'secret.key', () => randomBytes(32).toString('base64'));
  const secretKey = Buffer.from(secretText, 'base64');
  if (secretKey.length !== 32) {
    throw new ConfigError(`TALLY_SECRET_KEY must be 32 bytes in base64, but it decodes to ${secretKey.length} bytes`);
  }
  const limits = parseLimits(env);
  const smtpUrl = optionalUrl('SMTP_URL', env.SMTP_URL, ['smtp:', 'smtps:']);
  const alertEmailFrom = env.ALERT_EMAIL_FROM || undefined;
  if (Boolean(smtpUrl) !== Boolean(alertEmailFrom)) {
    throw new ConfigError(`SMTP_URL and ALERT_EMAIL_FROM go together, but only ${smtpUrl ? 'SMTP_URL' : 'ALERT_EMAIL_FROM'} is set`);
  }
  const webhookAllowPrivate = parseSwitch('TALLY_WEBHOOK_ALLOW_PRIVATE', env.TALLY_WEBHOOK_ALLOW_PRIVATE, false, ['on', 'off']);
  const retentionDays = parseRetentionDays(env.TALLY_RETENTION_DAYS);
  const publicUrl = optionalUrl('TALLY_PUBLIC_URL', env.TALLY_PUBLIC_URL, ['http:', 'https:']) ?? `http://localhost:${port || 4000}`;
  return {
    port,
    databaseUrl,
    databaseMigrationUrl,
    redisUrl,
    redisChannelPrefix,
    databaseReplicaUrls,
    adminKey,
    secretKey,
    demo,
    demoCalls,
    demoTraffic,
    openRouterBaseUrl,
    openRouterApiKey: env.OPENROUTER_API_KEY || undefined,
    mem0Url,
    openRouterTimeoutMs: optionalMilliseconds('OPENROUTER_TIMEOUT_MS', env.OPENROUTER_TIMEOUT_MS),
    mem0TimeoutMs: optionalMilliseconds('MEM0_TIMEOUT_MS', env.MEM0_TIMEOUT_MS),
    heartbeatEnabled,
    heartbeatStaleAfterMs,
    metricsToken,
    metricsSources,
    logLevel,
    limits,
    dataDir,
    alertEmail: smtpUrl && alertEmailFrom ? { smtpUrl, from: alertEmailFrom } : undefined,
    webhookAllowPrivate,
    publicUrl,
    retentionDays,
  };
}

/** The most days a retention may name: a hundred years. */
export const MAX_RETENTION_DAYS = 36_500;

function parseRetentionDays(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new ConfigError(`TALLY_RETENTION_DAYS must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}, but got "${value}"`);
  }
  return days;
}

const MAX_LIMIT = 1_000_000_000;

function parseLimit(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) {
    throw new ConfigError(`${name} must be a whole number from 0 (off) to ${MAX_LIMIT}, but got "${value}"`);
  }
  return limit;
}

function parseLimits(env: Env): Limits {
  const tier = (): LimitTier => ({ subscriptionsPerSocket: 0, socketsPerKey: 0, requestsPerSecond: 0, requestBurst: 0 });
  const limits: Limits = {
    ordinary: tier(),
    admin: tier(),
    ingestCallsPerSecond: parseLimit('LIMIT_INGEST_CALLS_PER_SECOND', env.LIMIT_INGEST_CALLS_PER_SECOND, DEFAULT_INGEST_CALLS_PER_SECOND),
  };
  for (const [name, { tier: which, field, fallback }] of Object.entries(LIMIT_VARIABLES)) {
    const limit = fallback === 'twice the rate' ? 2 * limits[which].requestsPerSecond : fallback;
    limits[which][field] = parseLimit(name, env[name], limit);
  }
  for (const [prefix, which] of [['LIMIT_', 'ordinary'], ['LIMIT_ADMIN_', 'admin']] as const) {
    const { requestsPerSecond, requestBurst } = limits[which];
    if (requestsPerSecond > 0 && requestBurst < requestsPerSecond) {
      throw new ConfigError(
        `${prefix}REQUEST_BURST must be at least ${prefix}REQUESTS_PER_SECOND (${requestsPerSecond}), but got ${requestBurst}`,
      );
    }
  }
  return limits;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, but got "${value}"`);
  }
  return port;
}

function optionalUrl(name: string, value: string | undefined, protocols: string[]): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')}//…), but got "${value}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}//, but got "${url.protocol}//"`);
  }
  return value.replace(/\/+$/, '');
}

function parseChannelPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'tally';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(value)) {
    throw new ConfigError(`REDIS_CHANNEL_PREFIX must be 1 to 64 letters, digits or _.:-, but got "${value}"`);
  }
  return value;
}

function optionalMilliseconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1 || ms > 120_000) {
    throw new ConfigError(`${name} must be a whole number of milliseconds from 1 to 120000, but got "${value}"`);
  }
  return ms;
}

function optionalCount(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 100 || count > 10_000_000) {
    throw new ConfigError(`${name} must be a whole number from 100 to 10000000, but got "${value}"`);
  }
  return count;
}

function parseStaleAfter(value: string | undefined): number {
  if (value === undefined || value === '') return 300_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100) {
    throw new ConfigError(`HEARTBEAT_STALE_AFTER_MS must be a whole number of milliseconds of at least 100, but got "${value}"`);
  }
  return ms;
}

function parseSwitch(name: string, value: string | undefined, fallback: boolean, [on, off]: [string, string]): boolean {
  if (value === undefined || value === '') return fallback;
  const v = value.toLowerCase();
  if (v === on) return true;
  if (v === off) return false;
  throw new ConfigError(`${name} must be "${on}" or "${off}", but got "${value}"`);
}

function keptSecret(dataDir: string, file: string, make: () => string): string {
  const path = join(dataDir, file);
  try {
    if (existsSync(path)) return readFileSync(path, 'utf8').trim();
    mkdirSync(dataDir, { recursive: true });
    const value = make();
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    return value;
  } catch (error) {
    throw new ConfigError(`the data folder ${dataDir} ${describeFileError(error)}; set TALLY_DATA_DIR to a folder this user may write`);
  }
}
