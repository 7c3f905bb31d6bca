// Retention beside ingest: a retention that removes half of the raw calls (90 days of calls in
// three workspaces, a 45-day retention on each) while ingest clients keep sending batches to the
// busiest, against the same clients' ingest alone, measured in the same run on the same data; and
// the dashboard's figures (rollup views over whole hours) before and after, which must be
// identical. The months wholly before the cut are dropped; the month the cut falls in is
// deleted from in batches.
import { generate } from './dashboard.mjs';
import { percentile, startGatewayProcess } from './gateway-process.mjs';
import { client } from './load.mjs';
import { makeCalls, seeded } from './traffic.mjs';
import { ensureRawMonths, fmt, graphqlClient, median, msSince, now, say, server, verdict } from './support.mjs';

const TARGET_P99_RATIO = 2;
const CLIENTS = 4;
const CALLS_PER_BATCH = 100;
const ALONE_SECONDS = 20;
const RETENTION_DAYS = 45;
const HOUR_MS = 3_600_000;
const TRACK = 'mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted duplicates rejected { index message } } }';
const SET_RETENTION = 'mutation ($w: ID!, $days: Int) { setRetention(workspaceId: $w, days: $days) { retentionDays } }';

/** `CLIENTS` loops of trackLlmCalls (calls of the last five minutes) until `until` resolves: rows a second, sorted latencies, errors. */
async function ingestUntil(gateway, until, label) {
  const random = seeded(label.length);
  const latencies = [];
  const errors = [];
  let stopped = false;
  void until.then(() => (stopped = true));
  const began = now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      const connection = client(gateway.port, gateway.key);
      for (let turn = 0; !stopped; turn++) {
        const inputs = makeCalls(random, CALLS_PER_BATCH, new Date(), 5 * 60_000, `${label}-${c}-${turn}`);
        const start = now();
        const error = await connection.post(JSON.stringify({ query: TRACK, variables: { inputs } }));
        latencies.push(msSince(start));
        if (error) errors.push(error);
      }
      connection.close();
    }),
  );
  const seconds = msSince(began) / 1000;
  latencies.sort((a, b) => a - b);
  return { rowsPerSecond: ((latencies.length - errors.length) * CALLS_PER_BATCH) / seconds, seconds, latencies, errors };
}

const seconds = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/**
 * The dashboard's views as rollups serve them, over fixed whole hours (so that time passing
 * between the two reads changes nothing): totals, cost by model by day, latency percentiles.
 */
function dashboardQueries(from, to) {
  const range = { from: from.toISOString(), to: to.toISOString() };
  const metrics = (query) => `query { usageMetrics(query: ${query}) { source rows { bucket dimensions { value } values { metric value } } } }`;
  const input = (fields) => `{ from: "${range.from}", to: "${range.to}", ${fields} }`;
  return {
    totals: metrics(input('metrics: [REQUESTS, TOTAL_TOKENS, TOTAL_COST, ERROR_RATE, AVG_LATENCY_MS]')),
    costByModelByDay: metrics(input('metrics: [TOTAL_COST, REQUESTS], groupBy: [MODEL], bucket: DAY')),
    percentilesByProvider: metrics(input('metrics: [P50_LATENCY_MS, P95_LATENCY_MS, P99_LATENCY_MS], groupBy: [PROVIDER]')),
    last30Days: metrics(`{ from: "${new Date(to.getTime() - 30 * 24 * HOUR_MS).toISOString()}", to: "${range.to}", metrics: [REQUESTS, TOTAL_COST], groupBy: [AGENT] }`),
  };
}

/** Each view's answer, and the median of `times` timed reads of it. */
async function readDashboard(gql, queries, times = 5) {
  const answers = {};
  const medians = {};
  for (const [name, query] of Object.entries(queries)) {
    const took = [];
    for (let i = 0; i < times; i++) {
      const start = now();
      answers[name] = await gql(query);
      took.push(msSince(start));
    }
    medians[name] = median(took);
  }
  return { answers, medians };
}

export async function benchLifecycle(postgres, { mainCalls = 1_000_000 } = {}) {
  say(`lifecycle: fresh database, gateway process; generating ${fmt(mainCalls, 0)} calls over 90 days (+ ${fmt(mainCalls / 10, 0)} in each of two other workspaces)`);
  const url = await postgres.freshDatabase('lifecycle');
  const gateway = await startGatewayProcess(url, { workspaceName: 'Retained workspace', env: { LIMIT_REQUESTS_PER_SECOND: '0', LIMIT_INGEST_CALLS_PER_SECOND: '0' } });
  const { openDatabase } = server('db/data-source');
  const db = await openDatabase(url, 4);
  await ensureRawMonths(db);
  try {
    const { createWorkspace } = server('workspaces/workspaces.service');
    const platform = server('db/platform-db').platformDb(db);
    const others = [await createWorkspace(platform, 'Second workspace', 'pro'), await createWorkspace(platform, 'Third workspace', 'pro')];
    const end = new Date();
    const generation = await generate(db, [gateway.workspaceId, ...others.map((w) => w.id)], { mainCalls, otherCalls: mainCalls / 10, slices: 10, end });
    say(`lifecycle: data ready in ${fmt(generation.rawSeconds + generation.rollupSeconds + generation.vacuumSeconds)} s`);
    const owner = graphqlClient(gateway.port, gateway.key);
    const gql = owner.gql;
    // Whole hours from before the first call to past the end: ingest during the run lands in the last one, read before and after alike from a fixed end.
    const from = new Date(Math.floor((end.getTime() - 91 * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS);
    const to = new Date(Math.floor(end.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
    const queries = dashboardQueries(from, to);
    const before = await readDashboard(gql, queries);

    say(`lifecycle: ${CLIENTS} ingest clients alone for ${ALONE_SECONDS} s`);
    await ingestUntil(gateway, seconds(3), 'warm-up');
    const alone = await ingestUntil(gateway, seconds(ALONE_SECONDS), 'alone');
    const [{ n: rawBefore }] = await db.query(`SELECT count(*)::int AS n FROM llm_usage`);
    const months = async () => (await db.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'llm_usage'::regclass`))[0].n;
    const monthsBefore = await months();
    say(`lifecycle: ingest alone ${fmt(alone.rowsPerSecond, 0)} rows/s; now a ${RETENTION_DAYS}-day retention with the same clients beside it`);

    const cut = new Date(Math.floor((Date.now() - RETENTION_DAYS * 24 * HOUR_MS) / HOUR_MS) * HOUR_MS);
    const [{ n: toDelete }] = await db.query(`SELECT count(*)::int AS n FROM llm_usage WHERE occurred_at < $1`, [cut]);
    const retentionStart = now();
    // Done once no raw call of the workspace is older than the cut: checked twice a second.
    const retained = (async () => {
      // The others first: the busiest workspace's setRetention starts the run that finds every month past its cut.
      for (const other of others) await platform.query(`UPDATE workspaces SET retention_days = $2, retention_set = true WHERE id = $1`, [other.id, RETENTION_DAYS]);
      await gql(SET_RETENTION, { w: gateway.workspaceId, days: RETENTION_DAYS });
      for (;;) {
        const [{ left }] = await db.query(`SELECT EXISTS (SELECT 1 FROM llm_usage WHERE occurred_at < $1) AS left`, [cut]);
        if (!left) return msSince(retentionStart);
        await seconds(0.5);
      }
    })();
    const during = await ingestUntil(gateway, retained, 'during');
    const retentionMs = await retained;
    const monthsAfter = await months();
    const after = await readDashboard(gql, queries);
    owner.close();

    const identical = JSON.stringify(after.answers) === JSON.stringify(before.answers);
    const p99Ratio = percentile(during.latencies, 0.99) / percentile(alone.latencies, 0.99);
    const pass = p99Ratio <= TARGET_P99_RATIO && identical && during.errors.length === 0 && alone.errors.length === 0;
    const p = (run, q) => fmt(percentile(run.latencies, q), 0);
    const medians = Object.keys(queries)
      .map((name) => `${name} ${fmt(before.medians[name], 0)} → ${fmt(after.medians[name], 0)} ms`)
      .join(', ');
    return {
      name: 'lifecycle',
      pass,
      lines: [
        `lifecycle: a ${RETENTION_DAYS}-day retention over ${fmt(rawBefore, 0)} raw calls of 90 days in 3 workspaces (it deletes ${fmt(toDelete, 0)}), while ${CLIENTS} clients send trackLlmCalls of ${CALLS_PER_BATCH} to the busiest (gateway in its own process)`,
        `  retention            : ${fmt(retentionMs / 1000)} s from setRetention to no raw call before the cut (${fmt(toDelete / (retentionMs / 1000), 0)} calls deleted/s); months of raw calls ${monthsBefore} → ${monthsAfter}`,
        `  ingest alone         : ${fmt(alone.rowsPerSecond, 0)} rows/s over ${fmt(alone.seconds, 0)} s (request p50 ${p(alone, 0.5)} ms, p99 ${p(alone, 0.99)} ms)`,
        `  ingest beside it     : ${fmt(during.rowsPerSecond, 0)} rows/s over ${fmt(during.seconds, 0)} s (request p50 ${p(during, 0.5)} ms, p99 ${p(during, 0.99)} ms)`,
        `  ingest p99 ratio     : ${p99Ratio.toFixed(2)} (target <= ${TARGET_P99_RATIO})  ${verdict(p99Ratio <= TARGET_P99_RATIO)}`,
        `  errors               : ${alone.errors.length + during.errors.length}${during.errors.length ? `  e.g. ${[...new Set(during.errors)].slice(0, 2).join(' | ')}` : ''}`,
        `  dashboard figures    : ${identical ? 'identical before and after' : 'DIFFER'} (${Object.keys(queries).length} views over whole hours)  ${verdict(identical)}`,
        `  dashboard medians    : ${medians}`,
      ],
    };
  } finally {
    await db.destroy();
    await gateway.stop();
  }
}
