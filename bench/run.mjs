// `npm run bench`: runs each benchmark against its baseline in the same run, prints the
// figures with PASS/MISS against the targets, and exits 0 (it reports; it does not gate).
//
//   BENCH_ONLY=ingest|otlp|dashboard|reprice|fanout|load|call-fanout|scale|browser|admin|rules|runs|lifecycle|attribution   run one benchmark
//   BENCH_ATTRIBUTION_CALLS=1000000  calls (over 90 days, 100,000 users, 20 tags) of the attribution benchmark
//   BENCH_RUNS_CALLS=1000000      calls in the busy workspace of the runs benchmark (ten to a run)
//   BENCH_RUNS_TOTAL_CALLS=…      calls of the runs benchmark in all (1.2 × BENCH_RUNS_CALLS; the issue's size: BENCH_RUNS_CALLS=2000000 BENCH_RUNS_TOTAL_CALLS=10000000)
//   BENCH_RUNS_OF=10              generated calls carry an executionId and a workflow, ten calls to a run (ingest, otlp, load)
//   BENCH_ADMIN_WORKSPACES=10000  tenant workspaces (30 calls each) of the admin benchmark's sparse set
//   BENCH_ADMIN_DENSE_CALLS=…     calls in the busy workspace of its dense set (BENCH_CALLS by default; 0 leaves it out)
//   BENCH_CALLS=1000000           calls in the busy workspace of the dashboard, reprice and lifecycle benchmarks
//   BENCH_EXPLAIN=1               print EXPLAIN ANALYZE even when every target is met
//   DATABASE_URL=postgres://…     use that server (fresh databases, dropped after) instead of embedded PostgreSQL
//   BENCH_USE_DIST=1              read server/dist as it is instead of compiling a private copy of server/src
import { cpus, loadavg } from 'node:os';
import { benchAdmin } from './admin.mjs';
import { benchAttribution } from './attribution.mjs';
import { benchDashboard } from './dashboard.mjs';
import { benchIngest } from './ingest.mjs';
import { benchLifecycle } from './lifecycle.mjs';
import { benchBrowser } from './browser.mjs';
import { benchLoad } from './load.mjs';
import { benchOtlp } from './otlp.mjs';
import { benchCallFanout } from './call-fanout.mjs';
import { benchReprice } from './reprice.mjs';
import { benchRules } from './rules.mjs';
import { benchRuns } from './runs.mjs';
import { benchScale } from './scale.mjs';
import { benchSummaryFanout } from './summary-fanout.mjs';
import { say, startPostgres, useOwnBuild } from './support.mjs';

// The gateway is measured as it is deployed (the Dockerfile and npm start run it in production mode).
process.env.NODE_ENV ??= 'production';
const only = process.env.BENCH_ONLY;
const BENCHMARKS = ['ingest', 'otlp', 'dashboard', 'reprice', 'load', 'call-fanout', 'scale', 'fanout', 'browser', 'admin', 'rules', 'runs', 'lifecycle', 'attribution'];
if (only && !BENCHMARKS.includes(only)) {
  console.error(`BENCH_ONLY must be one of ${BENCHMARKS.join(', ')}, but got ${only}`);
  process.exit(1);
}
const explainAlways = process.env.BENCH_EXPLAIN === '1';
const calls = Number(process.env.BENCH_CALLS ?? 1_000_000);
if (!Number.isInteger(calls) || calls < 10_000 || calls % 10 !== 0) {
  console.error(`BENCH_CALLS must be a whole number of at least 10000 that divides by 10, but got ${process.env.BENCH_CALLS}`);
  process.exit(1);
}

const began = Date.now();
const removeBuild = process.env.BENCH_USE_DIST === '1' ? () => undefined : await useOwnBuild();
const postgres = await startPostgres();
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
say(`${cpus().length} cores, load average ${load()} (other work on the machine skews every figure)`);
say(`PostgreSQL ${postgres.version} (${postgres.embedded ? 'embedded, under the system temp folder' : 'DATABASE_URL'})`);
const reports = [];
try {
  if (!only || only === 'ingest') reports.push(await benchIngest(postgres, { explainAlways }));
  if (!only || only === 'otlp') reports.push(await benchOtlp(postgres));
  if (!only || only === 'dashboard') reports.push(await benchDashboard(postgres, { mainCalls: calls, explainAlways }));
  if (!only || only === 'reprice') reports.push(await benchReprice(postgres, { mainCalls: calls }));
  if (!only || only === 'load') reports.push(await benchLoad(postgres));
  if (!only || only === 'call-fanout') reports.push(await benchCallFanout(postgres));
  if (!only || only === 'scale') reports.push(await benchScale(postgres));
  if (!only || only === 'fanout') reports.push(await benchSummaryFanout(postgres));
  if (!only || only === 'browser') reports.push(await benchBrowser());
  if (!only || only === 'admin') {
    const workspaces = Number(process.env.BENCH_ADMIN_WORKSPACES ?? 10_000);
    const denseCalls = Number(process.env.BENCH_ADMIN_DENSE_CALLS ?? calls);
    reports.push(await benchAdmin(postgres, { workspaces, denseCalls, explainAlways }));
  }
  if (!only || only === 'rules') reports.push(await benchRules(postgres));
  if (!only || only === 'runs') {
    const busyCalls = Number(process.env.BENCH_RUNS_CALLS ?? 1_000_000);
    const totalCalls = Number(process.env.BENCH_RUNS_TOTAL_CALLS ?? busyCalls * 1.2);
    reports.push(await benchRuns(postgres, { busyCalls, totalCalls, explainAlways }));
  }
  if (!only || only === 'lifecycle') reports.push(await benchLifecycle(postgres, { mainCalls: calls }));
  if (!only || only === 'attribution') {
    reports.push(await benchAttribution(postgres, { calls: Number(process.env.BENCH_ATTRIBUTION_CALLS ?? 1_000_000), explainAlways }));
  }
} finally {
  await postgres.stop();
  removeBuild();
}

console.log('\n================ results ================');
for (const report of reports) console.log(`${report.lines.join('\n')}\n`);
console.log(`load average at the end: ${load()} on ${cpus().length} cores`);
console.log(`${reports.map((r) => `${r.name}: ${r.pass ? 'PASS' : 'MISS'}`).join(', ')}  (whole run ${((Date.now() - began) / 1000).toFixed(0)} s)`);
process.exit(0);
