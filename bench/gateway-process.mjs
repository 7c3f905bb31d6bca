// A gateway in a process of its own for the load and fan-out benchmarks, so the clients that
// measure it do not share its event loop; plus its memory and its Prometheus gauges.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, server, serverFile } from './support.mjs';

/**
 * Migrates `url`, makes a workspace with a member key, and starts `node server/dist/main.js` on
 * it (a free port, no demo, no heartbeats; `nodeArgs` go to node). Resolves once the gateway says it is up.
 */
export async function startGatewayProcess(url, { workspaceName = 'Bench workspace', env = {}, nodeArgs: extraNodeArgs = [] } = {}) {
  const { openDatabase } = server('db/data-source');
  const { createWorkspace } = server('workspaces/workspaces.service');
  const { createApiKey } = server('auth/auth.service');
  const { freePort } = server('db/embedded');
  const { platformDb } = server('db/platform-db');
  const dataSource = await openDatabase(url, 2);
  const workspace = await createWorkspace(platformDb(dataSource), workspaceName, 'pro');
  const key = await createApiKey(platformDb(dataSource), workspace.id, 'MEMBER', 'bench');
  await dataSource.destroy();

  const port = await freePort();
  const adminKey = `bench_admin_${randomBytes(12).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-bench-proc-'));
  // BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/profiles" shows where the gateway spends its time.
  const nodeArgs = [...(process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean), ...extraNodeArgs];
  const child = spawn(process.execPath, [...nodeArgs, serverFile('main')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: process.env.NODE_ENV ?? 'production',
      PORT: String(port),
      DATABASE_URL: url,
      TALLY_ADMIN_KEY: adminKey,
      TALLY_SECRET_KEY: randomBytes(32).toString('base64'),
      TALLY_DATA_DIR: dataDir,
      TALLY_DEMO: 'off',
      HEARTBEAT_ENABLED: 'false',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stopping = false;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`the gateway process exited unasked (${code ?? signal})`);
      resolve(code ?? signal);
    }),
  );
  await new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (!output.includes('Tally is up')) return;
      child.stdout.off('data', onData);
      // What the gateway logs from now on (warnings and errors) shows in the bench's output.
      child.stdout.on('data', (more) => process.stdout.write(`gateway: ${more}`));
      resolve();
    };
    child.stdout.on('data', onData);
    exited.then((code) => reject(new Error(`the gateway exited (${code}) before it was up: ${output}`)));
  });
  return {
    port,
    pid: child.pid,
    key,
    adminKey,
    workspaceId: workspace.id,
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    /** The process's resident memory now, in MB. */
    rssMb: () => statusMb(child, 'VmRSS'),
    /** The most resident memory the process has had since it started or since resetPeakRss, in MB (the kernel's VmHWM: no peak between samples is missed). */
    peakRssMb: () => statusMb(child, 'VmHWM'),
    /** Starts the peak over from the current resident memory (Linux's clear_refs 5); false where it cannot. */
    resetPeakRss: () => {
      try {
        writeFileSync(`/proc/${child.pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    /** A gauge or counter from GET /metrics. */
    metric: async (name) => {
      const text = await get(port, '/metrics', adminKey);
      return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
    },
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A memory line of /proc/<pid>/status in MB; NaN once the process is gone (a zombie not yet reaped has none). */
function statusMb(child, line) {
  const alive = child.exitCode === null && child.signalCode === null;
  return Number(new RegExp(`${line}:\\s+(\\d+)`).exec(alive ? readFileSync(`/proc/${child.pid}/status`, 'utf8') : '')?.[1] ?? NaN) / 1024;
}

function get(port, path, key) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${key}` } }, (response) => {
        let body = '';
        response.on('data', (c) => (body += c));
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** The value below which `q` of the sorted samples fall (nearest rank). */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
