// Runs: the runs list in each order, one run of 30 calls, workflowStats and agentAnalytics over
// HTTP, on a workspace whose calls are grouped ten to a run, with the runs table built by the
// same grouping ingest makes; each against the same figures computed on the raw rows.
import { CACHE_READ_JOIN, MODEL_VALUES, NORMAL, PRICED_VALUES, SHAPED_COLUMNS } from './dashboard.mjs';
import { AGENT_IDS, SHARES } from './traffic.mjs';
import { fmt, median, msSince, now, say, server, startBenchGateway, verdict, timeRuns as timed, tracedLines } from './support.mjs';

const TARGETS = { page: 50, run: 20, workflows: 50, agents: 100 };
const WORKFLOWS = ['nightly report', 'ticket triage', 'research', 'lead enrichment', 'code review'];

const PAGE = (order) => `query Page { runs(period: LAST_90D, orderBy: ${order}, limit: 50) {
  runs { id workflow startedAt endedAt durationMs callCount inputTokens outputTokens totalCost errorCount status models agents { id name } } nextCursor } }`;
const RUN = `query Run { run(id: "bench-thirty") { id workflow startedAt durationMs callCount totalCost status models agents { id name }
  calls { id occurredAt modelId inputTokens outputTokens totalCost latencyMs status errorType } } }`;
const WORKFLOW_STATS = `query Workflows { workflowStats(period: LAST_90D) { workflow runs successRate avgDurationMs p95DurationMs totalCost costPerRun } }`;
const AGENT_ANALYTICS = `query Agents { agentAnalytics(period: LAST_30D) { agent { id name } requests totalCost totalTokens errorRate p95LatencyMs runs lastCallAt
  models { key requests totalCost } dailyCost { date cost } } }`;

const RAW_RUNS_BY_START = `SELECT execution_id, min(occurred_at - latency_ms * interval '1 millisecond') AS started_at, sum(total_cost) AS cost
  FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 50`;
const RAW_WORKFLOWS = `SELECT workflow, count(*), percentile_cont(0.95) WITHIN GROUP (ORDER BY d) FROM (
    SELECT execution_id, min(workflow) AS workflow, extract(epoch FROM max(occurred_at) - min(occurred_at - latency_ms * interval '1 millisecond')) AS d
    FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY 1) r GROUP BY 1`;

const timeRuns = (label, runs, warmup, run) => timed(`runs: ${label}`, runs, warmup, run);

const DAY_MS = 86_400_000;
const CALLS_PER_RUN = 10;

/**
 * Runs $4 … $5 − 1 of workspace $1, ten calls each, written straight from generate_series: run r
 * of the workspace's $6 starts at an even step through [$2, $3), its calls 20 s apart, each
 * run one workflow and (mostly) one agent; models, tokens, latency, errors and BYOK drawn as the
 * dashboard bench draws them, costs at the registry rates.
 */
const GENERATE_RUNS_SQL = `
WITH models(idx, model_id, provider, in_rate, out_rate, cache_rate, latency_ms) AS (VALUES ${MODEL_VALUES})
INSERT INTO llm_usage (workspace_id, occurred_at, model_id, provider, input_tokens, output_tokens, cache_read_tokens,
  input_cost, output_cost, total_cost, priced, price_source, latency_ms, status, error_type, is_byok, agent_id, request_type, execution_id, workflow)
SELECT $1::uuid, occurred_at, m.model_id, m.provider, input_tokens, output_tokens, cache_read,
  ${PRICED_VALUES},
  status, CASE WHEN status = 'ERROR' THEN 'rate_limit' END, is_byok,
  CASE WHEN agent_idx IS NULL THEN NULL ELSE 'agent-' || lpad((agent_idx + 1)::text, 2, '0') END, 'chat',
  'run-' || r, ('{${WORKFLOWS.map((w) => `"${w}"`).join(',')}}'::text[])[1 + r % ${WORKFLOWS.length}]
FROM (
  SELECT *, ${SHAPED_COLUMNS}
  FROM (
    SELECT r, $2::timestamptz + (r + 0.5) * (($3::timestamptz - $2::timestamptz) / $6::int) + k * interval '20 seconds' AS occurred_at,
      CASE WHEN (r::bigint * 7919) % 100 < ${SHARES.noAgent * 100} THEN NULL ELSE ((r::bigint * 104729) % ${AGENT_IDS.length})::int END AS agent_idx,
      random() AS r_own, random() AS r_model, ${NORMAL} AS n_input, ${NORMAL} AS n_output, ${NORMAL} AS n_latency,
      CASE WHEN random() < ${SHARES.error} THEN 'ERROR' ELSE 'SUCCESS' END AS status,
      random() < ${SHARES.byok} AS is_byok, random() AS r_cache, random() AS r_cache_share
    FROM generate_series($4::int, $5::int - 1) AS r, generate_series(0, ${CALLS_PER_RUN - 1}) AS k
    OFFSET 0
  ) drawn
  OFFSET 0
) shaped
${CACHE_READ_JOIN}
JOIN models m ON m.idx = model_idx
ORDER BY occurred_at`;

/** A rollup's rows summed into a coarser one (fewer keys or a day's grain), in plain SQL. */
function sumRollup(from, to, grain, keys, columns) {
  return `INSERT INTO ${to} (workspace_id, start_at, ${keys.join(', ')}, ${columns.join(', ')})
    SELECT workspace_id, date_trunc('${grain}', start_at, 'UTC'), ${keys.join(', ')}, ${columns.map((c) => `sum(${c})`).join(', ')}
    FROM ${from} WHERE workspace_id = $1 GROUP BY 1, 2, ${keys.map((_, i) => i + 3).join(', ')}`;
}

/** Calls per workspace: `busyCalls` in the first, the rest of `totalCalls` over others of at most half as many each. */
export function workspaceSizes(busyCalls, totalCalls) {
  const rest = totalCalls - busyCalls;
  const others = Math.ceil(rest / (busyCalls / 2));
  return [busyCalls, ...Array.from({ length: others }, (_, i) => Math.floor(((i + 1) * rest) / others) - Math.floor((i * rest) / others))];
}

/**
 * The workspaces' calls, runs and rollups over the 90 days before `end`, ten calls to a run: raw
 * rows from generate_series (two connections taking slices of 20,000 runs in turn), the hourly
 * rollups from the raw rows with the ingest's own statement (after `afterRaw` has changed them) and the coarser ones summed from
 * those, the runs table grouped from the raw rows as ingest groups them, then VACUUM ANALYZE.
 */
async function generateRuns(db, workspaceIds, sizes, end, afterRaw) {
  const start = new Date(end.getTime() - 90 * DAY_MS + 10 * 60_000);
  const jobs = [];
  for (const [w, id] of workspaceIds.entries()) {
    const runs = Math.floor(sizes[w] / CALLS_PER_RUN);
    const slices = Math.max(1, Math.ceil(runs / 20_000));
    for (let k = 0; k < slices; k++) jobs.push({ id, runs, from: Math.floor((k * runs) / slices), to: Math.floor(((k + 1) * runs) / slices) });
  }
  const total = jobs.reduce((sum, j) => sum + (j.to - j.from) * CALLS_PER_RUN, 0);
  const inTurns = async (work, label) => {
    const began = now();
    let next = 0;
    let done = 0;
    const worker = async () => {
      const runner = db.createQueryRunner();
      await runner.connect();
      try {
        for (let j = next++; j < work.length; j = next++) {
          await work[j](runner, j);
          done++;
          if (done % 10 === 0 || done === work.length) say(`runs: ${label} ${done}/${work.length} (${fmt(msSince(began) / 1000)} s)`);
        }
      } finally {
        await runner.release();
      }
    };
    await Promise.all([worker(), worker()]);
    return msSince(began) / 1000;
  };
  const rawSeconds = await inTurns(
    jobs.map((job) => async (runner, j) => {
      await runner.query('SELECT setseed($1)', [(j + 1) / (jobs.length + 1)]);
      await runner.query(GENERATE_RUNS_SQL, [job.id, start.toISOString(), end.toISOString(), job.from, job.to, job.runs]);
    }),
    'raw row slices',
  );
  await afterRaw();
  const { rollupUpsert, ROLLUP_LEVELS, SUMMED_COLUMNS, HISTOGRAM_COLUMNS } = server('ingest/rollup');
  const { DURATION_BUCKET_SQL } = server('runs/run-upsert');
  const hourly = ROLLUP_LEVELS.filter((l) => l.grain === 'hour');
  const rollupSeconds = await inTurns(
    workspaceIds.map((id) => async (runner) => {
      const source = `(SELECT * FROM llm_usage WHERE workspace_id = '${id}') s`;
      // Raw rows are read once per hourly rollup no other holds; every other rollup sums a finer one.
      const built = [];
      for (const level of [...hourly, ...ROLLUP_LEVELS.filter((l) => l.grain === 'day')]) {
        const finer = built.filter((b) => level.keys.every((k) => b.keys.includes(k))).sort((a, b) => a.keys.length - b.keys.length)[0];
        if (finer) await runner.query(sumRollup(finer.table, level.table, level.grain, level.keys, [...SUMMED_COLUMNS, ...HISTOGRAM_COLUMNS]), [id]);
        else await runner.query(rollupUpsert(level.table, source));
        if (level.grain === 'hour') built.push(level);
      }
    }),
    'workspaces rolled up',
  );
  const runsSeconds = await inTurns(
    workspaceIds.map((id) => async (runner) => {
      await runner.query(
        `INSERT INTO runs (workspace_id, execution_id, workflow, started_at, ended_at, calls, errors, input_tokens, output_tokens, total_cost, agent_ids, models)
        SELECT workspace_id, execution_id, (array_agg(workflow ORDER BY id) FILTER (WHERE workflow IS NOT NULL))[1],
          min(occurred_at - coalesce(latency_ms, 0) * interval '1 millisecond'), max(occurred_at),
          count(*), count(*) FILTER (WHERE status = 'ERROR'), sum(input_tokens), sum(output_tokens), sum(total_cost),
          coalesce(array_agg(DISTINCT agent_id) FILTER (WHERE agent_id IS NOT NULL), '{}'), array_agg(DISTINCT model_id)
        FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY workspace_id, execution_id`,
        [id],
      );
      // The workflows' and agents' days, as the migration that made them fills them from the runs.
      await runner.query(
        `INSERT INTO workflow_run_days (workspace_id, day, workflow, runs, succeeded, duration_ms, total_cost, ${HISTOGRAM_COLUMNS.join(', ')})
        SELECT workspace_id, date_trunc('day', started_at, 'UTC'), workflow, count(*), count(*) FILTER (WHERE errors = 0),
          sum(extract(epoch FROM ended_at - started_at) * 1000), sum(total_cost), ${HISTOGRAM_COLUMNS.map((_, i) => `count(*) FILTER (WHERE b = ${i})`).join(', ')}
        FROM (SELECT *, ${DURATION_BUCKET_SQL('ended_at - started_at')} AS b FROM runs WHERE workspace_id = $1 AND workflow IS NOT NULL OFFSET 0) r
        GROUP BY 1, 2, 3`,
        [id],
      );
      await runner.query(
        `INSERT INTO agent_run_days (workspace_id, day, agent_id, runs)
        SELECT workspace_id, date_trunc('day', started_at, 'UTC'), agent_id, count(*) FROM runs CROSS JOIN LATERAL unnest(agent_ids) AS agent_id
        WHERE workspace_id = $1 GROUP BY 1, 2, 3`,
        [id],
      );
    }),
    'workspaces grouped into runs',
  );
  for (const id of workspaceIds) {
    await db.query(
      `INSERT INTO agents (workspace_id, id, name) SELECT $1::uuid, id, 'Agent ' || right(id, 2) FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING`,
      [id, AGENT_IDS],
    );
  }
  const vacuumBegan = now();
  await db.query(`VACUUM ANALYZE llm_usage, runs, workflow_run_days, agent_run_days, agents, ${ROLLUP_LEVELS.map((l) => l.table).join(', ')}`);
  return { rawSeconds, rollupSeconds, runsSeconds, vacuumSeconds: msSince(vacuumBegan) / 1000, total };
}

export async function benchRuns(postgres, options = {}) {
  const { busyCalls = 1_000_000, totalCalls = 1_200_000, runs = 21, warmup = 3, explainAlways = false } = options;
  const sizes = workspaceSizes(busyCalls, totalCalls);
  say(`runs: fresh database; generating ${fmt(totalCalls, 0)} calls over 90 days in ${sizes.length} workspaces (${fmt(busyCalls, 0)} in the busiest), ten to a run`);
  const url = await postgres.freshDatabase('runs');
  const gw = await startBenchGateway(url, { workspaceName: 'Busy workspace', env: { LIMIT_REQUESTS_PER_SECOND: '0' } });
  try {
    const db = gw.dataSource;
    const { createWorkspace } = server('workspaces/workspaces.service');
    const others = [];
    for (let i = 1; i < sizes.length; i++) others.push(await createWorkspace(db, `Workspace ${i + 1}`, 'pro'));
    const workspaceIds = [gw.workspaceId, ...others.map((w) => w.id)];
    const loadBegan = now();
    // The busy workspace's latest 30 calls make one run of 30.
    const generation = await generateRuns(db, workspaceIds, sizes, new Date(), () =>
      db.query(
        `UPDATE llm_usage SET execution_id = 'bench-thirty' WHERE workspace_id = $1 AND id IN (SELECT id FROM llm_usage WHERE workspace_id = $1 ORDER BY occurred_at DESC LIMIT 30)`,
        [gw.workspaceId],
      ),
    );
    const loadSeconds = msSince(loadBegan) / 1000;
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM llm_usage WHERE workspace_id = $1)::int AS raw, (SELECT count(*) FROM runs WHERE workspace_id = $1)::int AS runs,
        (SELECT count(*) FROM llm_usage)::int AS all_calls, (SELECT count(*) FROM runs)::int AS all_runs, pg_size_pretty(pg_total_relation_size('runs')) AS runs_size,
        pg_size_pretty(pg_database_size(current_database())) AS db_size`,
      [gw.workspaceId],
    );
    say(`runs: ${fmt(counts.all_calls, 0)} calls in ${fmt(counts.all_runs, 0)} runs loaded in ${fmt(loadSeconds)} s`);

    const results = [];
    const measure = async (name, query, target, check) => {
      let answer;
      const times = await timeRuns(name, runs, warmup, async () => (answer = await gw.gql(query)));
      results.push({ name, query, target, http: median(times), min: Math.min(...times), note: check(answer) });
    };
    for (const order of ['STARTED_AT', 'COST', 'DURATION', 'CALLS']) {
      await measure(`runs(LAST_90D, orderBy: ${order}, limit: 50) first page`, PAGE(order), TARGETS.page, (a) => `${a.runs.runs.length} runs`);
    }
    await measure('run(id) of 30 calls, with its calls and agents', RUN, TARGETS.run, (a) => `${a.run.callCount} calls, ${a.run.calls.length} listed`);
    await measure('workflowStats(LAST_90D)', WORKFLOW_STATS, TARGETS.workflows, (a) => `${a.workflowStats.length} workflows, ${fmt(a.workflowStats.reduce((s, w) => s + w.runs, 0), 0)} runs`);
    await measure('agentAnalytics(LAST_30D)', AGENT_ANALYTICS, TARGETS.agents, (a) => `${a.agentAnalytics.length} agents, ${a.agentAnalytics[0]?.dailyCost.length} days each`);

    const range = [gw.workspaceId];
    const rawStart = await timeRuns('raw SQL: first page by start', 3, 1, () => db.query(RAW_RUNS_BY_START, range));
    const rawWorkflows = await timeRuns('raw SQL: workflow stats', 3, 1, () => db.query(RAW_WORKFLOWS, range));

    const lines = [
      `runs: ${fmt(counts.all_calls, 0)} calls in ${fmt(counts.all_runs, 0)} runs over ${sizes.length} workspaces (database ${counts.db_size}, runs table ${counts.runs_size}); the busiest has ${fmt(counts.raw, 0)} calls in ${fmt(counts.runs, 0)} runs over 90 days`,
      `  load: ${fmt(loadSeconds)} s in all: ${fmt(generation.rawSeconds)} s raw rows (generate_series), ${fmt(generation.rollupSeconds)} s rollups, ${fmt(generation.runsSeconds)} s runs, ${fmt(generation.vacuumSeconds)} s VACUUM ANALYZE`,
    ];
    for (const r of results) {
      r.fast = r.http < r.target;
      lines.push(`  ${r.name}: HTTP median ${fmt(r.http)} ms (${runs} runs after ${warmup} warm-up; min ${fmt(r.min)} ms; ${r.note}) target < ${r.target} ms  ${verdict(r.fast)}`);
    }
    lines.push(
      `  baseline on raw rows: first page by start ${fmt(median(rawStart))} ms, workflow stats ${fmt(median(rawWorkflows))} ms (3 runs each)`,
    );
    const pass = results.every((r) => r.fast);
    for (const r of results) {
      if (r.fast && !explainAlways) continue;
      lines.push(...(await tracedLines(gw, db, r.name, r.query, /FROM runs|llm_usage/)));
    }
    return { name: 'runs', pass, lines };
  } finally {
    await gw.stop();
  }
}
