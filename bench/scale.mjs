// Scale: 10,000,000 calls over 20 workspaces, one of them with 2,000,000. The dashboard views of
// the big workspace over HTTP (target: median still under 50 ms) against the same figures on its
// raw rows; and ingest over HTTP into that table against a plain unnest insert into it.
import { COST_VIEWS, DAILY_METRICS, LLM_USAGE, RAW_BY_DAY_MODEL, RAW_BY_MODEL } from './dashboard.mjs';
import { baselineColumns, COLUMNS } from './ingest.mjs';
import { makeCalls, AGENT_IDS, seeded } from './traffic.mjs';
import { fmt, median, msSince, now, pg, say, server, startBenchGateway, verdict } from './support.mjs';

const TOTAL = Number(process.env.BENCH_SCALE_CALLS ?? 10_000_000);
const WORKSPACES = 20;
const BIG_SHARE = 0.2;
const TEMPLATE = 100_000;
const TARGET_MEDIAN_MS = 50;
const TARGET_INGEST_RATIO = 0.5;
const DAY_MS = 86_400_000;
const TRACK = 'mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }';

const names = COLUMNS.map(([n]) => n);
const unnestInto = (table, workspace) =>
  `INSERT INTO ${table} (workspace_id, ${names.join(', ')})
   SELECT ${workspace}, ${names.join(', ')} FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 2}::${t}[]`).join(', ')}) AS u(${names.join(', ')})`;

/** Calls per workspace: the big one first, the rest shared out evenly. */
function split(total) {
  const big = Math.round(total * BIG_SHARE);
  const rest = total - big;
  const others = Array.from({ length: WORKSPACES - 1 }, (_, i) => Math.floor(rest / (WORKSPACES - 1)) + (i < rest % (WORKSPACES - 1) ? 1 : 0));
  return [big, ...others];
}

/**
 * Fills llm_usage: 100,000 calls of the benchmark traffic over 90 days, validated and priced by
 * the gateway's own code, copied into every workspace (each copy shifted by up to an hour), then
 * rolled up with the ingest's own statements and analysed.
 */
async function fill(db, workspaceIds, counts, end) {
  const began = now();
  const template = makeCalls(seeded(11), TEMPLATE, end, 90 * DAY_MS - 2 * 3_600_000, 't').map((c) => ({ ...c, eventId: null }));
  await db.query(`CREATE UNLOGGED TABLE scale_template AS SELECT workspace_id, ${names.join(', ')} FROM llm_usage WHERE false`);
  await db.query(unnestInto('scale_template', '$1::uuid'), [workspaceIds[0], ...baselineColumns(template, end)]);
  const copy = names.map((n) => (n === 'occurred_at' ? `t.occurred_at - ((k * 7919) % 3600) * interval '1 second'` : `t.${n}`)).join(', ');
  for (const [w, id] of workspaceIds.entries()) {
    await db.query(
      `INSERT INTO llm_usage (workspace_id, ${names.join(', ')})
       SELECT $1::uuid, ${copy} FROM generate_series(0, $2::int - 1) AS k CROSS JOIN scale_template t LIMIT $3`,
      [id, Math.ceil(counts[w] / TEMPLATE), counts[w]],
    );
    const done = counts.slice(0, w + 1).reduce((a, b) => a + b, 0);
    say(`scale: raw rows ${fmt(done, 0)}/${fmt(TOTAL, 0)} (${fmt(msSince(began) / 1000)} s)`);
  }
  await db.query('DROP TABLE scale_template');
  const rawSeconds = msSince(began) / 1000;

  const rollupBegan = now();
  const { rollupUpsert, ROLLUP_TABLES } = server('ingest/rollup');
  for (const [w, id] of workspaceIds.entries()) {
    const source = `(SELECT * FROM llm_usage WHERE workspace_id = '${id}') s`;
    await Promise.all(ROLLUP_TABLES.map((table) => db.query(rollupUpsert(table, source))));
    await db.query(`INSERT INTO agents (workspace_id, id, name) SELECT $1::uuid, id, id FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING`, [id, AGENT_IDS]);
    if (w % 5 === 4) say(`scale: rollups for ${w + 1}/${workspaceIds.length} workspaces (${fmt(msSince(rollupBegan) / 1000)} s)`);
  }
  const rollupSeconds = msSince(rollupBegan) / 1000;
  const vacuumBegan = now();
  await db.query('VACUUM ANALYZE');
  return { rawSeconds, rollupSeconds, vacuumSeconds: msSince(vacuumBegan) / 1000 };
}

async function timed(label, runs, warmup, run) {
  for (let i = 0; i < warmup; i++) await run();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    await run();
    times.push(msSince(start));
  }
  say(`scale: ${label}: median ${fmt(median(times))} ms over ${runs} runs`);
  return median(times);
}

export async function benchScale(postgres, { runs = 21, warmup = 3, rawRuns = 3, batches = 20 } = {}) {
  const counts = split(TOTAL);
  say(`scale: fresh database; ${fmt(TOTAL, 0)} calls over ${WORKSPACES} workspaces (${fmt(counts[0], 0)} in the big one), 90 days`);
  const gw = await startBenchGateway(await postgres.freshDatabase('scale'), {
    workspaceName: 'Big workspace',
    env: { LIMIT_INGEST_CALLS_PER_SECOND: '0', LIMIT_REQUESTS_PER_SECOND: '0' },
  });
  try {
    const db = gw.dataSource;
    const { createWorkspace } = server('workspaces/workspaces.service');
    const workspaceIds = [gw.workspaceId];
    for (let w = 1; w < WORKSPACES; w++) workspaceIds.push((await createWorkspace(db, `Workspace ${w + 1}`, 'pro')).id);
    const generation = await fill(db, workspaceIds, counts, new Date());
    const [sizes] = await db.query(
      `SELECT (SELECT count(*) FROM llm_usage)::bigint AS rows, pg_size_pretty(pg_total_relation_size('llm_usage')) AS raw_size,
        pg_size_pretty(pg_total_relation_size('llm_usage_hourly')) AS hourly_size, pg_size_pretty(pg_total_relation_size('llm_usage_daily')) AS daily_size`,
    );

    const range = () => {
      const to = new Date();
      return [gw.workspaceId, new Date(to.getTime() - 90 * DAY_MS).toISOString(), to.toISOString()];
    };
    const views = [
      { name: 'llmUsage(period: LAST_90D, groupBy: MODEL)', query: LLM_USAGE, rawSql: RAW_BY_MODEL },
      { name: 'usageMetrics(LAST_90D, bucket DAY, groupBy MODEL, 4 metrics)', query: DAILY_METRICS, rawSql: RAW_BY_DAY_MODEL },
      ...COST_VIEWS,
    ];
    const results = [];
    for (const view of views) {
      const http = await timed(`${view.name} over HTTP`, runs, warmup, () => gw.gql(view.query));
      const raw = await timed(`${view.name} on raw rows`, rawRuns, 0, () => db.query(view.rawSql, range()));
      results.push({ name: view.name, http, raw });
    }

    // Ingest at this size: the gateway's trackLlmCalls into the big workspace, against a plain
    // unnest insert of the same kind of rows into the same table for another workspace, batch by batch in turn.
    const baseline = new pg.Client({ connectionString: db.options.url });
    await baseline.connect();
    const random = seeded(5);
    let gatewayMs = 0;
    let baselineMs = 0;
    try {
      for (let b = -3; b < batches; b++) {
        const at = new Date();
        const mine = makeCalls(random, 1000, at, 3_600_000, `scale-gw-${b}`);
        const theirs = makeCalls(random, 1000, at, 3_600_000, `scale-raw-${b}`);
        const body = JSON.stringify({ query: TRACK, variables: { inputs: mine } });
        const start = now();
        await gw.post(body);
        const gatewayBatch = msSince(start);
        const columns = baselineColumns(theirs, at);
        const rawStart = now();
        await baseline.query(unnestInto('llm_usage', '$1::uuid'), [workspaceIds[1], ...columns]);
        const baselineBatch = msSince(rawStart);
        if (b >= 0) {
          gatewayMs += gatewayBatch;
          baselineMs += baselineBatch;
        }
      }
    } finally {
      await baseline.end();
    }
    const gatewayRate = (batches * 1000) / (gatewayMs / 1000);
    const baselineRate = (batches * 1000) / (baselineMs / 1000);
    say(`scale: ingest ${fmt(gatewayRate, 0)} rows/s through the gateway, ${fmt(baselineRate, 0)} rows/s plain unnest`);

    const fast = results.every((r) => r.http < TARGET_MEDIAN_MS);
    const ingestOk = gatewayRate / baselineRate >= TARGET_INGEST_RATIO;
    const lines = [
      `scale — ${fmt(Number(sizes.rows), 0)} calls over ${WORKSPACES} workspaces, the big one with ${fmt(counts[0], 0)} (90 days)`,
      `  table sizes: llm_usage ${sizes.raw_size}, llm_usage_hourly ${sizes.hourly_size}, llm_usage_daily ${sizes.daily_size}; ` +
        `made in ${fmt(generation.rawSeconds)} s raw + ${fmt(generation.rollupSeconds)} s rollups + ${fmt(generation.vacuumSeconds)} s VACUUM ANALYZE`,
      ...results.map(
        (r) =>
          `  ${r.name}: HTTP median ${fmt(r.http)} ms (target < ${TARGET_MEDIAN_MS} ms) ${verdict(r.http < TARGET_MEDIAN_MS)}; ` +
          `raw rows ${fmt(r.raw)} ms; ${fmt(r.raw / r.http)}× faster`,
      ),
      `  ingest at this size: ${fmt(gatewayRate, 0)} rows/s through trackLlmCalls (batches of 1000, rollups and agent stats included) vs ` +
        `${fmt(baselineRate, 0)} rows/s plain unnest insert into llm_usage; ratio ${fmt(gatewayRate / baselineRate, 2)} (target ≥ ${TARGET_INGEST_RATIO}) ${verdict(ingestOk)}`,
    ];
    return { name: 'scale', pass: fast && ingestOk, lines };
  } finally {
    await gw.stop();
  }
}
