// What the benchmarks share: PostgreSQL (embedded, or DATABASE_URL), fresh databases, a
// gateway started in-process from server/dist, an HTTP GraphQL client, timing and statistics.
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
let dist = join(root, 'server/dist');
/** Requires a compiled server module, e.g. `server('gateway')`. */
export const require = createRequire(join(root, 'package.json'));
export const server = (path) => require(join(dist, `${path}.js`));
/** The path of a compiled server file, e.g. `serverFile('main')` for a gateway process of its own. */
export const serverFile = (path) => join(dist, `${path}.js`);

/**
 * Compiles server/src into a folder of this run's own (inside the repository, so it resolves
 * node_modules as server/dist does) and reads the server from there: server/dist may be rebuilt by someone else
 * while a bench runs. Returns the cleanup.
 */
export async function useOwnBuild() {
  const { buildServer } = await import('../scripts/build-lib.mjs');
  // Under server/node_modules: a server dependency npm could not hoist (another version sits at the root) resolves as in server/dist.
  const own = join(root, 'server/node_modules/.cache', `tally-bench-${process.pid}`);
  await buildServer(join(own, 'dist'));
  copyFileSync(join(root, 'server/package.json'), join(own, 'package.json')); // the server reads its version from ../package.json
  dist = join(own, 'dist');
  return () => rmSync(own, { recursive: true, force: true });
}
export const pg = require('pg');

const started = Date.now();
/** A progress line with the seconds since the run began. */
export function say(line) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
}

export const now = () => process.hrtime.bigint();
export const msSince = (start) => Number(process.hrtime.bigint() - start) / 1e6;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Lines for a report: the statements one traced run of `query` sends, each with its time, and
 * EXPLAIN ANALYZE of those whose text matches `explained`.
 */
export async function tracedLines(gw, db, name, query, explained) {
  const traced = await recordStatements(() => gw.gql(query));
  const lines = [`  ${name}: one traced run sends ${traced.statements.length} statements:`];
  for (const [i, s] of traced.statements.entries()) {
    lines.push(`    ${fmt(s.ms).padStart(8)} ms  ${oneLine(s.text, 130)}`);
    // The engine's own row estimates (EXPLAIN without ANALYZE) are listed, not explained again.
    if (explained.test(s.text) && !/^\s*EXPLAIN\b/i.test(s.text)) lines.push(indent(await explain(db, s.text, s.params, scopePreamble(traced.statements, i)), '      '));
  }
  return lines;
}

/** Runs `run` `warmup` times, then `runs` times timed; says the median under `label`. Answers the times in ms. */
export async function timeRuns(label, runs, warmup, run) {
  for (let i = 0; i < warmup; i++) await run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await run();
    times.push(msSince(start));
  }
  say(`${label}: median ${fmt(median(times))} ms over ${runs} runs`);
  return times;
}

export const fmt = (n, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const verdict = (ok) => (ok ? 'PASS' : 'MISS');

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * PostgreSQL for the run: the server DATABASE_URL names, or an embedded one under the system
 * temp folder. `freshDatabase()` makes a new empty database and `stop()` removes everything.
 */
export async function startPostgres() {
  let adminUrl = process.env.DATABASE_URL;
  let embedded = null;
  let dir = null;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'tally-bench-pg-'));
    chmodSync(dir, 0o755); // as root the server runs as the postgres user, which must reach it
    const { startEmbeddedPostgres } = server('db/embedded');
    const pino = require('pino');
    embedded = await startEmbeddedPostgres(join(dir, 'data'), pino({ level: 'warn' }));
    adminUrl = embedded.url.replace(/\/tally$/, '/postgres');
  }
  const created = [];
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const [{ server_version: version }] = (await admin('SHOW server_version')).rows;
  return {
    version,
    embedded: !!embedded,
    /** A new database, dropped again by stop(). */
    async freshDatabase(label) {
      const name = `tally_bench_${label}_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE ${name}`);
      created.push(name);
      return withDatabase(adminUrl, name);
    },
    async stop() {
      if (embedded) {
        await embedded.stop();
        rmSync(dir, { recursive: true, force: true });
        return;
      }
      for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    },
  };
}

/** Bench data is written straight into llm_usage, dated up to a year back: the months it lands in must exist. */
export async function ensureRawMonths(dataSource) {
  const { ensurePartitions, partitionOwner } = server('db/partitions');
  await ensurePartitions(partitionOwner(dataSource), new Date(Date.now() - 400 * 86_400_000), new Date());
}

/**
 * A migrated database with a gateway on a free port, and a member key of a new workspace.
 * `env`: settings on top of the bench defaults; each bench sets the limits it needs, since one
 * bench key stands for many clients.
 */
export async function startBenchGateway(url, { workspaceName = 'Bench workspace', poolSize, env = {}, monitoring } = {}) {
  const { openDatabase } = server('db/data-source');
  const { loadConfig } = server('config');
  const { startGateway } = server('gateway');
  const { createLogger } = server('logger');
  const { createWorkspace } = server('workspaces/workspaces.service');
  const { createApiKey } = server('auth/auth.service');
  const dataSource = await openDatabase(url, poolSize);
  const dataDir = mkdtempSync(join(tmpdir(), 'tally-bench-data-'));
  const config = loadConfig({
    PORT: '0',
    TALLY_ADMIN_KEY: `bench_admin_${randomBytes(12).toString('hex')}`,
    TALLY_SECRET_KEY: randomBytes(32).toString('base64'),
    TALLY_DATA_DIR: dataDir,
    HEARTBEAT_ENABLED: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    ...env,
  });
  // The dashboard as built in this checkout (the private server build sits elsewhere).
  const gateway = await startGateway(config, dataSource, createLogger(config.logLevel), { monitoring, webDist: join(root, 'web/dist') });
  const { platform } = gateway.services;
  await ensureRawMonths(dataSource);
  const workspace = await createWorkspace(platform, workspaceName, 'pro');
  const key = await createApiKey(platform, workspace.id, 'MEMBER', 'bench');
  const client = graphqlClient(gateway.port, key);
  const clients = [client];
  return {
    dataSource,
    /** The platform path: set data up and read it back across workspaces, as the gateway does. */
    platform,
    gateway,
    workspaceId: workspace.id,
    key,
    gql: client.gql,
    /** POSTs an already serialised body; resolves with the parsed response. */
    post: client.post,
    /** An admin key's client in the given scope (`__all__` or a workspace id), as the dashboard's switcher sends it. */
    /** A new admin key (the string a dashboard signs in with). */
    adminKey: () => createApiKey(platform, workspace.id, 'ADMIN', 'bench admin'),
    async adminClient(scope) {
      const adminKey = await createApiKey(platform, workspace.id, 'ADMIN', 'bench admin');
      const admin = graphqlClient(gateway.port, adminKey, { 'x-workspace-id': scope });
      clients.push(admin);
      return admin;
    },
    async stop() {
      for (const c of clients) c.close();
      await gateway.stop();
      await dataSource.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GraphQL over HTTP with one kept-alive connection, as a dashboard or SDK would hold. */
export function graphqlClient(port, key, headers = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body) =>
    new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}`, ...headers },
        },
        (response) => {
          const chunks = [];
          response.on('data', (c) => chunks.push(c));
          response.on('end', () => {
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              if (parsed.errors) reject(new Error(`GraphQL errors: ${JSON.stringify(parsed.errors)}`));
              else resolve(parsed.data);
            } catch (error) {
              reject(error);
            }
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  return {
    post,
    gql: (query, variables) => post(JSON.stringify({ query, variables })),
    close: () => agent.destroy(),
  };
}

/**
 * Records every statement pg clients run while `work` runs (text, parameters, milliseconds):
 * the SQL the engine and the ingest really send.
 */
export async function recordStatements(work) {
  const proto = pg.Client.prototype;
  const original = proto.query;
  const statements = [];
  proto.query = function (config, values, callback) {
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(values) ? values : config?.values;
    const entry = { text, params, ms: 0 };
    const start = now();
    const result = original.call(this, config, values, callback);
    if (result && typeof result.then === 'function') {
      statements.push(entry);
      return result.then(
        (r) => ((entry.ms = msSince(start)), r),
        (e) => ((entry.ms = msSince(start)), Promise.reject(e)),
      );
    }
    return result;
  };
  try {
    const value = await work();
    return { value, statements };
  } finally {
    proto.query = original;
  }
}

/**
 * The statements that put the transaction of recorded statement `index` in its request's
 * scope (role and settings the row-level policies read), if the server sent any.
 */
export function scopePreamble(statements, index) {
  for (let i = index - 1; i >= 0; i--) {
    const text = statements[i].text ?? '';
    if (/^\s*(COMMIT|ROLLBACK)\b/i.test(text)) return null;
    if (/SET LOCAL ROLE|set_config\(/i.test(text)) return text.replace(/^\s*BEGIN\s*;/i, '');
  }
  return null;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of a statement, after `preamble` (see scopePreamble) so it runs
 * as the server ran it; everything rolls back.
 */
export async function explain(dataSource, text, params, preamble = null) {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN');
    if (preamble) await runner.query(preamble);
    const rows = await runner.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

/** One line of SQL, shortened, for a progress listing. */
export const oneLine = (text, max = 160) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

export const indent = (text, prefix = '      ') =>
  text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');

/**
 * Runs `warmup` batches through both sides, then the rest interleaved, alternating which goes
 * first, so drift (checkpoints, cache) hits both alike. Each side resolves with its time in ms.
 */
export async function interleaved(batches, warmup, gatewaySide, baselineSide, onTen = () => undefined) {
  for (const batch of batches.slice(0, warmup)) {
    await gatewaySide(batch);
    await baselineSide(batch);
  }
  const gatewayMs = [];
  const baselineMs = [];
  for (const [i, batch] of batches.slice(warmup).entries()) {
    if (i % 2 === 0) {
      gatewayMs.push(await gatewaySide(batch));
      baselineMs.push(await baselineSide(batch));
    } else {
      baselineMs.push(await baselineSide(batch));
      gatewayMs.push(await gatewaySide(batch));
    }
    if ((i + 1) % 10 === 0) onTen(i + 1);
  }
  return { gatewayMs, baselineMs };
}
