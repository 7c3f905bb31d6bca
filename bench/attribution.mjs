// Attribution: the costliest users, cost by tag and a metadata filter over HTTP on a workspace of
// BENCH_ATTRIBUTION_CALLS calls (1,000,000 by default) over 90 days for 100,000 users and 20 tags,
// each against the same figures computed on the raw rows; and what userId, sessionId, tags and
// metadata cost ingest (calls with them against the same calls without, interleaved).
import { makeCalls, seeded } from './traffic.mjs';
import { fmt, interleaved, median, msSince, now, say, server, startBenchGateway, timeRuns, tracedLines, verdict } from './support.mjs';

const TARGETS = { topUsers: 100, byTag: 50, metadata: 500 };
const USERS = 100_000;
const TAGS = 20;
const FEATURES = ['search', 'chat', 'summarize', 'extract', 'classify', 'translate', 'code', 'rag'];
const BATCH = 1000;

const TOP_USERS = `query TopUsers { usageMetrics(query: { period: LAST_90D, metrics: [TOTAL_COST, REQUESTS], groupBy: [USER], orderBy: TOTAL_COST, limit: 20 }) {
  source rows { dimensions { value label } values { metric value } } } }`;
const BY_TAG = `query ByTag { usageMetrics(query: { period: LAST_90D, metrics: [TOTAL_COST, REQUESTS], groupBy: [TAG] }) {
  source overlapping rows { dimensions { value label } values { metric value } } } }`;
const METADATA = `query Feature { usageMetrics(query: { period: LAST_30D, metrics: [TOTAL_COST, REQUESTS, TOTAL_TOKENS], groupBy: [MODEL],
  filter: { metadata: [{ key: "feature", value: "search" }] } }) { source rows { dimensions { value } values { metric value } } } }`;

const RANGE = `workspace_id = $1 AND occurred_at >= $2 AND occurred_at < $3`;
const RAW_TOP_USERS = `SELECT coalesce(user_id, '') AS user_id, sum(total_cost) AS cost, sum(request_count) AS requests
  FROM llm_usage WHERE ${RANGE} GROUP BY 1 ORDER BY 2 DESC LIMIT 20`;
const RAW_BY_TAG = `SELECT tag, sum(total_cost) AS cost, sum(request_count) AS requests
  FROM llm_usage, unnest(CASE WHEN cardinality(tags) = 0 THEN ARRAY[''] ELSE tags END) AS t(tag) WHERE ${RANGE} GROUP BY 1`;
const RAW_METADATA = `SELECT model_id, sum(total_cost) AS cost, sum(request_count) AS requests, sum(input_tokens + output_tokens) AS tokens
  FROM llm_usage WHERE ${RANGE} AND metadata ->> 'feature' = 'search' GROUP BY 1`;

const TAG = (index) => `'tag-' || lpad((${index})::text, 2, '0')`;
/**
 * One slice of calls in time order, all of one workspace: users drawn with a long tail (user k
 * about as likely as 1/sqrt(k), one call in twenty without a user), 0 to 2 of 20 tags, a feature,
 * plan and region in metadata. Costs and latencies as the dashboard benchmark's calls.
 */
const GENERATE_SQL = `
INSERT INTO llm_usage (workspace_id, occurred_at, model_id, provider, input_tokens, output_tokens, input_cost, output_cost, total_cost,
  priced, price_source, latency_ms, status, is_byok, request_type, user_id, session_id, tags, metadata)
SELECT $1::uuid, occurred_at, model_id, provider, input_tokens, output_tokens, input_tokens * in_rate / 1e6, output_tokens * out_rate / 1e6,
  input_tokens * in_rate / 1e6 + output_tokens * out_rate / 1e6, true, 'REGISTRY', latency_ms, status, false, 'chat',
  CASE WHEN r_user < 0.05 THEN NULL ELSE 'user-' || lpad(floor(${USERS} * power(random(), 2))::text, 6, '0') END,
  'sess-' || floor(random() * 1e7)::text,
  CASE WHEN r_tags < 0.2 THEN '{}'::text[] WHEN r_tags < 0.6 THEN ARRAY[${TAG('1 + tag_a')}]
       ELSE ARRAY[${TAG('1 + tag_a')}, ${TAG(`1 + (tag_a + 1 + floor(random() * ${TAGS - 1})::int) % ${TAGS}`)}] END,
  jsonb_build_object('feature', ('{${FEATURES.join(',')}}'::text[])[1 + floor(random() * ${FEATURES.length})::int],
    'plan', ('{free,pro,enterprise}'::text[])[1 + floor(random() * 3)::int], 'region', ('{eu,us,apac}'::text[])[1 + floor(random() * 3)::int])
FROM (
  SELECT $2::timestamptz + random() * ($3::timestamptz - $2::timestamptz) AS occurred_at,
    m.model_id, m.provider, m.in_rate, m.out_rate,
    greatest(1, round(exp(ln(1500) + 0.8 * n1)))::bigint AS input_tokens, greatest(1, round(exp(ln(300) + 0.7 * n2)))::bigint AS output_tokens,
    greatest(1, round(m.latency_ms * exp(0.5 * n1)))::int AS latency_ms,
    CASE WHEN random() < 0.03 THEN 'ERROR' ELSE 'SUCCESS' END AS status,
    random() AS r_user, random() AS r_tags, floor(power(random(), 1.5) * ${TAGS})::int AS tag_a
  FROM (SELECT floor(random() * 3)::int AS model, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS n1,
      sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS n2 FROM generate_series(1, $4::int)) g
  JOIN (VALUES (0, 'gpt-4o', 'openai', 2.5, 10.0, 1400), (1, 'gpt-4o-mini', 'openai', 0.15, 0.6, 700), (2, 'gemini-2.5-flash', 'google', 0.3, 2.5, 800))
    AS m(idx, model_id, provider, in_rate, out_rate, latency_ms) ON m.idx = g.model
  ORDER BY 1
) calls`;

async function generate(db, workspaceId, calls, end, slices = 10) {
  const start = new Date(end.getTime() - 90 * 86_400_000 + 10 * 60_000);
  const sliceMs = (end.getTime() - start.getTime()) / slices;
  const began = now();
  let next = 0;
  const worker = async () => {
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      for (let k = next++; k < slices; k = next++) {
        await runner.query('SELECT setseed($1)', [(k + 1) / (slices + 1)]);
        const from = new Date(start.getTime() + k * sliceMs);
        await runner.query(GENERATE_SQL, [workspaceId, from.toISOString(), new Date(from.getTime() + sliceMs).toISOString(), Math.round(calls / slices)]);
        say(`attribution: raw rows, slice ${k + 1}/${slices} (${fmt(msSince(began) / 1000)} s)`);
      }
    } finally {
      await runner.release();
    }
  };
  await Promise.all([worker(), worker()]);
  const rawSeconds = msSince(began) / 1000;
  const rollupBegan = now();
  const { rollupUpsert, ROLLUP_TABLES } = server('ingest/rollup');
  for (let t = 0; t < ROLLUP_TABLES.length; t += 2) {
    // The statements ingest runs, over the raw rows; two tables at a time.
    await Promise.all(ROLLUP_TABLES.slice(t, t + 2).map((table) => db.query(rollupUpsert(table, 'llm_usage'))));
  }
  // Each user's totals over all time, with ingest's statement too.
  await db.query(server('metrics/user-totals').userTotalsUpsert('llm_usage', 'true'));
  const rollupSeconds = msSince(rollupBegan) / 1000;
  await db.query(`VACUUM ANALYZE llm_usage, user_totals, ${ROLLUP_TABLES.join(', ')}`);
  return { rawSeconds, rollupSeconds, start };
}

/** trackLlmCalls throughput of calls with userId, sessionId, tags and metadata against the same calls without them. */
async function ingestCost(postgres, { batches, warmup }) {
  const url = await postgres.freshDatabase('attribution_ingest');
  const gw = await startBenchGateway(url, { env: { LIMIT_INGEST_CALLS_PER_SECOND: '0' } });
  try {
    const random = seeded(7);
    const at = new Date();
    const prepared = Array.from({ length: warmup + batches }, (_, b) => {
      const calls = makeCalls(random, BATCH, at, 5 * 60_000, `plain-${b}`);
      const attributed = calls.map((c, i) => ({
        ...c,
        eventId: `attributed-${b}-${i}`,
        userId: `user-${String(Math.floor(USERS * random() ** 2)).padStart(6, '0')}`,
        sessionId: `sess-${Math.floor(random() * 1e7)}`,
        tags: random() < 0.2 ? [] : [`tag-${String(1 + Math.floor(random() * TAGS)).padStart(2, '0')}`, ...(random() < 0.5 ? ['prod'] : [])],
        metadata: { feature: FEATURES[Math.floor(random() * FEATURES.length)], plan: 'pro', region: 'eu' },
      }));
      const body = (inputs) => JSON.stringify({ query: `mutation T($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }`, variables: { inputs } });
      return { plain: body(calls), attributed: body(attributed) };
    });
    const send = (kind) => async (batch) => {
      const start = now();
      const data = await gw.post(batch[kind]);
      if (data.trackLlmCalls.accepted !== BATCH) throw new Error(`the gateway accepted ${data.trackLlmCalls.accepted} of ${BATCH} ${kind} calls`);
      return msSince(start);
    };
    const { gatewayMs, baselineMs } = await interleaved(prepared, warmup, send('attributed'), send('plain'), (done) => say(`attribution: ingest ${done}/${batches} batch pairs`));
    const sum = (a) => a.reduce((s, v) => s + v, 0);
    return { withRate: (batches * BATCH) / (sum(gatewayMs) / 1000), withoutRate: (batches * BATCH) / (sum(baselineMs) / 1000), withMs: gatewayMs, withoutMs: baselineMs };
  } finally {
    await gw.stop();
  }
}

export async function benchAttribution(postgres, options = {}) {
  const { calls = 1_000_000, runs = 21, warmup = 3, rawRuns = 5, ingestBatches = 20, explainAlways = false } = options;
  say(`attribution: fresh database; generating ${fmt(calls, 0)} calls over 90 days for ${fmt(USERS, 0)} users and ${TAGS} tags`);
  const url = await postgres.freshDatabase('attribution');
  const gw = await startBenchGateway(url, { workspaceName: 'Attributed workspace', env: { LIMIT_REQUESTS_PER_SECOND: '0' } });
  try {
    const db = gw.dataSource;
    const end = new Date();
    const generation = await generate(db, gw.workspaceId, calls, end);
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM llm_usage)::int AS raw, (SELECT count(DISTINCT user_id) FROM llm_usage)::int AS users,
        (SELECT count(*) FROM llm_usage_daily_user)::int AS user_rows, (SELECT count(*) FROM llm_usage_daily_tag)::int AS tag_rows,
        pg_size_pretty(pg_total_relation_size('llm_usage')) AS raw_size, pg_size_pretty(pg_total_relation_size('llm_usage_daily_user')) AS user_size,
        pg_size_pretty(pg_total_relation_size('llm_usage_hourly_tag') + pg_total_relation_size('llm_usage_daily_tag')) AS tag_size`,
    );
    say(`attribution: ${fmt(counts.raw, 0)} calls, ${fmt(counts.users, 0)} users, ${fmt(counts.user_rows, 0)} daily user rows`);

    const views = [
      { name: 'top 20 users by cost, LAST_90D', query: TOP_USERS, rawSql: RAW_TOP_USERS, days: 90, target: TARGETS.topUsers },
      { name: 'cost by tag, LAST_90D', query: BY_TAG, rawSql: RAW_BY_TAG, days: 90, target: TARGETS.byTag },
      { name: 'feature = search by model, LAST_30D', query: METADATA, rawSql: RAW_METADATA, days: 30, target: TARGETS.metadata },
    ];
    const results = [];
    for (const view of views) {
      let answer;
      const http = await timeRuns(`attribution: ${view.name}`, runs, warmup, async () => (answer = await gw.gql(view.query)));
      const to = new Date();
      const params = [gw.workspaceId, new Date(to.getTime() - view.days * 86_400_000).toISOString(), to.toISOString()];
      let raw;
      const rawMs = await timeRuns(`attribution: raw SQL: ${view.name}`, rawRuns, 1, async () => (raw = await db.query(view.rawSql, params)));
      const rows = answer.usageMetrics.rows;
      const cost = (r) => r.values.find((v) => v.metric === 'TOTAL_COST').value;
      // The engine's first row against the raw rows' (the costliest user, the costliest tag, the first model).
      const rawCost = view === views[2] ? raw.reduce((s, r) => s + Number(r.cost), 0) : Math.max(...raw.map((r) => Number(r.cost)));
      const engineCost = view === views[2] ? rows.reduce((s, r) => s + cost(r), 0) : Math.max(...rows.map(cost));
      results.push({
        ...view,
        http: median(http),
        min: Math.min(...http),
        raw: median(rawMs),
        source: answer.usageMetrics.source,
        note: `${rows.length} rows${answer.usageMetrics.overlapping ? ', overlapping' : ''}; ${view === views[2] ? 'total' : 'top'} cost $${fmt(engineCost, 2)} (raw rows $${fmt(rawCost, 2)})`,
      });
    }

    say(`attribution: ingest, ${ingestBatches} interleaved pairs of ${BATCH}-call batches with and without attribution`);
    const ingest = await ingestCost(postgres, { batches: ingestBatches, warmup: 2 });
    const ingestRatio = ingest.withRate / ingest.withoutRate;

    const lines = [
      `attribution: ${fmt(counts.raw, 0)} calls over 90 days, ${fmt(counts.users, 0)} users, ${TAGS} tags (raw table ${counts.raw_size}; daily user rollup ${fmt(counts.user_rows, 0)} rows, ${counts.user_size}; tag rollups ${counts.tag_size})`,
      `  generation: ${fmt(generation.rawSeconds)} s raw rows, ${fmt(generation.rollupSeconds)} s rollups`,
    ];
    for (const r of results) {
      r.fast = r.http < r.target;
      lines.push(
        `  ${r.name}: HTTP median ${fmt(r.http)} ms (${runs} runs after ${warmup} warm-up; min ${fmt(r.min)} ms; from ${r.source}; ${r.note}) target < ${r.target} ms  ${verdict(r.fast)}`,
        `    raw SQL baseline: ${fmt(r.raw)} ms median of ${rawRuns}; ratio HTTP / raw SQL ${(r.http / r.raw).toFixed(3)}`,
      );
    }
    lines.push(
      `  ingest over HTTP: with userId, sessionId, tags and metadata ${fmt(ingest.withRate, 0)} calls/s (median batch ${fmt(median(ingest.withMs))} ms), without ${fmt(ingest.withoutRate, 0)} calls/s (median batch ${fmt(median(ingest.withoutMs))} ms); ratio with / without ${ingestRatio.toFixed(3)}`,
    );
    const pass = results.every((r) => r.fast);
    for (const r of results) {
      if (r.fast && !explainAlways) continue;
      lines.push(...(await tracedLines(gw, db, r.name, r.query, /^(?!EXPLAIN).*llm_usage/s)));
    }
    return { name: 'attribution', pass, lines };
  } finally {
    await gw.stop();
  }
}
