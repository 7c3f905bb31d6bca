// Ingest: trackLlmCalls in batches of 1000 over HTTP against a plain unnest insert of the same
// rows into a bare copy of llm_usage (same columns and indexes, no rollups, no agent stats).
import { AGENT_IDS, makeCalls, seeded } from './traffic.mjs';
import { explain, fmt, indent, interleaved, median, msSince, now, oneLine, pg, recordStatements, say, scopePreamble, server, startBenchGateway, verdict } from './support.mjs';

const TARGET_RATIO = 0.5;
const BATCH = 1000;

const TRACK_MANY = `mutation Track($inputs: [LlmCallInput!]!) {
  trackLlmCalls(inputs: $inputs) { accepted duplicates rejected { index message } }
}`;

/** llm_usage's insertable columns, in the order the ingest sends them. */
export const COLUMNS = [
  ['event_id', 'text'],
  ['occurred_at', 'timestamptz'],
  ['model_id', 'text'],
  ['provider', 'text'],
  ['tier', 'text'],
  ['input_tokens', 'bigint'],
  ['output_tokens', 'bigint'],
  ['cache_read_tokens', 'bigint'],
  ['cache_write_tokens', 'bigint'],
  ['reasoning_tokens', 'bigint'],
  ['input_cost', 'numeric'],
  ['output_cost', 'numeric'],
  ['total_cost', 'numeric'],
  ['priced', 'boolean'],
  ['price_source', 'text'],
  ['latency_ms', 'integer'],
  ['status', 'text'],
  ['error_type', 'text'],
  ['is_byok', 'boolean'],
  ['agent_id', 'text'],
  ['execution_id', 'text'],
  ['request_type', 'text'],
  ['request_count', 'integer'],
  ['metadata', 'jsonb'],
];
const names = COLUMNS.map(([n]) => n).join(', ');
export const BASELINE_SQL = `INSERT INTO bench_raw (workspace_id, ${names})
  SELECT $1::uuid, ${names} FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 2}::${t}[]`).join(', ')}) AS u(${names})`;

/** A validated, priced call as the values of COLUMNS, in order; `metadata` as JSON text or null. */
export function rowOf(c, cost, metadata) {
  return [
    c.eventId, c.occurredAt.toISOString(), c.modelId, c.provider, c.tier, c.inputTokens, c.outputTokens, c.cacheReadTokens,
    c.cacheWriteTokens, c.reasoningTokens, cost.inputCost, cost.outputCost, cost.totalCost, cost.priced, cost.source, c.latencyMs,
    c.status, c.errorType, c.isByok, c.agentId, c.executionId, c.requestType, c.requestCount, metadata,
  ];
}

/** The same rows the gateway stores, validated and priced by the gateway's own code, as column arrays. */
export function baselineColumns(calls, at) {
  const { validateCall } = server('ingest/validate-call');
  const { priceCall } = server('pricing/pricing.service');
  const columns = COLUMNS.map(() => []);
  for (const input of calls) {
    const result = validateCall({ ...input, occurredAt: new Date(input.occurredAt) }, at);
    if (!result.call) throw new Error(`a generated call is invalid: ${result.problems.join('; ')}`);
    rowOf(result.call, priceCall(result.call, new Map()), null).forEach((v, i) => columns[i].push(v));
  }
  return columns;
}

export async function benchIngest(postgres, { batches = 30, warmup = 3, explainAlways = false } = {}) {
  say(`ingest: fresh database, gateway in-process, ${warmup} warm-up + ${batches} measured batches of ${BATCH}`);
  const url = await postgres.freshDatabase('ingest');
  // Ingest as fast as the gateway goes: the workspace's call rate is what is measured, not limited.
  const gw = await startBenchGateway(url, { env: { LIMIT_INGEST_CALLS_PER_SECOND: '0' } });
  const baseline = new pg.Client({ connectionString: url });
  await baseline.connect();
  try {
    await baseline.query('CREATE TABLE bench_raw (LIKE llm_usage INCLUDING ALL)');
    // Agents the calls name exist already in steady state; the first batch would create them.
    await gw.platform.query(`INSERT INTO agents (workspace_id, id, name) SELECT $1::uuid, id, id FROM unnest($2::text[]) AS id`, [
      gw.workspaceId,
      AGENT_IDS,
    ]);

    const random = seeded(42);
    const at = new Date();
    const prepared = Array.from({ length: warmup + batches }, (_, b) => {
      const calls = makeCalls(random, BATCH, at, 5 * 60_000, `ingest-${b}`);
      return { body: JSON.stringify({ query: TRACK_MANY, variables: { inputs: calls } }), columns: baselineColumns(calls, at), calls };
    });
    say(`ingest: ${prepared.length} batches prepared (${fmt(prepared[0].body.length / 1024, 0)} KiB of JSON each)`);

    const sendGateway = async (batch) => {
      const start = now();
      const data = await gw.post(batch.body);
      const ms = msSince(start);
      const r = data.trackLlmCalls;
      if (r.accepted !== BATCH) throw new Error(`the gateway accepted ${r.accepted} of ${BATCH} calls: ${JSON.stringify(r.rejected.slice(0, 3))}`);
      return ms;
    };
    const sendBaseline = async (batch) => {
      const start = now();
      const result = await baseline.query(BASELINE_SQL, [gw.workspaceId, ...batch.columns]);
      const ms = msSince(start);
      if (result.rowCount !== BATCH) throw new Error(`the baseline inserted ${result.rowCount} of ${BATCH} rows`);
      return ms;
    };

    const { gatewayMs, baselineMs } = await interleaved(prepared, warmup, sendGateway, sendBaseline, (done) => say(`ingest: ${done}/${batches} batches`));
    const sum = (a) => a.reduce((s, v) => s + v, 0);
    const rows = batches * BATCH;
    const gatewayRate = rows / (sum(gatewayMs) / 1000);
    const baselineRate = rows / (sum(baselineMs) / 1000);
    const ratio = gatewayRate / baselineRate;
    const pass = ratio >= TARGET_RATIO;

    // Where a gateway batch's time goes: the SQL it sends, and everything else (HTTP, GraphQL, pricing).
    const traceCalls = makeCalls(random, BATCH, new Date(), 5 * 60_000, 'trace');
    const traced = await recordStatements(() => sendGateway({ body: JSON.stringify({ query: TRACK_MANY, variables: { inputs: traceCalls } }) }));
    const dbMs = sum(traced.statements.map((s) => s.ms));
    const { ingestCalls } = server('ingest/ingest.service');
    const direct = makeCalls(random, BATCH, new Date(), 5 * 60_000, 'direct').map((c) => ({ ...c, occurredAt: new Date(c.occurredAt) }));
    const directStart = now();
    await ingestCalls(gw.dataSource, gw.workspaceId, direct, new Date());
    const directMs = msSince(directStart);

    const result = {
      name: 'ingest',
      pass,
      lines: [
        `ingest: trackLlmCalls over HTTP, ${batches} batches of ${BATCH} (after ${warmup} warm-up)`,
        `  gateway : ${fmt(gatewayRate, 0)} rows/s (median batch ${fmt(median(gatewayMs))} ms)`,
        `  baseline: ${fmt(baselineRate, 0)} rows/s (plain INSERT … SELECT FROM unnest into bench_raw; median batch ${fmt(median(baselineMs))} ms)`,
        `  ratio   : ${ratio.toFixed(3)} (target >= ${TARGET_RATIO})  ${verdict(pass)}`,
        `  one traced batch: ${fmt(traced.value)} ms over HTTP, ${fmt(dbMs)} ms in ${traced.statements.length} SQL statements:`,
        ...traced.statements.map((s) => `      ${fmt(s.ms).padStart(8)} ms  ${oneLine(s.text, 110)}`),
        `  ingestCalls in-process (no HTTP/GraphQL): ${fmt(directMs)} ms for ${BATCH} calls`,
      ],
    };
    if (!pass || explainAlways) {
      const at = traced.statements.findIndex((x) => /INSERT INTO llm_usage\b/.test(x.text));
      const index = at >= 0 ? at : traced.statements.indexOf(traced.statements.reduce((a, b) => (b.ms > a.ms ? b : a)));
      const insert = traced.statements[index];
      // Fresh event ids, or ON CONFLICT DO NOTHING would skip every row; EXPLAIN runs in a rolled-back transaction.
      const params = insert.params.map((p) => (Array.isArray(p) && typeof p[0] === 'string' && p[0].startsWith('trace-') ? p.map((e) => `explain-${e}`) : p));
      const preamble = scopePreamble(traced.statements, index);
      result.lines.push(
        `  EXPLAIN ANALYZE${preamble ? ' (in the request scope)' : ''} of the ingest statement of that batch:`,
        indent(await explain(gw.dataSource, insert.text, params, preamble)),
      );
      const [eventIds, ...rest] = prepared[0].columns;
      const baselinePlan = await explain(gw.dataSource, BASELINE_SQL, [gw.workspaceId, eventIds.map((e) => `explain-${e}`), ...rest]);
      result.lines.push('  EXPLAIN ANALYZE of the baseline insert:', indent(baselinePlan));
    }
    return result;
  } finally {
    await baseline.end();
    await gw.stop();
  }
}

