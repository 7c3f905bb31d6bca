// Load: 200 concurrent clients for 60 seconds against a gateway process, each repeating the
// Overview page's own queries (web/src/features/overview/*.graphql) and, one request in five,
// trackLlmCalls with 10 calls. Baselines, measured in the same run: the same mix from one client,
// and the transactions the gateway sent PostgreSQL for that one client's requests, sent again
// straight through pg by as many clients on a pool of the gateway's size (what the database
// alone could serve).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, startGatewayProcess } from './gateway-process.mjs';
import { makeCalls, seeded } from './traffic.mjs';
import { fmt, msSince, now, pg, root, say, verdict } from './support.mjs';

const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 200);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const BASELINE_SECONDS = 10;
const SEED_CALLS = 50_000;
const TRACK_SHARE = 0.2;
const CALLS_PER_TRACK = 10;
/** The gateway's connection pool (server/src/main.ts): the direct baseline gets as many connections. */
const GATEWAY_POOL_SIZE = 20;
const DIRECT_SECONDS = 20;

const overview = ['overview.graphql', 'summary.graphql', 'summary-figures.graphql']
  .map((file) => readFileSync(join(root, 'web/src/features/overview', file), 'utf8'))
  .join('\n');
/** The Overview page's queries, as the dashboard sends them on load. */
const OVERVIEW_QUERIES = [
  { operationName: 'Summary', variables: { period: 'LAST_7D' } },
  { operationName: 'CostByModel', variables: { period: 'LAST_7D' } },
  { operationName: 'TokensOverTime', variables: { query: { period: 'LAST_7D', bucket: 'DAY', timezone: 'UTC', metrics: ['INPUT_TOKENS', 'OUTPUT_TOKENS'] } } },
  { operationName: 'RecentCalls', variables: { limit: 20 } },
].map((q) => ({ name: q.operationName, body: JSON.stringify({ query: overview, ...q }) }));
const TRACK = 'mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted duplicates rejected { index message } } }';

/** One client: a kept-alive connection, one request at a time, as a browser tab or an SDK holds; `post` resolves with an error or null. */
export function client(port, key) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body) =>
    new Promise((resolve) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
        },
        (response) => {
          const chunks = [];
          response.on('data', (c) => chunks.push(c));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let error = null;
            if (response.statusCode !== 200) error = `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
            else if (text.includes('"errors"')) error = JSON.parse(text).errors.map((e) => e.message).join('; ');
            resolve(error);
          });
          response.on('error', (e) => resolve(e.message));
        },
      );
      request.on('error', (e) => resolve(e.message));
      request.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/** Runs `clients` loops for `seconds`; returns latencies (ms, sorted), errors and requests a second. */
async function drive(gateway, clients, seconds, label) {
  const random = seeded(clients);
  const latencies = [];
  const byOperation = {};
  const errors = [];
  let tracked = 0;
  const began = now();
  const deadline = Date.now() + seconds * 1000;
  const progress = setInterval(() => {
    const elapsed = msSince(began) / 1000;
    say(`load: ${label}: ${fmt(elapsed, 0)} s, ${fmt(latencies.length, 0)} requests (${fmt(latencies.length / elapsed, 0)}/s), ${errors.length} errors`);
  }, 5000);
  const loops = Array.from({ length: clients }, async (_, c) => {
    const connection = client(gateway.port, gateway.key);
    let turn = c;
    while (Date.now() < deadline) {
      let operation;
      if (random() < TRACK_SHARE) {
        const inputs = makeCalls(random, CALLS_PER_TRACK, new Date(), 3_600_000, `load-${label}-${c}-${turn}`);
        operation = { name: 'Track', body: JSON.stringify({ query: TRACK, variables: { inputs } }) };
        tracked += CALLS_PER_TRACK;
      } else {
        operation = OVERVIEW_QUERIES[turn % OVERVIEW_QUERIES.length];
      }
      turn++;
      const start = now();
      const error = await connection.post(operation.body);
      const ms = msSince(start);
      latencies.push(ms);
      (byOperation[operation.name] ??= []).push(ms);
      if (error) errors.push(error);
    }
    connection.close();
  });
  await Promise.all(loops);
  clearInterval(progress);
  const elapsed = msSince(began) / 1000;
  latencies.sort((a, b) => a - b);
  for (const samples of Object.values(byOperation)) samples.sort((a, b) => a - b);
  return { latencies, byOperation, errors, perSecond: latencies.length / elapsed, tracked };
}

/**
 * The captured statements as the transactions they ran in: BEGIN (or START TRANSACTION) to
 * COMMIT or ROLLBACK on one connection; a statement outside any is a transaction of its own.
 */
function capturedTransactions(file) {
  const open = new Map();
  const transactions = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const statement = JSON.parse(line);
    const opening = /^\s*(BEGIN|START TRANSACTION)\b/i.test(statement.text);
    const closing = /^\s*(COMMIT|ROLLBACK)\s*$/i.test(statement.text);
    const current = open.get(statement.connection);
    if (current) {
      current.push(statement);
      if (closing) {
        transactions.push(current);
        open.delete(statement.connection);
      }
    } else if (opening) open.set(statement.connection, [statement]);
    else transactions.push([statement]);
  }
  return transactions;
}

/** The statements that took the most of the captured run's time (from sent to answered, as the gateway saw it: a busy event loop adds to it), as "share statement start (count × mean ms)". */
function heaviestStatements(transactions, count = 4) {
  const byStatement = new Map();
  for (const { text, ms } of transactions.flat()) {
    const words = text.replace(/\s+/g, ' ').trim();
    const label = /^BEGIN\b/i.test(words) ? 'BEGIN with the scope' : /^COMMIT\b/i.test(words) ? 'COMMIT' : `${words.slice(0, 48)}…`;
    const entry = byStatement.get(label) ?? { ms: 0, count: 0 };
    byStatement.set(label, { ms: entry.ms + ms, count: entry.count + 1 });
  }
  const total = [...byStatement.values()].reduce((sum, { ms }) => sum + ms, 0);
  return [...byStatement]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, count)
    .map(([label, { ms, count: n }]) => `${fmt((100 * ms) / total, 0)}% ${label} (${fmt(n, 0)} × ${fmt(ms / n, 2)} ms)`);
}

/** `clients` loops sending the transactions, in turn, straight through pg on a pool of `poolSize`; returns transactions a second and errors. */
async function driveDirect(url, transactions, clients, seconds, poolSize) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const errors = [];
  let done = 0;
  const began = now();
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let turn = c; Date.now() < deadline; turn += clients) {
        const connection = await pool.connect();
        try {
          for (const { text, values, name } of transactions[turn % transactions.length]) await connection.query(name ? { name, text, values } : { text, values });
          done++;
        } catch (error) {
          errors.push(error.message);
          await connection.query('ROLLBACK').catch(() => undefined);
        } finally {
          connection.release();
        }
      }
    }),
  );
  const elapsed = msSince(began) / 1000;
  await pool.end();
  return { perSecond: done / elapsed, errors };
}

/**
 * What running a statement in a transaction of its own costs beyond the statement: `begin` (BEGIN
 * with the scope settings, as captured) and COMMIT, `times` times on one connection; the time a
 * transaction waits and the CPU its database backend spends (Linux's /proc, PostgreSQL on this machine).
 */
async function transactionWrapperCost(url, begin, times = 3000) {
  const connection = new pg.Client({ connectionString: url });
  await connection.connect();
  const [{ pid }] = (await connection.query('SELECT pg_backend_pid() AS pid')).rows;
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  };
  const cpuBefore = cpuMs();
  const began = now();
  for (let i = 0; i < times; i++) {
    await connection.query(begin);
    await connection.query('COMMIT');
  }
  const result = { wallMs: msSince(began) / times, cpuMs: (cpuMs() - cpuBefore) / times };
  await connection.end();
  return result;
}
/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times. */
const CLOCK_TICKS = 100;

export async function benchLoad(postgres) {
  say(`load: fresh database, gateway process, ${fmt(SEED_CALLS, 0)} calls of the last 7 days first`);
  const url = await postgres.freshDatabase('load');
  // 200 clients share one key: they stand for 200 applications, so the per-key and per-workspace limits are off.
  const captureDir = mkdtempSync(join(tmpdir(), 'tally-bench-statements-'));
  const captureFile = join(captureDir, 'statements.jsonl');
  const gateway = await startGatewayProcess(url, {
    workspaceName: 'Load workspace',
    env: { LIMIT_REQUESTS_PER_SECOND: '0', LIMIT_INGEST_CALLS_PER_SECOND: '0', BENCH_CAPTURE_STATEMENTS: captureFile },
    nodeArgs: ['-r', join(root, 'bench/capture-statements.cjs')],
  });
  try {
    const seeder = client(gateway.port, gateway.key);
    const random = seeded(3);
    for (let b = 0; b < SEED_CALLS / 1000; b++) {
      const inputs = makeCalls(random, 1000, new Date(), 7 * 86_400_000, `seed-${b}`);
      const error = await seeder.post(JSON.stringify({ query: TRACK, variables: { inputs } }));
      if (error) throw new Error(`seeding failed: ${error}`);
    }
    seeder.close();
    // Steady state: autovacuum analyzes a table within a minute of such growth; planned on the
    // empty table's statistics, the newest-calls query would sort the whole workspace meanwhile.
    const analyzer = new pg.Client({ connectionString: url });
    await analyzer.connect();
    await analyzer.query('ANALYZE');
    await analyzer.end();

    say(`load: baseline, 1 client for ${BASELINE_SECONDS} s`);
    process.kill(gateway.pid, 'SIGUSR2'); // the gateway records its statements for this run only
    const baseline = await drive(gateway, 1, BASELINE_SECONDS, 'baseline');
    process.kill(gateway.pid, 'SIGUSR2');
    say(`load: ${CLIENTS} clients for ${SECONDS} s`);
    const rssBefore = gateway.rssMb();
    const loaded = await drive(gateway, CLIENTS, SECONDS, `${CLIENTS} clients`);
    const rssAfter = gateway.rssMb();
    const transactions = capturedTransactions(captureFile);
    const perRequest = transactions.length / baseline.latencies.length;
    say(`load: the ${fmt(transactions.length, 0)} transactions of the 1-client run, straight through pg, ${CLIENTS} clients on ${GATEWAY_POOL_SIZE} connections for ${DIRECT_SECONDS} s`);
    const direct = await driveDirect(url, transactions, CLIENTS, DIRECT_SECONDS, GATEWAY_POOL_SIZE);
    const scopedBegin = transactions.flat().find((statement) => /^\s*BEGIN\b[\s\S]*set_config\(/i.test(statement.text))?.text;
    const wrapper = scopedBegin ? await transactionWrapperCost(url, scopedBegin) : null;

    const p = (run, q) => percentile(run.latencies, q);
    const distinct = [...new Set(loaded.errors)].slice(0, 3);
    const pass = loaded.errors.length === 0 && baseline.errors.length === 0 && direct.errors.length === 0;
    const lines = [
      `load — ${CLIENTS} clients × ${SECONDS} s, Overview queries (Summary, CostByModel, TokensOverTime, RecentCalls) and trackLlmCalls of ${CALLS_PER_TRACK} (${TRACK_SHARE * 100}% of requests), gateway in its own process`,
      `  errors:        ${loaded.errors.length} of ${fmt(loaded.latencies.length, 0)} requests (target 0)  ${verdict(loaded.errors.length === 0)}${distinct.length ? `  e.g. ${distinct.join(' | ')}` : ''}`,
      `  throughput:    ${fmt(loaded.perSecond, 0)} requests/s (${fmt(loaded.tracked / SECONDS, 0)} calls stored/s); baseline 1 client ${fmt(baseline.perSecond, 0)} requests/s; ratio ${fmt(loaded.perSecond / baseline.perSecond, 2)}×`,
      `  latency:       p50 ${fmt(p(loaded, 0.5))} ms, p95 ${fmt(p(loaded, 0.95))} ms, p99 ${fmt(p(loaded, 0.99))} ms`,
      `  baseline:      p50 ${fmt(p(baseline, 0.5))} ms, p95 ${fmt(p(baseline, 0.95))} ms, p99 ${fmt(p(baseline, 0.99))} ms (1 client); p50 ratio ${fmt(p(loaded, 0.5) / p(baseline, 0.5), 1)}×, p99 ratio ${fmt(p(loaded, 0.99) / p(baseline, 0.99), 1)}×`,
      `  by operation:  ${Object.entries(loaded.byOperation)
        .map(([name, samples]) => `${name} p50 ${fmt(percentile(samples, 0.5))} ms (baseline ${fmt(percentile(baseline.byOperation[name] ?? [], 0.5))})`)
        .join(', ')}`,
      `  straight through pg: the same transactions (${fmt(perRequest, 1)} a request: BEGIN with the scope, the statement, COMMIT, as the gateway sent them) ${fmt(direct.perSecond, 0)} transactions/s = ${fmt(direct.perSecond / perRequest, 0)} requests/s; the gateway ${fmt(loaded.perSecond * perRequest, 0)} transactions/s; gateway/pg ratio ${fmt(loaded.perSecond / (direct.perSecond / perRequest), 2)}  (${direct.errors.length} errors${direct.errors.length ? `, e.g. ${direct.errors[0]}` : ''})`,
      `  the 1-client run's statements, sent to answered as the gateway saw it: ${heaviestStatements(transactions).join('; ')}`,
      `  transaction per statement: BEGIN with the scope and COMMIT cost ${wrapper ? `${fmt(wrapper.wallMs, 3)} ms of waiting and ${fmt(wrapper.cpuMs, 3)} ms of the database's CPU a transaction (one connection, alone), against ${fmt((cpus().length * 1000) / direct.perSecond, 1)} ms of the machine's CPU a transaction takes straight through pg` : 'not measured (no scoped transaction captured)'}`,
      `  gateway RSS:   ${fmt(rssBefore, 0)} MB before, ${fmt(rssAfter, 0)} MB after`,
    ];
    return { name: 'load', pass, lines };
  } finally {
    await gateway.stop();
    rmSync(captureDir, { recursive: true, force: true });
  }
}
