// OTLP: trace exports of LLM spans to POST /v1/traces of a gateway process, against a plain
// unnest insert of the same rows; then eight exporters sending 5 MB bodies at once, with the
// gateway's resident memory sampled throughout.
import http from 'node:http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startGatewayProcess } from './gateway-process.mjs';
import { BASELINE_SQL, COLUMNS, rowOf } from './ingest.mjs';
import { makeCalls, seeded } from './traffic.mjs';
import { fmt, interleaved, median, msSince, now, pg, say, server, verdict } from './support.mjs';

const TARGET_RATIO = 0.3;
const TARGET_RSS_MB = 300;
const SPANS_PER_EXPORT = 1000;
const EXPORTERS = 8;
const MAX_BODY = 5 * 1024 * 1024;


/** The calls as an instrumented application's spans: GenAI semantic conventions, one trace per agent run. */
function spansOf(calls) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-app' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('bench');
  for (const call of calls) {
    const end = new Date(call.occurredAt).getTime();
    const attributes = {
      'gen_ai.operation.name': call.requestType === 'completion' ? 'text_completion' : 'chat',
      'gen_ai.provider.name': call.provider,
      'gen_ai.request.model': call.modelId,
      'gen_ai.usage.input_tokens': call.inputTokens,
      'gen_ai.usage.output_tokens': call.outputTokens,
      'gen_ai.usage.cache_read.input_tokens': call.cacheReadTokens,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.finish_reasons': ['stop'],
    };
    if (call.agentId) attributes['gen_ai.agent.id'] = call.agentId;
    if (call.errorType) attributes['error.type'] = call.errorType;
    tracer.startSpan(`chat ${call.modelId}`, { attributes, startTime: new Date(end - call.latencyMs) }).end(new Date(end));
  }
  return memory.getFinishedSpans();
}

/**
 * The rows the gateway stores for an export, as column arrays: decoded, mapped, validated and
 * priced by the gateway's own code, metadata included.
 */
function baselineColumns(body, at) {
  const { protobufSpans } = server('otlp/otlp-wire');
  const { callsOfExport, otlpSpans } = server('otlp/span-to-call');
  const { validateCall } = server('ingest/validate-call');
  const { priceCall } = server('pricing/pricing.service');
  const columns = COLUMNS.map(() => []);
  for (const { values } of [...callsOfExport(otlpSpans(protobufSpans(body))).calls].filter((c) => 'values' in c)) {
    const result = validateCall(values, at);
    if (!result.call) throw new Error(`a generated span is invalid: ${result.problems.join('; ')}`);
    rowOf(result.call, priceCall(result.call, new Map()), JSON.stringify(result.call.metadata)).forEach((v, i) => columns[i].push(v));
  }
  return columns;
}

const exportBody = (calls) => Buffer.from(ProtobufTraceSerializer.serializeRequest(spansOf(calls)));

/** One export over a kept-alive connection, as the SDK's exporters send (node:http). */
function postExport(port, key, body, agent) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length, authorization: `Bearer ${key}` },
      },
      (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => {
          const answer = Buffer.concat(chunks);
          if (response.statusCode !== 200) return reject(new Error(`the gateway answered ${response.statusCode}: ${answer.toString('latin1').slice(0, 300)}`));
          const { partialSuccess } = ProtobufTraceSerializer.deserializeResponse(answer);
          if (partialSuccess?.rejectedSpans) return reject(new Error(`the gateway rejected ${partialSuccess.rejectedSpans} spans: ${partialSuccess.errorMessage}`));
          resolve();
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export async function benchOtlp(postgres, { exports = 30, warmup = 3 } = {}) {
  say(`otlp: fresh database, gateway process, ${warmup} warm-up + ${exports} measured exports of ${SPANS_PER_EXPORT} LLM spans`);
  const url = await postgres.freshDatabase('otlp');
  const gw = await startGatewayProcess(url, { env: { LIMIT_INGEST_CALLS_PER_SECOND: '0' } });
  const baseline = new pg.Client({ connectionString: url });
  await baseline.connect();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  // the eight exporters connect anew: a connection idle while their bodies were made may have been closed by the gateway
  const exporters = new http.Agent({ keepAlive: true, maxSockets: EXPORTERS });
  try {
    await baseline.query('CREATE TABLE bench_raw (LIKE llm_usage INCLUDING ALL)');
    const random = seeded(17);
    const at = new Date();
    const prepared = Array.from({ length: warmup + exports }, (_, b) => {
      const calls = makeCalls(random, SPANS_PER_EXPORT, at, 5 * 60_000, `otlp-${b}`);
      const body = exportBody(calls);
      return { body, columns: baselineColumns(body, at) };
    });
    say(`otlp: ${prepared.length} exports prepared (${fmt(prepared[0].body.length / 1024, 0)} KiB of protobuf each)`);

    const sendGateway = async (batch) => {
      const start = now();
      await postExport(gw.port, gw.key, batch.body, agent);
      return msSince(start);
    };
    const sendBaseline = async (batch) => {
      const start = now();
      const result = await baseline.query(BASELINE_SQL, [gw.workspaceId, ...batch.columns]);
      if (result.rowCount !== SPANS_PER_EXPORT) throw new Error(`the baseline inserted ${result.rowCount} of ${SPANS_PER_EXPORT} rows`);
      return msSince(start);
    };
    const { gatewayMs, baselineMs } = await interleaved(prepared, warmup, sendGateway, sendBaseline, (done) => say(`otlp: ${done}/${exports} exports`));
    const { rows: stored } = await baseline.query('SELECT count(*)::int AS n FROM llm_usage WHERE workspace_id = $1', [gw.workspaceId]);
    const expected = (warmup + exports) * SPANS_PER_EXPORT;
    if (stored[0].n !== expected) throw new Error(`the gateway stored ${stored[0].n} calls of ${expected}`);
    const sum = (a) => a.reduce((s, v) => s + v, 0);
    const rows = exports * SPANS_PER_EXPORT;
    const gatewayRate = rows / (sum(gatewayMs) / 1000);
    const baselineRate = rows / (sum(baselineMs) / 1000);
    const ratio = gatewayRate / baselineRate;

    // Eight exporters at once, each with a body just under 5 MB: what the gateway holds while it decodes and stores them.
    const spansPerBody = Math.floor((MAX_BODY / prepared[0].body.length) * SPANS_PER_EXPORT * 0.97);
    const bodies = Array.from({ length: EXPORTERS }, (_, e) => exportBody(makeCalls(random, spansPerBody, new Date(), 5 * 60_000, `big-${e}`)));
    const largest = Math.max(...bodies.map((b) => b.length));
    if (largest > MAX_BODY) throw new Error(`a 5 MB body came out at ${largest} bytes`);
    say(`otlp: ${EXPORTERS} bodies of ${spansPerBody} spans (${fmt(largest / 1024 / 1024, 2)} MB each) prepared`);
    const rssBefore = gw.rssMb();
    const throughputPeak = gw.peakRssMb();
    // the kernel's high-water mark is the true peak; where it cannot be reset, samples every 5 ms stand in
    const exactPeak = gw.resetPeakRss();
    let sampledPeak = rssBefore;
    const sampler = exactPeak ? null : setInterval(() => (sampledPeak = Math.max(sampledPeak, gw.rssMb())), 5);
    const concurrentStart = now();
    await Promise.all(bodies.map((body) => postExport(gw.port, gw.key, body, exporters)));
    const concurrentMs = msSince(concurrentStart);
    if (sampler) clearInterval(sampler);
    const peakRss = exactPeak ? gw.peakRssMb() : Math.max(sampledPeak, gw.rssMb());
    const ratioPass = ratio >= TARGET_RATIO;
    const rssPass = peakRss < TARGET_RSS_MB;

    return {
      name: 'otlp',
      pass: ratioPass && rssPass,
      lines: [
        `otlp: POST /v1/traces (protobuf) to a gateway process, ${exports} exports of ${SPANS_PER_EXPORT} LLM spans (after ${warmup} warm-up)`,
        `  gateway : ${fmt(gatewayRate, 0)} spans stored/s (median export ${fmt(median(gatewayMs))} ms, ${fmt(prepared[0].body.length / 1024, 0)} KiB)`,
        `  baseline: ${fmt(baselineRate, 0)} rows/s (plain INSERT … SELECT FROM unnest into bench_raw; median batch ${fmt(median(baselineMs))} ms)`,
        `  ratio   : ${ratio.toFixed(3)} (target >= ${TARGET_RATIO})  ${verdict(ratioPass)}`,
        `  ${EXPORTERS} exporters at once, ${fmt(largest / 1024 / 1024, 2)} MB bodies of ${spansPerBody} spans: all stored in ${fmt(concurrentMs / 1000, 1)} s`,
        `  gateway RSS: ${fmt(rssBefore, 0)} MB before (peak ${fmt(throughputPeak, 0)} MB over the exports above), ${fmt(peakRss, 0)} MB at the peak ` +
          `(${exactPeak ? 'VmHWM, reset before the eight' : 'sampled every 5 ms'}; target < ${TARGET_RSS_MB} MB)  ${verdict(rssPass)}`,
      ],
    };
  } finally {
    agent.destroy();
    exporters.destroy();
    await baseline.end();
    await gw.stop();
  }
}
