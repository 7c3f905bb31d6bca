// Dashboard: the 90-day views of a workspace with 1,000,000 calls (llmUsage, a DAY-bucketed
// usageMetrics, and the cost views), over HTTP through the metrics engine, against the same
// figures computed directly on the raw rows.
import { AGENT_IDS, MODELS, SHARES } from './traffic.mjs';
import { explain, fmt, indent, median, msSince, now, oneLine, recordStatements, say, scopePreamble, server, startBenchGateway, verdict, timeRuns as timed } from './support.mjs';

const TARGET_MEDIAN_MS = 50;
const TARGET_SPEEDUP = 20;
const DAY_MS = 86_400_000;

export const LLM_USAGE = `query Usage {
  llmUsage(period: LAST_90D, groupBy: MODEL) {
    key label requests inputTokens outputTokens totalTokens totalCost avgLatencyMs p95LatencyMs errorCount errorRate
  }
}`;
export const DAILY_METRICS = `query Daily {
  usageMetrics(query: { period: LAST_90D, bucket: DAY, metrics: [TOTAL_COST, REQUESTS, TOTAL_TOKENS, P95_LATENCY_MS], groupBy: [MODEL] }) {
    source
    rows { bucket dimensions { dimension value label } values { metric value } }
  }
}`;

export const RAW_BY_MODEL = `SELECT model_id, sum(request_count)::bigint AS requests, sum(input_tokens)::bigint AS input_tokens,
    sum(output_tokens)::bigint AS output_tokens, sum(input_tokens + output_tokens)::bigint AS total_tokens, sum(total_cost) AS total_cost,
    avg(latency_ms) AS avg_latency, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
    count(*) FILTER (WHERE status = 'ERROR') AS errors
  FROM llm_usage WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3
  GROUP BY model_id ORDER BY total_cost DESC`;
export const RAW_BY_DAY_MODEL = `SELECT date_trunc('day', occurred_at, 'UTC') AS day, model_id, sum(total_cost) AS total_cost,
    sum(request_count)::bigint AS requests, sum(input_tokens + output_tokens)::bigint AS total_tokens,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95
  FROM llm_usage WHERE workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3
  GROUP BY 1, 2 ORDER BY 1, 2`;

/**
 * The cost views (llmSummary, llmCosts DAILY, llmDailyCostByModel, llmCostProjections,
 * llmModelComparison), each with the same figures computed on the raw rows.
 */
const SCOPE = `workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3`;
export const COST_VIEWS = [
  {
    name: 'llmSummary(period: LAST_90D)',
    query: `query Summary { llmSummary(period: LAST_90D) { totalRequests inputTokens outputTokens totalTokens totalCost avgLatencyMs
      p95LatencyMs errorRate byokRequests byokSavings unpricedRequests activeAgents topModel
      trends { requestsChangePct tokensChangePct costChangePct latencyChangePct } } }`,
    rawSql: `SELECT sum(request_count) AS requests, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(total_cost) AS cost,
        avg(latency_ms) AS avg_latency, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
        count(*) FILTER (WHERE status = 'ERROR') AS errors, sum(request_count) FILTER (WHERE is_byok) AS byok_requests,
        sum(total_cost) FILTER (WHERE is_byok) AS byok_cost, count(*) FILTER (WHERE NOT priced) AS unpriced,
        count(DISTINCT agent_id) AS agents,
        (SELECT model_id FROM llm_usage WHERE ${SCOPE} GROUP BY model_id ORDER BY sum(total_cost) DESC LIMIT 1) AS top_model,
        (SELECT sum(total_cost) FROM llm_usage WHERE workspace_id = $1 AND occurred_at >= $2::timestamptz - ($3::timestamptz - $2::timestamptz)
           AND occurred_at < $2) AS previous_cost
      FROM llm_usage WHERE ${SCOPE}`,
  },
  {
    name: 'llmCosts(period: LAST_90D, breakdown: DAILY)',
    query: `query Costs { llmCosts(period: LAST_90D, breakdown: DAILY) { key label requests inputCost outputCost totalCost share } }`,
    rawSql: `SELECT date_trunc('day', occurred_at, 'UTC') AS day, sum(request_count) AS requests, sum(input_cost) AS input_cost,
        sum(output_cost) AS output_cost, sum(total_cost) AS cost, sum(total_cost) / sum(sum(total_cost)) OVER () AS share
      FROM llm_usage WHERE ${SCOPE} GROUP BY 1 ORDER BY cost DESC`,
  },
  {
    name: 'llmDailyCostByModel(period: LAST_90D)',
    query: `query DailyByModel { llmDailyCostByModel(period: LAST_90D) { models series { date total costs { modelId cost } } } }`,
    rawSql: `SELECT date_trunc('day', occurred_at, 'UTC') AS day, model_id, sum(total_cost) AS cost
      FROM llm_usage WHERE ${SCOPE} GROUP BY 1, 2 ORDER BY 1, 3 DESC`,
  },
  {
    name: 'llmCostProjections(period: LAST_90D)',
    query: `query Projection { llmCostProjections(period: LAST_90D) { currentPeriodCost daysWithData dailyAverage projectedMonthlyCost previousPeriodCost changePct } }`,
    rawSql: `SELECT sum(total_cost) AS cost, count(DISTINCT date_trunc('day', occurred_at, 'UTC')) AS days,
        (SELECT sum(total_cost) FROM llm_usage WHERE workspace_id = $1 AND occurred_at >= $2::timestamptz - ($3::timestamptz - $2::timestamptz)
           AND occurred_at < $2) AS previous_cost
      FROM llm_usage WHERE ${SCOPE}`,
  },
  {
    name: 'llmModelComparison(2 models, LAST_90D)',
    query: `query Compare { llmModelComparison(modelIds: ["${MODELS[0].modelId}", "${MODELS[1].modelId}"], period: LAST_90D) {
      modelId provider displayName pricing { inputPerMTok outputPerMTok } contextWindow capabilities requests totalTokens totalCost
      avgCostPerRequest avgLatencyMs p95LatencyMs errorRate } }`,
    rawSql: `SELECT model_id, provider, sum(request_count) AS requests, sum(input_tokens + output_tokens) AS tokens, sum(total_cost) AS cost,
        avg(latency_ms) AS avg_latency, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
        avg((status = 'ERROR')::int) AS error_rate
      FROM llm_usage WHERE ${SCOPE} AND model_id IN ('${MODELS[0].modelId}', '${MODELS[1].modelId}') GROUP BY 1, 2`,
  },
];

/** A standard normal draw in SQL. */
export const NORMAL = 'sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())';
/** The models as a VALUES list: (idx, model_id, provider, in_rate, out_rate, cache_rate, latency_ms). */
export const MODEL_VALUES = MODELS.map(
  (m, i) => `(${i}, '${m.modelId}', '${m.provider}', ${m.input}::numeric, ${m.output}::numeric, ${m.cacheRead}::numeric, ${m.latencyMs})`,
).join(', ');
/** Model index by weight: a random index into this array. */
const WEIGHTED = MODELS.flatMap((m, i) => Array(m.weight).fill(i));
/** From drawn agent_idx, r_own, r_model, n_input, n_output: the call's model, input and output tokens. */
export const SHAPED_COLUMNS = `CASE WHEN agent_idx IS NOT NULL AND r_own < ${SHARES.agentOwnModel} THEN agent_idx % ${MODELS.length}
         ELSE ('{${WEIGHTED.join(',')}}'::int[])[1 + floor(r_model * ${WEIGHTED.length})::int] END AS model_idx,
    least(100000, greatest(1, round(exp(ln(1500) + 0.8 * n_input))))::bigint AS input_tokens,
    least(16000, greatest(1, round(exp(ln(300) + 0.7 * n_output))))::bigint AS output_tokens`;
/** A shaped call's costs at its model's (m) registry rates, priced, and its latency. */
export const PRICED_VALUES = `round(((input_tokens - cache_read) * m.in_rate + cache_read * m.cache_rate) / 1e6, 12),
  round(output_tokens * m.out_rate / 1e6, 12),
  round(((input_tokens - cache_read) * m.in_rate + cache_read * m.cache_rate) / 1e6, 12) + round(output_tokens * m.out_rate / 1e6, 12),
  true, 'REGISTRY', greatest(1, round(m.latency_ms * exp(0.5 * n_latency)))::int`;
/** A shaped call's cached tokens, drawn from r_cache and r_cache_share. */
export const CACHE_READ_JOIN = `CROSS JOIN LATERAL (SELECT CASE WHEN r_cache < ${SHARES.cacheRead} THEN floor(input_tokens * r_cache_share * 0.5)::bigint ELSE 0 END AS cache_read) c`;

/**
 * One slice of generated calls in time order (as ingest would have written them), spread
 * over three workspaces: 10 of every 12 to the first. Costs at the registry rates.
 */
const GENERATE_SQL = `
WITH models(idx, model_id, provider, in_rate, out_rate, cache_rate, latency_ms) AS (VALUES ${MODEL_VALUES})
INSERT INTO llm_usage (workspace_id, occurred_at, model_id, provider, input_tokens, output_tokens, cache_read_tokens,
  input_cost, output_cost, total_cost, priced, price_source, latency_ms, status, error_type, is_byok, agent_id, request_type)
SELECT workspace_id, occurred_at, m.model_id, m.provider, input_tokens, output_tokens, cache_read,
  ${PRICED_VALUES},
  status, CASE WHEN status = 'ERROR' THEN 'rate_limit' END, is_byok,
  CASE WHEN agent_idx IS NULL THEN NULL ELSE 'agent-' || lpad((agent_idx + 1)::text, 2, '0') END, request_type
FROM (
  SELECT *, ${SHAPED_COLUMNS}
  FROM (
    SELECT ($1::uuid[])[CASE WHEN i % 12 < 10 THEN 1 WHEN i % 12 = 10 THEN 2 ELSE 3 END] AS workspace_id,
      $2::timestamptz + random() * ($3::timestamptz - $2::timestamptz) AS occurred_at,
      CASE WHEN random() < ${SHARES.noAgent} THEN NULL ELSE floor(random() * ${AGENT_IDS.length})::int END AS agent_idx,
      random() AS r_own, random() AS r_model, ${NORMAL} AS n_input, ${NORMAL} AS n_output, ${NORMAL} AS n_latency,
      CASE WHEN random() < ${SHARES.error} THEN 'ERROR' ELSE 'SUCCESS' END AS status,
      random() < ${SHARES.byok} AS is_byok,
      CASE WHEN random() < ${SHARES.completion} THEN 'completion' ELSE 'chat' END AS request_type,
      random() AS r_cache, random() AS r_cache_share
    FROM generate_series(1, $4::int) AS i
    OFFSET 0
  ) drawn
  OFFSET 0
) shaped
${CACHE_READ_JOIN}
JOIN models m ON m.idx = model_idx
ORDER BY occurred_at`;

/**
 * Fills three workspaces with generated calls over the 90 days before `end` (10:1:1), their
 * rollups (the ingest's own statements) and their agents, then VACUUM ANALYZE.
 */
export async function generate(db, workspaceIds, { mainCalls, otherCalls, slices, end }) {
  const total = mainCalls + 2 * otherCalls;
  if (mainCalls !== otherCalls * 10) throw new Error('the generator splits calls 10:1:1 over the workspaces');
  const start = new Date(end.getTime() - 90 * DAY_MS + 10 * 60_000);
  const sliceMs = (end.getTime() - start.getTime()) / slices;
  const began = now();
  // Two connections take the slices in turn; each slice seeds its own connection first, so
  // every run generates the same calls.
  let next = 0;
  let done = 0;
  const worker = async () => {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      for (let k = next++; k < slices; k = next++) {
        const from = new Date(start.getTime() + k * sliceMs);
        const to = new Date(start.getTime() + (k + 1) * sliceMs);
        await runner.query('SELECT setseed($1)', [(k + 1) / (slices + 1)]);
        await runner.query(GENERATE_SQL, [workspaceIds, from.toISOString(), to.toISOString(), Math.round(total / slices)]);
        done++;
        say(`dashboard: raw rows ${fmt((done * total) / slices, 0)}/${fmt(total, 0)} (${fmt(msSince(began) / 1000)} s)`);
      }
    } finally {
      await runner.release();
    }
  };
  await Promise.all([worker(), worker()]);
  const rawSeconds = msSince(began) / 1000;

  const rollupBegan = now();
  const { rollupUpsert, ROLLUP_TABLES } = server('ingest/rollup');
  for (const [w, id] of workspaceIds.entries()) {
    // The same statements ingest runs, over this workspace's raw rows; two tables at a time.
    const source = `(SELECT * FROM llm_usage WHERE workspace_id = '${id}') s`;
    for (let t = 0; t < ROLLUP_TABLES.length; t += 2) {
      await Promise.all(ROLLUP_TABLES.slice(t, t + 2).map((table) => db.query(rollupUpsert(table, source))));
    }
    say(`dashboard: rollups built for workspace ${w + 1}/${workspaceIds.length} (${fmt(msSince(rollupBegan) / 1000)} s)`);
  }
  const rollupSeconds = msSince(rollupBegan) / 1000;
  for (const id of workspaceIds) {
    await db.query(
      `INSERT INTO agents (workspace_id, id, name) SELECT $1::uuid, id, 'Agent ' || right(id, 2) FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING`,
      [id, AGENT_IDS],
    );
  }
  const vacuumBegan = now();
  await db.query(`VACUUM ANALYZE llm_usage, ${ROLLUP_TABLES.join(', ')}, agents`);
  const vacuumSeconds = msSince(vacuumBegan) / 1000;
  return { rawSeconds, rollupSeconds, vacuumSeconds, start };
}

const timeRuns = (label, runs, warmup, run) => timed(`dashboard: ${label}`, runs, warmup, run);

const pct = (a, b) => (b === 0 ? 0 : Math.abs(a - b) / b);

export async function benchDashboard(postgres, options = {}) {
  const { mainCalls = 1_000_000, runs = 21, warmup = 3, rawRuns = 5, slices = 10, explainAlways = false } = options;
  const otherCalls = mainCalls / 10;
  say(`dashboard: fresh database; generating ${fmt(mainCalls, 0)} calls over 90 days (+ ${fmt(otherCalls, 0)} in each of two other workspaces)`);
  const url = await postgres.freshDatabase('dashboard');
  const gw = await startBenchGateway(url, { workspaceName: 'Busy workspace', env: { LIMIT_REQUESTS_PER_SECOND: '0' } });
  try {
    const db = gw.dataSource;
    const { createWorkspace } = server('workspaces/workspaces.service');
    const others = [await createWorkspace(db, 'Second workspace', 'pro'), await createWorkspace(db, 'Third workspace', 'pro')];
    const workspaceIds = [gw.workspaceId, ...others.map((w) => w.id)];
    const generation = await generate(db, workspaceIds, { mainCalls, otherCalls, slices, end: new Date() });
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM llm_usage WHERE workspace_id = $1)::int AS raw,
        (SELECT count(*) FROM llm_usage_hourly WHERE workspace_id = $1)::int AS hourly,
        (SELECT count(*) FROM llm_usage_daily WHERE workspace_id = $1)::int AS daily,
        pg_size_pretty(pg_total_relation_size('llm_usage')) AS raw_size,
        pg_size_pretty(pg_total_relation_size('llm_usage_hourly')) AS hourly_size,
        pg_size_pretty(pg_total_relation_size('llm_usage_daily')) AS daily_size`,
      [gw.workspaceId],
    );
    say(
      `dashboard: generated in ${fmt(generation.rawSeconds + generation.rollupSeconds + generation.vacuumSeconds)} s ` +
        `(raw ${fmt(generation.rawSeconds)} s, rollups ${fmt(generation.rollupSeconds)} s, vacuum analyze ${fmt(generation.vacuumSeconds)} s)`,
    );

    // Over HTTP through the gateway, as the dashboard asks.
    let usage;
    let daily;
    const usageMs = await timeRuns('llmUsage over HTTP', runs, warmup, async () => (usage = (await gw.gql(LLM_USAGE)).llmUsage));
    const dailyMs = await timeRuns('usageMetrics DAY over HTTP', runs, warmup, async () => (daily = (await gw.gql(DAILY_METRICS)).usageMetrics));

    // What any request costs: HTTP, authentication, GraphQL parse and validation, no SQL of its own.
    const floorMs = await timeRuns('HTTP floor (query { __typename })', runs, warmup, () => gw.gql('query Floor { __typename }'));

    // The same aggregations straight on the raw rows.
    const range = () => {
      const to = new Date();
      return [gw.workspaceId, new Date(to.getTime() - 90 * DAY_MS).toISOString(), to.toISOString()];
    };
    let rawUsage;
    let rawDaily;
    const rawUsageMs = await timeRuns('raw SQL by model', rawRuns, 1, async () => (rawUsage = await db.query(RAW_BY_MODEL, range())));
    const rawDailyMs = await timeRuns('raw SQL by day and model', rawRuns, 1, async () => (rawDaily = await db.query(RAW_BY_DAY_MODEL, range())));

    // Same answers? Sums exact, p95 from histograms within 5% of percentile_cont.
    const rawByModel = new Map(rawUsage.map((r) => [r.model_id, r]));
    const usageRequests = usage.reduce((s, g) => s + g.requests, 0);
    const rawRequests = rawUsage.reduce((s, r) => s + Number(r.requests), 0);
    const usageP95Error = Math.max(...usage.map((g) => pct(g.p95LatencyMs, Number(rawByModel.get(g.key)?.p95 ?? 0))));
    const usageCostError = Math.max(...usage.map((g) => pct(g.totalCost, Number(rawByModel.get(g.key)?.total_cost ?? 0))));
    const rawByDay = new Map(rawDaily.map((r) => [`${new Date(r.day).toISOString()}|${r.model_id}`, r]));
    const value = (row, metric) => row.values.find((v) => v.metric === metric).value;
    const dailyRequests = daily.rows.reduce((s, row) => s + value(row, 'REQUESTS'), 0);
    const dailyP95Error = Math.max(
      ...daily.rows.map((row) => pct(value(row, 'P95_LATENCY_MS'), Number(rawByDay.get(`${row.bucket}|${row.dimensions[0].value}`)?.p95 ?? 0))),
    );

    const results = [
      { name: 'llmUsage(period: LAST_90D, groupBy: MODEL)', http: median(usageMs), raw: median(rawUsageMs), min: Math.min(...usageMs), query: LLM_USAGE, rawSql: RAW_BY_MODEL },
      {
        name: 'usageMetrics(LAST_90D, bucket DAY, groupBy MODEL, 4 metrics)',
        http: median(dailyMs),
        raw: median(rawDailyMs),
        min: Math.min(...dailyMs),
        query: DAILY_METRICS,
        rawSql: RAW_BY_DAY_MODEL,
      },
    ];
    for (const view of COST_VIEWS) {
      const httpMs = await timeRuns(`${view.name} over HTTP`, runs, warmup, () => gw.gql(view.query));
      const rawMs = await timeRuns(`${view.name} on raw rows`, rawRuns, 1, () => db.query(view.rawSql, range()));
      results.push({ ...view, http: median(httpMs), raw: median(rawMs), min: Math.min(...httpMs) });
    }
    for (const r of results) Object.assign(r, { speedup: r.raw / r.http, fast: r.http < TARGET_MEDIAN_MS, ratioOk: r.raw / r.http >= TARGET_SPEEDUP });

    const lines = [
      `dashboard: workspace with ${fmt(counts.raw, 0)} calls over 90 days (+ ${fmt(otherCalls, 0)} in each of two others); ` +
        `its rollups: ${fmt(counts.hourly, 0)} hourly rows, ${fmt(counts.daily, 0)} daily rows`,
      `  table sizes (all workspaces): llm_usage ${counts.raw_size}, llm_usage_hourly ${counts.hourly_size}, llm_usage_daily ${counts.daily_size}`,
      `  generation: ${fmt(generation.rawSeconds)} s raw rows (SQL), ${fmt(generation.rollupSeconds)} s rollups (rollupUpsert), ` +
        `${fmt(generation.vacuumSeconds)} s VACUUM ANALYZE`,
    ];
    for (const r of results) {
      lines.push(
        `  ${r.name}`,
        `    HTTP median ${fmt(r.http)} ms (${runs} runs after ${warmup} warm-up; min ${fmt(r.min)} ms)` +
          ` target < ${TARGET_MEDIAN_MS} ms  ${verdict(r.fast)}`,
        `    raw SQL median ${fmt(r.raw)} ms (${rawRuns} runs, percentile_cont on llm_usage)`,
        `    speedup ${fmt(r.speedup)}x  target >= ${TARGET_SPEEDUP}x  ${verdict(r.ratioOk)}`,
      );
    }
    lines.push(
      `  HTTP floor: query { __typename } median ${fmt(median(floorMs))} ms (auth, GraphQL, HTTP; no SQL of its own)`,
      `  answers agree: llmUsage requests ${fmt(usageRequests, 0)} vs raw ${fmt(rawRequests, 0)}; ` +
        `daily rows ${daily.rows.length} (source ${daily.source}) vs raw ${rawDaily.length}, requests ${fmt(dailyRequests, 0)}`,
      `  largest differences from raw: cost by model ${(usageCostError * 100).toFixed(4)}%, ` +
        `p95 by model ${(usageP95Error * 100).toFixed(2)}%, p95 by day and model ${(dailyP95Error * 100).toFixed(2)}%`,
    );

    // Where the HTTP time goes: the statements the engine sends, each timed.
    const pass = results.every((r) => r.fast && r.ratioOk);
    for (const r of results) {
      const traced = await recordStatements(() => gw.gql(r.query));
      const dbMs = traced.statements.reduce((s, x) => s + x.ms, 0);
      lines.push(`  ${r.name}: one traced run sends ${traced.statements.length} statements, ${fmt(dbMs)} ms in SQL:`);
      for (const s of traced.statements) lines.push(`    ${fmt(s.ms).padStart(8)} ms  ${oneLine(s.text, 130)}`);
      if (!pass || explainAlways) {
        for (const [i, s] of traced.statements.entries()) {
          if (!/llm_usage/.test(s.text) || /^\s*EXPLAIN/i.test(s.text)) continue;
          const preamble = scopePreamble(traced.statements, i);
          lines.push(
            `    EXPLAIN ANALYZE${preamble ? ' (in the request scope)' : ''} of ${oneLine(s.text, 80)}:`,
            indent(await explain(db, s.text, s.params, preamble), '      '),
          );
        }
      }
    }
    if (!pass || explainAlways) {
      for (const r of results) lines.push(`  EXPLAIN ANALYZE of the raw baseline for ${r.name}:`, indent(await explain(db, r.rawSql, range()), '      '));
    }
    return { name: 'dashboard', pass, lines };
  } finally {
    await gw.stop();
  }
}
