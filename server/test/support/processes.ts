import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../../src/db/embedded';
import { createTestDatabase, type TestDatabase } from './database';
import type { GqlResult } from './server';
import { TcpProxy } from './tcp-proxy';

const root = join(__dirname, '..', '..', '..');

/** A compiled copy of server/src for spawned gateways: server/dist may be rebuilt by someone else meanwhile. */
export interface CompiledServer {
  /** The process entry, `…/dist/main.js`. */
  main: string;
  dispose(): void;
}

/** Compiles server/src with the project's build (swc, about a second) into a folder of this test's own. */
export function compileServer(): CompiledServer {
  // Under server/node_modules, so the compiled files resolve dependencies as server/dist does (see global-setup).
  const folder = join(root, 'server/node_modules/.cache', `tally-proc-${process.pid}-${randomBytes(3).toString('hex')}`);
  const dist = join(folder, 'dist');
  mkdirSync(folder, { recursive: true });
  const buildLib = pathToFileURL(join(root, 'scripts/build-lib.mjs')).href;
  const built = spawnSync(process.execPath, ['--input-type=module', '-e', `await (await import(${JSON.stringify(buildLib)})).buildServer(${JSON.stringify(dist)});`], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the server failed: ${built.stderr}`);
  copyFileSync(join(root, 'server/package.json'), join(folder, 'package.json')); // the server reads its version there
  return { main: join(dist, 'main.js'), dispose: () => rmSync(folder, { recursive: true, force: true }) };
}

/** A gateway running as its own process (`node server/dist/main.js`). */
export interface GatewayProcess {
  port: number;
  url: string;
  wsUrl: string;
  adminKey: string;
  pid: number;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it printed, stdout and stderr together. */
  output(): string;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL if it is still there after 15 s; resolves once it is gone. */
  stop(): Promise<void>;
}

export interface SpawnGatewayOptions {
  /** Unset: the embedded PostgreSQL, in the data folder. */
  databaseUrl?: string;
  /** Default: a folder of its own, removed when the process exits. */
  dataDir?: string;
  /** Default: a free port. */
  port?: number;
  adminKey?: string;
  /** More environment (REDIS_URL, LOG_LEVEL…). */
  env?: Record<string, string>;
}

/** Starts `node <main>` as a gateway and resolves once it says it is up. */
export async function spawnGateway(main: string, options: SpawnGatewayOptions): Promise<GatewayProcess> {
  const port = options.port ?? (await freePort());
  const adminKey = options.adminKey ?? `test_admin_${randomBytes(12).toString('hex')}`;
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tally-proc-data-'));
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: gatewayEnvironment({
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      TALLY_ADMIN_KEY: adminKey,
      TALLY_DATA_DIR: dataDir,
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, signal });
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (!output.includes('Tally is up')) return;
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`the gateway exited (${code ?? signal}) before it was up:\n${output.slice(-2000)}`)));
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    port,
    url,
    wsUrl: url.replace('http', 'ws'),
    adminKey,
    pid: child.pid!,
    exited,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The environment of a spawned gateway as deployed (the Dockerfile, npm start), with `env` over it; an undefined value leaves a variable out. */
function gatewayEnvironment(env: Record<string, string | undefined>): Record<string, string> {
  const all: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    TALLY_SECRET_KEY: randomBytes(32).toString('base64'),
    TALLY_DEMO: 'off',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...env,
  };
  return Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** How a gateway process that was expected not to start ended. */
export interface FailedStart {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What it printed, stdout and stderr together. */
  output: string;
}

/**
 * Runs `node <main>` until it exits, failing if it comes up instead. `env` is laid over the
 * deployed environment (an undefined value leaves a variable out); `user` runs it as another user.
 */
export async function runFailingStart(main: string, env: Record<string, string | undefined>, user?: { uid: number; gid: number }): Promise<FailedStart> {
  const child = spawn(process.execPath, [main], { cwd: root, env: gatewayEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'], ...user });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('Tally is up')) child.kill('SIGTERM');
  });
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // After both streams have ended, so nothing it printed is missed.
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (output.includes('Tally is up')) throw new Error(`the gateway started when it should not have:\n${output}`);
  return { code, signal, output };
}

/** Whether something accepts TCP connections on the port now. */
export function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Checks `condition` every `everyMs` until it holds, failing after `timeoutMs` with `what`.
 * Only for states that announce themselves with no event (a port closing, a row count).
 */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, { timeoutMs = 20_000, everyMs = 50 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** POSTs a GraphQL request to a gateway with a key; resolves with the HTTP status and the body. */
export async function postGraphql(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GqlResult, 'status'>;
  return { status: response.status, retryAfter: response.headers.get('retry-after') ?? undefined, data: body.data, errors: body.errors };
}


/** A gateway process on a fixed port whose PostgreSQL connections go through a TCP proxy, for fault tests. */
export interface ProxiedGateway {
  db: TestDatabase;
  proxy: TcpProxy;
  /** The gateway's port; it stays the same across restarts. */
  port: number;
  /** The process running now. */
  gateway: GatewayProcess;
  /** Starts a new gateway process on the same port and database (the previous one must have exited). */
  restart(): Promise<GatewayProcess>;
  dispose(): Promise<void>;
}

/** Compiles the server, makes a database, and starts a gateway on it through a proxy. */
export async function startProxiedGateway(): Promise<ProxiedGateway> {
  const compiled = compileServer();
  const db = await createTestDatabase();
  const target = new URL(db.url);
  const proxy = new TcpProxy(Number(target.port));
  await proxy.listen();
  target.port = String(proxy.port);
  const databaseUrl = target.toString();
  const port = await freePort();
  const rig: ProxiedGateway = {
    db,
    proxy,
    port,
    gateway: await spawnGateway(compiled.main, { databaseUrl, port }),
    restart: async () => (rig.gateway = await spawnGateway(compiled.main, { databaseUrl, port })),
    dispose: async () => {
      await rig.gateway.stop();
      await proxy.close();
      await db.dispose();
      compiled.dispose();
    },
  };
  return rig;
}
