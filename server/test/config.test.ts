import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const dataDirs: string[] = [];
function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tally-config-test-'));
  dataDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** The error loadConfig stops with, or a failure when it does not stop. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ TALLY_DATA_DIR: freshDataDir(), ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig defaults', () => {
  it('fills every setting that is not given with its documented default', () => {
    const config = loadConfig({ TALLY_DATA_DIR: freshDataDir() });
    expect(config).toMatchObject({
      port: 4000,
      databaseUrl: undefined,
      redisUrl: undefined,
      demo: false,
      openRouterBaseUrl: 'https://openrouter.ai/api/v1',
      openRouterApiKey: undefined,
      mem0Url: undefined,
      heartbeatEnabled: true,
      logLevel: 'info',
      retentionDays: null,
    });
    expect(config.secretKey).toHaveLength(32);
    expect(config.adminKey.length).toBeGreaterThanOrEqual(16);
  });

  it('turns the demo on by default only when the caller asks for that default', () => {
    expect(loadConfig({ TALLY_DATA_DIR: freshDataDir() }, true).demo).toBe(true);
    expect(loadConfig({ TALLY_DATA_DIR: freshDataDir(), TALLY_DEMO: 'off' }, true).demo).toBe(false);
  });

  it('seeds the default demo size with live traffic unless told a size and traffic off', () => {
    expect(loadConfig({ TALLY_DATA_DIR: freshDataDir() })).toMatchObject({ demoCalls: undefined, demoTraffic: true });
    expect(loadConfig({ TALLY_DATA_DIR: freshDataDir(), TALLY_DEMO_CALLS: '20000', TALLY_DEMO_TRAFFIC: 'off' })).toMatchObject({
      demoCalls: 20_000,
      demoTraffic: false,
    });
  });

  it('takes the values it is given', () => {
    const secret = randomBytes(32);
    const config = loadConfig({
      TALLY_DATA_DIR: freshDataDir(),
      PORT: '8080',
      DATABASE_URL: 'postgres://tally:pw@db:5432/tally',
      DATABASE_MIGRATION_URL: 'postgres://owner:pw@db:5432/tally',
      REDIS_URL: 'redis://cache:6379/',
      TALLY_ADMIN_KEY: 'an-admin-key-of-enough-length',
      TALLY_SECRET_KEY: secret.toString('base64'),
      TALLY_DEMO: 'on',
      OPENROUTER_BASE_URL: 'https://router.example.com/v1/',
      OPENROUTER_API_KEY: 'sk-or-test',
      MEM0_URL: 'http://mem0:8765',
      HEARTBEAT_ENABLED: 'false',
      LOG_LEVEL: 'debug',
      TALLY_RETENTION_DAYS: '30',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://tally:pw@db:5432/tally',
      databaseMigrationUrl: 'postgres://owner:pw@db:5432/tally',
      redisUrl: 'redis://cache:6379',
      adminKey: 'an-admin-key-of-enough-length',
      demo: true,
      openRouterBaseUrl: 'https://router.example.com/v1',
      openRouterApiKey: 'sk-or-test',
      mem0Url: 'http://mem0:8765',
      heartbeatEnabled: false,
      logLevel: 'debug',
      retentionDays: 30,
    });
    expect(config.secretKey.equals(secret)).toBe(true);
  });
});

describe('limits', () => {
  it('has the documented defaults: admin keys ten times an ordinary key, bursts twice the rate', () => {
    expect(loadConfig({ TALLY_DATA_DIR: freshDataDir() }).limits).toEqual({
      ordinary: { subscriptionsPerSocket: 100, socketsPerKey: 50, requestsPerSecond: 50, requestBurst: 100 },
      admin: { subscriptionsPerSocket: 1000, socketsPerKey: 500, requestsPerSecond: 500, requestBurst: 1000 },
      ingestCallsPerSecond: 5000,
    });
  });

  it('takes each limit, 0 for off, and a burst left unset follows its rate', () => {
    const { limits } = loadConfig({
      TALLY_DATA_DIR: freshDataDir(),
      LIMIT_SUBSCRIPTIONS_PER_SOCKET: '0',
      LIMIT_SOCKETS_PER_KEY: '7',
      LIMIT_REQUESTS_PER_SECOND: '200',
      LIMIT_ADMIN_REQUESTS_PER_SECOND: '0',
      LIMIT_ADMIN_REQUEST_BURST: '0',
      LIMIT_ADMIN_SOCKETS_PER_KEY: '9',
      LIMIT_ADMIN_SUBSCRIPTIONS_PER_SOCKET: '11',
      LIMIT_INGEST_CALLS_PER_SECOND: '0',
    });
    expect(limits).toEqual({
      ordinary: { subscriptionsPerSocket: 0, socketsPerKey: 7, requestsPerSecond: 200, requestBurst: 400 },
      admin: { subscriptionsPerSocket: 11, socketsPerKey: 9, requestsPerSecond: 0, requestBurst: 0 },
      ingestCallsPerSecond: 0,
    });
  });
});

describe('loadConfig with a bad value', () => {
  it.each([
    ['PORT', 'eighty', 'PORT must be a whole number from 0 to 65535, but got "eighty"'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535, but got "70000"'],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL must be a URL (postgres: or postgresql://…), but got "not a url"'],
    ['DATABASE_URL', 'mysql://db/tally', 'DATABASE_URL must start with postgres: or postgresql://, but got "mysql://"'],
    ['DATABASE_MIGRATION_URL', 'mysql://db/tally', 'DATABASE_MIGRATION_URL must start with postgres: or postgresql://, but got "mysql://"'],
    [
      'DATABASE_MIGRATION_URL',
      'postgres://owner@db/tally',
      'DATABASE_MIGRATION_URL is set but DATABASE_URL is not: the embedded PostgreSQL migrates as its own superuser, so set both or neither',
    ],
    ['REDIS_URL', 'http://cache:6379', 'REDIS_URL must start with redis: or rediss://, but got "http://"'],
    ['OPENROUTER_BASE_URL', 'openrouter.ai', 'OPENROUTER_BASE_URL must be a URL (http: or https://…), but got "openrouter.ai"'],
    ['MEM0_URL', 'ftp://mem0', 'MEM0_URL must start with http: or https://, but got "ftp://"'],
    ['TALLY_DEMO', 'yes', 'TALLY_DEMO must be "on" or "off", but got "yes"'],
    ['TALLY_DEMO_CALLS', '50', 'TALLY_DEMO_CALLS must be a whole number from 100 to 10000000, but got "50"'],
    ['TALLY_DEMO_TRAFFIC', 'none', 'TALLY_DEMO_TRAFFIC must be "on" or "off", but got "none"'],
    ['HEARTBEAT_ENABLED', 'maybe', 'HEARTBEAT_ENABLED must be "true" or "false", but got "maybe"'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, but got "loud"'],
    ['TALLY_ADMIN_KEY', 'short', 'TALLY_ADMIN_KEY must be at least 16 characters, but got 5'],
    ['TALLY_SECRET_KEY', Buffer.alloc(16, 7).toString('base64'), 'TALLY_SECRET_KEY must be 32 bytes in base64, but it decodes to 16 bytes'],
    ['LIMIT_REQUESTS_PER_SECOND', '-1', 'LIMIT_REQUESTS_PER_SECOND must be a whole number from 0 (off) to 1000000000, but got "-1"'],
    ['LIMIT_SOCKETS_PER_KEY', 'many', 'LIMIT_SOCKETS_PER_KEY must be a whole number from 0 (off) to 1000000000, but got "many"'],
    ['LIMIT_INGEST_CALLS_PER_SECOND', '2.5', 'LIMIT_INGEST_CALLS_PER_SECOND must be a whole number from 0 (off) to 1000000000, but got "2.5"'],
    ['LIMIT_REQUEST_BURST', '20', 'LIMIT_REQUEST_BURST must be at least LIMIT_REQUESTS_PER_SECOND (50), but got 20'],
    ['TALLY_RETENTION_DAYS', '0', 'TALLY_RETENTION_DAYS must be a whole number of days from 1 to 36500, but got "0"'],
    ['TALLY_RETENTION_DAYS', '7.5', 'TALLY_RETENTION_DAYS must be a whole number of days from 1 to 36500, but got "7.5"'],
    ['LIMIT_ADMIN_REQUEST_BURST', '499', 'LIMIT_ADMIN_REQUEST_BURST must be at least LIMIT_ADMIN_REQUESTS_PER_SECOND (500), but got 499'],
  ])('stops on %s=%s with one line naming the variable', (variable, value, message) => {
    const error = configError({ [variable]: value });
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
    expect(error.message.startsWith(variable)).toBe(true);
  });
});

describe('generated keys', () => {
  it('keeps a generated admin key and secret key, so a second load returns the same ones', () => {
    const dataDir = freshDataDir();
    const first = loadConfig({ TALLY_DATA_DIR: dataDir });
    const second = loadConfig({ TALLY_DATA_DIR: dataDir });
    expect(second.adminKey).toBe(first.adminKey);
    expect(second.secretKey.equals(first.secretKey)).toBe(true);
    expect(readFileSync(join(dataDir, 'admin.key'), 'utf8').trim()).toBe(first.adminKey);
  });

  it('writes the secret key readable by its owner only (mode 0600)', () => {
    const dataDir = freshDataDir();
    loadConfig({ TALLY_DATA_DIR: dataDir });
    expect(statSync(join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'admin.key')).mode & 0o777).toBe(0o600);
  });

  it('gives different data folders different generated keys', () => {
    const a = loadConfig({ TALLY_DATA_DIR: freshDataDir() });
    const b = loadConfig({ TALLY_DATA_DIR: freshDataDir() });
    expect(a.adminKey).not.toBe(b.adminKey);
    expect(a.secretKey.equals(b.secretKey)).toBe(false);
  });

  it('writes no key file for a key given in the environment', () => {
    const dataDir = freshDataDir();
    loadConfig({ TALLY_DATA_DIR: dataDir, TALLY_ADMIN_KEY: 'an-admin-key-of-enough-length' });
    expect(() => statSync(join(dataDir, 'admin.key'))).toThrow();
  });
});
