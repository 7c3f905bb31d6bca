import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../src/db/embedded';
import { asSuperuser, createTestDatabase, type TestDatabase } from './support/database';
import { compileServer, runFailingStart, spawnGateway, type CompiledServer, type FailedStart, type GatewayProcess } from './support/processes';

// Every way the gateway process can fail to start, run for real: one plain line naming the cause
// and what to do, a non-zero exit, and nothing left running.

let compiled: CompiledServer;
let db: TestDatabase;
let base: string;
/** A port something else listens on. */
let taken: net.Server;
let takenPort: number;
/** A gateway on the embedded PostgreSQL in `runningDataDir`. */
let running: GatewayProcess;
let runningDataDir: string;
/**
 * Every failing start of this file by name, begun together once `running` is up: each is a process
 * of its own that spends most of its time loading and waiting, so run one after another they cost
 * the sum of their starts.
 */
let starts: Map<string, Promise<FailedStart>>;

beforeAll(async () => {
  compiled = compileServer();
  db = await createTestDatabase();
  base = mkdtempSync(join(tmpdir(), 'tally-startup-'));
  chmodSync(base, 0o755); // the embedded server runs as the postgres user when we are root
  taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, resolve));
  takenPort = (taken.address() as net.AddressInfo).port;
  runningDataDir = join(base, 'running');
  const up = spawnGateway(compiled.main, { dataDir: runningDataDir });
  up.catch(() => undefined);
  starts = new Map([
    ...CASES.map((c) => [c.name, c.whileRunning ? up.then(() => startCase(c)) : startCase(c)] as const),
    [EMBEDDED_PORT_TAKEN, runFailingStart(compiled.main, { PORT: String(takenPort), TALLY_DATA_DIR: join(base, 'port-taken'), TALLY_ADMIN_KEY: 'test_admin_startup' })],
    [
      DEBUG,
      runFailingStart(compiled.main, { PORT: String(takenPort), DATABASE_URL: db.url, TALLY_DATA_DIR: join(base, 'debug'), TALLY_ADMIN_KEY: 'test_admin_startup', LOG_LEVEL: 'debug' }),
    ],
  ]);
  // Each is awaited by its own tests; this keeps one that fails early from counting as unhandled meanwhile.
  for (const start of starts.values()) start.catch(() => undefined);
  running = await up;
});

afterAll(async () => {
  await running.stop();
  await new Promise((resolve) => taken.close(resolve));
  await db.dispose();
  rmSync(base, { recursive: true, force: true });
  compiled.dispose();
});

function withUrl(url: string, change: (parsed: URL) => void): string {
  const parsed = new URL(url);
  change(parsed);
  return parsed.toString();
}

/** A user of no privilege to run as when we are root (root may write anywhere). */
function unprivileged(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' })) };
}

/** An empty database owned by the test owner role, with a table where the first migration makes its own. */
async function databaseInTheWay(): Promise<string> {
  const name = `tally_t_${randomBytes(6).toString('hex')}`;
  const owner = new URL(process.env.TALLY_TEST_OWNER_URL!).username;
  await asSuperuser(`CREATE DATABASE ${name} OWNER ${owner}`);
  const url = withUrl(process.env.TALLY_TEST_OWNER_URL!, (u) => (u.pathname = `/${name}`));
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE workspaces (id int)');
  await client.end();
  return url;
}

/** Processes whose command line names `folder` (a PostgreSQL left on it would). */
function processesOn(folder: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    })
    .filter((command) => command.includes(folder));
}

interface Case {
  name: string;
  /** The environment over the deployed one; undefined leaves a variable out. */
  env: () => Promise<Record<string, string | undefined>>;
  user?: () => { uid: number; gid: number } | undefined;
  line: () => RegExp;
  /** Started once `running` is up. */
  whileRunning?: true;
}

const CASES: Case[] = [
  {
    name: 'a bad variable',
    env: async () => ({ PORT: 'eighty', DATABASE_URL: db.url }),
    line: () => /^Tally cannot start: PORT must be .*"eighty"/,
  },
  {
    name: 'the port in use',
    env: async () => ({ PORT: String(takenPort), DATABASE_URL: db.url }),
    line: () => new RegExp(`^Tally cannot start: port ${takenPort} is in use by another program; stop that program, or set PORT to a free port$`),
  },
  {
    name: 'the data folder in use by another running Tally',
    whileRunning: true,
    env: async () => ({ PORT: String(await freePort()), TALLY_DATA_DIR: runningDataDir }),
    line: () =>
      new RegExp(
        `^Tally cannot start: the data folder ${runningDataDir} is in use by another running Tally \\(process ${running.pid}: \\S*node \\S*main\\.js; its PostgreSQL is process \\d+\\); stop that one first, or set TALLY_DATA_DIR to another folder$`,
      ),
  },
  {
    name: 'the data folder not writable',
    env: async () => {
      const folder = join(base, `read-only-${randomBytes(3).toString('hex')}`);
      mkdirSync(folder, { mode: 0o755 });
      if (!unprivileged()) chmodSync(folder, 0o555);
      return { TALLY_DATA_DIR: join(folder, 'data'), TALLY_ADMIN_KEY: undefined, DATABASE_URL: db.url };
    },
    user: unprivileged,
    line: () => /^Tally cannot start: the data folder \S+\/data is not writable by this user \(uid \d+\); set TALLY_DATA_DIR to a folder this user may write$/,
  },
  {
    name: 'the data folder not reachable',
    env: async () => {
      const file = join(base, `a-file-${randomBytes(3).toString('hex')}`);
      writeFileSync(file, '');
      return { TALLY_DATA_DIR: join(file, 'data'), TALLY_ADMIN_KEY: undefined, DATABASE_URL: db.url };
    },
    line: () => /^Tally cannot start: the data folder \S+\/data cannot be reached: part of its path is a file, not a folder; set TALLY_DATA_DIR to a folder this user may write$/,
  },
  {
    name: 'DATABASE_URL unreachable',
    env: async () => ({ DATABASE_URL: `postgres://someone:secret@127.0.0.1:${await freePort()}/tally` }),
    line: () =>
      /^Tally cannot start: cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(connection refused\); check that it is running there and that DATABASE_URL names it$/,
  },
  {
    name: 'DATABASE_URL refused authentication',
    env: async () => ({ DATABASE_URL: withUrl(db.url, (u) => (u.password = 'not-the-password')) }),
    line: () =>
      /^Tally cannot start: PostgreSQL at 127\.0\.0\.1:\d+ refused the role "tally_test_owner" \(password authentication failed for user "tally_test_owner" \(SQLSTATE 28P01\)\); check the user and password in DATABASE_URL$/,
  },
  {
    name: 'a missing database',
    env: async () => ({ DATABASE_URL: withUrl(db.url, (u) => (u.pathname = '/tally_not_made')) }),
    line: () =>
      /^Tally cannot start: PostgreSQL at 127\.0\.0\.1:\d+ has no database "tally_not_made"; create it \(createdb -h 127\.0\.0\.1 -p \d+ tally_not_made\), or name another one in DATABASE_URL$/,
  },
  {
    name: 'a migration that fails',
    env: async () => ({ DATABASE_URL: await databaseInTheWay() }),
    line: () =>
      /^Tally cannot start: migration Initial1764201600000 failed, and was rolled back: relation "workspaces" already exists \(SQLSTATE 42P07\); fix what it names in the database, or point DATABASE_URL at another one$/,
  },
];

async function startCase({ env, user }: Case): Promise<FailedStart> {
  const own = { PORT: String(await freePort()), TALLY_DATA_DIR: join(base, `data-${randomBytes(3).toString('hex')}`), TALLY_ADMIN_KEY: 'test_admin_startup' };
  return runFailingStart(compiled.main, { ...own, ...(await env()) }, user?.());
}

const EMBEDDED_PORT_TAKEN = 'the embedded PostgreSQL, then a port in use';
const DEBUG = 'LOG_LEVEL=debug';

describe.each(CASES)('$name', ({ name, line }) => {
  let failed: FailedStart;
  beforeAll(async () => {
    failed = await starts.get(name)!;
  });

  it('prints one plain line that names the cause and what to do', () => {
    expect(failed.output.trim().split('\n')).toHaveLength(1);
    expect(failed.output.trim()).toMatch(line());
    expect(failed.output).not.toMatch(/undefined|\[object|\bat .+:\d+:\d+|\{/);
  });

  it('exits non-zero', () => {
    expect(failed.signal).toBeNull();
    expect(failed.code).not.toBe(0);
  });
});

describe('with the embedded PostgreSQL, a start that fails after it is up', () => {
  let failed: FailedStart;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(base, 'port-taken');
    failed = await starts.get(EMBEDDED_PORT_TAKEN)!;
  });

  it('says why in one line', () => {
    expect(failed.output.trim()).toBe(`Tally cannot start: port ${takenPort} is in use by another program; stop that program, or set PORT to a free port`);
    expect(failed.code).toBe(1);
  });

  it('leaves no PostgreSQL running, shut down cleanly', () => {
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(processesOn(dataDir)).toEqual([]);
  });
});

it('LOG_LEVEL=debug adds the details after the plain line', async () => {
  const failed = await starts.get(DEBUG)!;
  expect(failed.output).toContain(`Tally cannot start: port ${takenPort} is in use`);
  expect(failed.output).toMatch(/"msg":"the start failed"/);
  expect(failed.output).toContain('EADDRINUSE');
});
