import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

// The settings for running several instances: Redis channels and read replicas.

const dataDir = mkdtempSync(join(tmpdir(), 'tally-config-scaling-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const load = (env: Record<string, string>) => loadConfig({ TALLY_DATA_DIR: dataDir, ...env });

function errorOf(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('scaling settings', () => {
  it('defaults to the channel prefix "tally" and no replicas', () => {
    expect(load({})).toMatchObject({ redisChannelPrefix: 'tally', databaseReplicaUrls: [] });
  });

  it('takes a channel prefix and a comma-separated list of replicas, ignoring blanks', () => {
    const config = load({
      REDIS_CHANNEL_PREFIX: 'tally-eu:prod',
      DATABASE_REPLICA_URLS: 'postgres://r1:5432/tally, postgresql://r2:5432/tally/,',
    });
    expect(config.redisChannelPrefix).toBe('tally-eu:prod');
    expect(config.databaseReplicaUrls).toEqual(['postgres://r1:5432/tally', 'postgresql://r2:5432/tally']);
  });

  it.each([
    [{ REDIS_CHANNEL_PREFIX: 'has space' }, 'REDIS_CHANNEL_PREFIX must be 1 to 64 letters, digits or _.:-, but got "has space"'],
    [{ DATABASE_REPLICA_URLS: 'postgres://r1/tally,mysql://r2/tally' }, 'DATABASE_REPLICA_URLS must start with postgres: or postgresql://, but got "mysql://"'],
    [{ DATABASE_REPLICA_URLS: 'replica-one' }, 'DATABASE_REPLICA_URLS must be a URL (postgres: or postgresql://…), but got "replica-one"'],
  ])('stops on %j with one line naming the variable', (env, message) => {
    expect(errorOf(env)).toBe(message);
  });
});
