import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../src/db/embedded';
import { openDataFolder } from './support/own-postgres';
import { compileServer, type CompiledServer } from './support/processes';

// Ctrl-C on `npm start`: the terminal sends SIGINT to the whole process group (the start script,
// the gateway, and anything else in the group). The gateway must finish its shutdown before its
// embedded PostgreSQL stops.

const root = join(__dirname, '..', '..');

let compiled: CompiledServer;
let base: string;

beforeAll(() => {
  compiled = compileServer();
  base = mkdtempSync(join(tmpdir(), 'tally-clean-stop-'));
  chmodSync(base, 0o755); // the embedded server runs as the postgres user when we are root
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  compiled.dispose();
});

interface Started {
  /** The start script's pid, which is also its process group's id. */
  group: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

/** `npm start` (scripts/start.mjs) on this test's compiled server, in a process group of its own, as a terminal runs it. */
async function npmStart(dataDir: string, port: number): Promise<Started> {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs'), `--main=${compiled.main}`], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      TALLY_DATA_DIR: dataDir,
      TALLY_DEMO_CALLS: '300',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    },
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (!output.includes('Tally is up')) return;
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`npm start exited (${code ?? signal}) before it was up:\n${output.slice(-3000)}`)));
  });
  return { group: child.pid!, exited, output: () => output };
}

/** What PostgreSQL says when it opens the folder again, and the heartbeats the gateway left, read with PostgreSQL alone. */
async function inspectDataFolder(dataDir: string): Promise<{ startupLog: string; heartbeats: { service: string; status: string }[] }> {
  const server = await openDataFolder(join(dataDir, 'postgres'));
  try {
    const client = new Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ service: string; status: string }>('SELECT service, status FROM heartbeats ORDER BY service');
    await client.end();
    return { startupLog: server.startupLog, heartbeats: rows };
  } finally {
    await server.stop();
  }
}

/** How `npm start` exited; what it printed goes into the failure when that was not a clean exit. */
async function stoppedWith(start: Started): Promise<Awaited<Started['exited']>> {
  const exit = await start.exited;
  if (exit.code !== 0) throw new Error(`npm start exited ${JSON.stringify(exit)} after SIGINT; it printed:\n${start.output().slice(-3000)}`);
  return exit;
}

const STACK_FRAME = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

it('Ctrl-C stops the gateway first, then its PostgreSQL: exit 0, no stack trace, heartbeats STOPPED, and the next start is warm', async () => {
  const dataDir = join(base, `data-${randomBytes(3).toString('hex')}`);
  const port = await freePort();
  const first = await npmStart(dataDir, port);
  expect(first.output()).toContain('Seeded 300 demo calls');

  process.kill(-first.group, 'SIGINT');
  expect(await stoppedWith(first)).toEqual({ code: 0, signal: null });
  const printed = first.output();
  expect(printed).not.toMatch(STACK_FRAME);
  expect(printed).not.toMatch(/error/i);
  // PostgreSQL removes its lock file on a clean shutdown only, and exits only after it.
  expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

  const { startupLog, heartbeats } = await inspectDataFolder(dataDir);
  expect(startupLog).toContain('database system was shut down at');
  expect(startupLog).not.toContain('not properly shut down');
  expect(startupLog).not.toContain('automatic recovery');
  const services = heartbeats.map((h) => h.service);
  expect(services).toEqual(expect.arrayContaining(['tally-alert-checker', 'tally-heartbeat-checker', 'tally-metrics-sampler']));
  expect(heartbeats.filter((h) => h.status !== 'STOPPED')).toEqual([]);

  // Warm: the cluster and the demo data are the first start's, not made again.
  const second = await npmStart(dataDir, port);
  expect(second.output()).toContain('the database already holds calls');
  expect(second.output()).not.toContain('Seeding demo data');
  process.kill(-second.group, 'SIGINT');
  expect(await stoppedWith(second)).toEqual({ code: 0, signal: null });
  expect(second.output()).not.toMatch(STACK_FRAME);
});
