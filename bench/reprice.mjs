// Re-pricing beside ingest: a 90-day re-price of a workspace with 1,000,000 calls (every call's
// price changes) while ingest clients keep sending batches to the same workspace, against the
// same clients' ingest throughput alone, measured in the same run on the same data.
import http from 'node:http';
import { generate } from './dashboard.mjs';
import { percentile, startGatewayProcess } from './gateway-process.mjs';
import { client } from './load.mjs';
import { MODELS, makeCalls, seeded } from './traffic.mjs';
import { fmt, msSince, now, say, server, verdict } from './support.mjs';

const TARGET_RATIO = 0.5;
const CLIENTS = 4;
const CALLS_PER_BATCH = 100;
const ALONE_SECONDS = 20;
const TRACK = 'mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted duplicates rejected { index message } } }';
const REPRICE = 'mutation { repriceLlmCalls(period: LAST_90D) { updated costDelta } }';

/**
 * `CLIENTS` loops of trackLlmCalls (calls of the last five minutes) until `until` resolves;
 * returns rows stored a second, request latencies (sorted) and errors.
 */
async function ingestUntil(gateway, until, label) {
  const random = seeded(label.length);
  const latencies = [];
  const errors = [];
  let stopped = false;
  void until.then(() => (stopped = true));
  const began = now();
  const loops = Array.from({ length: CLIENTS }, async (_, c) => {
    const connection = client(gateway.port, gateway.key);
    for (let turn = 0; !stopped; turn++) {
      const inputs = makeCalls(random, CALLS_PER_BATCH, new Date(), 5 * 60_000, `${label}-${c}-${turn}`);
      const start = now();
      const error = await connection.post(JSON.stringify({ query: TRACK, variables: { inputs } }));
      latencies.push(msSince(start));
      if (error) errors.push(error);
    }
    connection.close();
  });
  await Promise.all(loops);
  const seconds = msSince(began) / 1000;
  latencies.sort((a, b) => a - b);
  return { rowsPerSecond: ((latencies.length - errors.length) * CALLS_PER_BATCH) / seconds, seconds, latencies, errors };
}

const seconds = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/** One POST with no time limit (a long re-price outlasts fetch's); resolves with the body. */
function postOnce(port, key, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
      },
      (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export async function benchReprice(postgres, { mainCalls = 1_000_000 } = {}) {
  say(`reprice: fresh database, gateway process; generating ${fmt(mainCalls, 0)} calls over 90 days (+ ${fmt(mainCalls / 10, 0)} in each of two other workspaces)`);
  const url = await postgres.freshDatabase('reprice');
  // One key stands for the 4 ingest clients, sending as fast as the gateway takes them.
  const gateway = await startGatewayProcess(url, { workspaceName: 'Re-priced workspace', env: { LIMIT_REQUESTS_PER_SECOND: '0', LIMIT_INGEST_CALLS_PER_SECOND: '0' } });
  const { openDatabase } = server('db/data-source');
  const db = await openDatabase(url, 4);
  try {
    const { createWorkspace } = server('workspaces/workspaces.service');
    const platform = server('db/platform-db').platformDb(db);
    const others = [await createWorkspace(platform, 'Second workspace', 'pro'), await createWorkspace(platform, 'Third workspace', 'pro')];
    const generation = await generate(db, [gateway.workspaceId, ...others.map((w) => w.id)], { mainCalls, otherCalls: mainCalls / 10, slices: 10, end: new Date() });
    // The agents' totals, as ingest would have kept them, and a new price for every model.
    const { agentStatsChanges, CALL_STATS } = server('agents/agent-stats');
    await db.query(
      `UPDATE agents a SET model_usage_stats = c.stats FROM (${agentStatsChanges('(SELECT * FROM llm_usage WHERE workspace_id = $1) calls', CALL_STATS)}) c
       WHERE a.workspace_id = $1 AND a.id = c.agent_id`,
      [gateway.workspaceId],
    );
    await db.query(
      `INSERT INTO model_price_overrides (workspace_id, provider, model_id, input_per_mtok, output_per_mtok)
       SELECT $1::uuid, provider, model_id, input * 1.1, output * 0.9 FROM unnest($2::text[], $3::text[], $4::numeric[], $5::numeric[]) AS m(provider, model_id, input, output)`,
      [gateway.workspaceId, MODELS.map((m) => m.provider), MODELS.map((m) => m.modelId), MODELS.map((m) => m.input), MODELS.map((m) => m.output)],
    );
    await db.query('VACUUM ANALYZE agents');
    say(`reprice: data ready in ${fmt(generation.rawSeconds + generation.rollupSeconds + generation.vacuumSeconds)} s`);

    say(`reprice: ${CLIENTS} ingest clients alone for ${ALONE_SECONDS} s`);
    await ingestUntil(gateway, seconds(3), 'warm-up');
    const alone = await ingestUntil(gateway, seconds(ALONE_SECONDS), 'alone');
    say(`reprice: ingest alone ${fmt(alone.rowsPerSecond, 0)} rows/s; now a 90-day re-price with the same clients beside it`);

    const repriceStart = now();
    const repriced = postOnce(gateway.port, gateway.key, JSON.stringify({ query: REPRICE })).then((body) => ({ body, ms: msSince(repriceStart) }));
    const during = await ingestUntil(gateway, repriced, 'during');
    const { body, ms } = await repriced;
    const result = JSON.parse(body).data?.repriceLlmCalls;
    if (!result) throw new Error(`the re-price failed: ${body.slice(0, 500)}`);

    const [sums] = await db.query(
      `SELECT (SELECT sum(total_cost) FROM llm_usage WHERE workspace_id = $1)::text AS raw,
         (SELECT sum(total_cost) FROM llm_usage_hourly WHERE workspace_id = $1)::text AS hourly,
         (SELECT sum(total_cost) FROM llm_usage_daily_model WHERE workspace_id = $1)::text AS daily_model,
         (SELECT sum((s.value ->> 'totalCost')::numeric) FROM agents a, jsonb_each(a.model_usage_stats) s WHERE a.workspace_id = $1)::text AS agents,
         (SELECT sum(total_cost) FROM llm_usage WHERE workspace_id = $1 AND agent_id IS NOT NULL)::text AS raw_of_agents`,
      [gateway.workspaceId],
    );
    const agree = sums.raw === sums.hourly && sums.raw === sums.daily_model && sums.agents === sums.raw_of_agents;

    const ratio = during.rowsPerSecond / alone.rowsPerSecond;
    const pass = ratio >= TARGET_RATIO && during.errors.length === 0 && alone.errors.length === 0 && agree;
    const p = (run, q) => fmt(percentile(run.latencies, q), 0);
    return {
      name: 'reprice',
      pass,
      lines: [
        `reprice: repriceLlmCalls(period: LAST_90D) over ${fmt(mainCalls, 0)} calls, every price changed, while ${CLIENTS} clients send trackLlmCalls of ${CALLS_PER_BATCH} to the same workspace (gateway in its own process)`,
        `  ingest alone         : ${fmt(alone.rowsPerSecond, 0)} rows/s over ${fmt(alone.seconds, 0)} s (request p50 ${p(alone, 0.5)} ms, p99 ${p(alone, 0.99)} ms, max ${p(alone, 1)} ms)`,
        `  ingest beside it     : ${fmt(during.rowsPerSecond, 0)} rows/s over ${fmt(during.seconds, 0)} s (request p50 ${p(during, 0.5)} ms, p99 ${p(during, 0.99)} ms, max ${p(during, 1)} ms)`,
        `  ratio                : ${ratio.toFixed(3)} (target >= ${TARGET_RATIO})  ${verdict(ratio >= TARGET_RATIO)}`,
        `  errors               : ${alone.errors.length + during.errors.length}${during.errors.length ? `  e.g. ${[...new Set(during.errors)].slice(0, 2).join(' | ')}` : ''}`,
        `  re-price             : ${fmt(ms / 1000)} s for ${fmt(result.updated, 0)} calls changed (${fmt(result.updated / (ms / 1000), 0)} calls/s), cost change $${fmt(result.costDelta, 2)}`,
        `  afterwards           : raw $${fmt(Number(sums.raw), 2)}, hourly and daily-model rollups ${sums.raw === sums.hourly && sums.raw === sums.daily_model ? 'equal' : `DIFFER (${sums.hourly}, ${sums.daily_model})`}, agents' totals ${sums.agents === sums.raw_of_agents ? 'equal their calls' : `DIFFER (${sums.agents} against ${sums.raw_of_agents})`}  ${verdict(agree)}`,
      ],
    };
  } finally {
    await db.destroy();
    await gateway.stop();
  }
}
