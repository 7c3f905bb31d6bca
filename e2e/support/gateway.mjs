// A gateway of the browser tests' own: `node server/dist/main.js` in a child process, with its
// data in a temporary folder, a free port, a known admin key and a fixed demo data set.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts a gateway with demo data and waits until it prints its link.
 * @param {object} options
 * @param {Record<string, string>} [options.env] more environment (overrides the defaults below)
 * @param {number} [options.startTimeoutMs] how long seeding and start may take @default 240000
 * @param {(line: string) => void} [options.say] progress lines (demo seeding)
 */
export async function startGateway({ env = {}, startTimeoutMs = 240_000, say = () => undefined } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-e2e-'));
  chmodSync(dataDir, 0o755); // as root, embedded PostgreSQL runs as the postgres user, which must reach it
  const port = await freePort();
  const adminKey = `tly_e2e_${randomBytes(18).toString('base64url')}`;
  const child = spawn(process.execPath, [join(root, 'server/dist/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      TALLY_DATA_DIR: dataDir,
      TALLY_ADMIN_KEY: adminKey,
      TALLY_DEMO: 'on',
      TALLY_DEMO_CALLS: '20000',
      TALLY_DEMO_TRAFFIC: 'off',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const keep = (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log.push(line);
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const ready = new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      keep(chunk);
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.startsWith('Tally is up')) resolve();
        else if (line.trim() && !line.startsWith('{')) say(line);
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`the gateway exited (${signal ?? code}) before it was up:\n${log.slice(-30).join('\n')}`)));
    setTimeout(() => reject(new Error(`the gateway was not up after ${startTimeoutMs / 1000} s:\n${log.slice(-30).join('\n')}`)), startTimeoutMs).unref();
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    ...gatewayClient(`http://127.0.0.1:${port}`, adminKey),
    port,
    /** The gateway's recent log lines (stderr and stdout), for a failure report. */
    log: () => log.slice(),
    /** Stops the gateway (SIGTERM, then SIGKILL after 15 s) and removes its data. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * What the tests need of a running gateway: its URL, its admin key, and a GraphQL client.
 * @param {string} url
 * @param {string} adminKey
 */
export function gatewayClient(url, adminKey) {
  return {
    url,
    adminKey,
    /**
     * A GraphQL request as an integrator sends it; throws on any error in the answer.
     * @param {string} query
     * @param {Record<string, unknown>} [variables]
     * @param {{ key?: string, workspace?: string }} [as]
     */
    async api(query, variables = {}, { key = adminKey, workspace } = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${key}`,
          ...(workspace ? { 'x-workspace-id': workspace } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
      return body.data;
    },
  };
}
