import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import type { Attributes } from '@opentelemetry/api';
import { generateText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { events } from './support/events';
import { CONTENT_TYPE, eventIdOf, exportBody, exportSpans, llmSpan, postTraces, recordSpans } from './support/otlp';
import { startTestServer, type TestServer } from './support/server';
import { storedCalls } from './support/stored-calls';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

const CALLS = `query Calls { llmCalls(period: LAST_24H, limit: 500) {
  eventId modelId provider requestType inputTokens outputTokens cacheReadTokens cacheWriteTokens reasoningTokens
  latencyMs status errorType executionId occurredAt totalCost priced agent { id name }
} }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function callsOf(key: string): Promise<any[]> {
  const result = await server.gql(CALLS, {}, { key });
  expect(result.errors).toBeUndefined();
  return result.data!.llmCalls;
}

const CHAT: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.response.model': 'gpt-4o-2024-08-06',
  'gen_ai.usage.input_tokens': 1000,
  'gen_ai.usage.output_tokens': 200,
};

interface AppExport {
  code: number;
  error: string | null;
  spans: { traceId: string; spanId: string; endTime: [number, number] }[];
}

/** Runs the instrumented application of fixtures/otel-app.mjs, pointed at this gateway by environment only. */
async function exportFromApp(exporter: 'proto' | 'http', key: string, spans: { name: string; attributes: Attributes; latencyMs: number }[]): Promise<AppExport> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'otel-app.mjs'), exporter], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: new URL(server.url).origin, OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer ${key}` },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdin.end(JSON.stringify({ service: 'checkout-api', spans }));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
  return JSON.parse(output) as AppExport;
}

describe('the OpenTelemetry SDK exporters, in an application process configured by OTEL_EXPORTER_OTLP_*', () => {
  it('stores the LLM spans @opentelemetry/exporter-trace-otlp-proto sends, and leaves the others out', async () => {
    const { key } = await server.workspaceWithKey('otel proto');
    const sent = await exportFromApp('proto', key, [
      { name: 'chat gpt-4o', attributes: CHAT, latencyMs: 1500 },
      { name: 'GET /orders', attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200 }, latencyMs: 30 },
      { name: 'SELECT orders', attributes: { 'db.system.name': 'postgresql' }, latencyMs: 5 },
    ]);
    expect(sent).toMatchObject({ code: 0, error: null });

    const calls = await callsOf(key);
    expect(calls).toHaveLength(1);
    const [chat] = sent.spans;
    // gpt-4o-2024-08-06: $2.50 input, $10 output per million tokens
    expect(calls[0]).toMatchObject({
      eventId: `${chat.traceId}-${chat.spanId}`,
      modelId: 'gpt-4o-2024-08-06',
      provider: 'openai',
      requestType: 'chat',
      inputTokens: 1000,
      outputTokens: 200,
      latencyMs: 1500,
      status: 'SUCCESS',
      executionId: chat.traceId,
      priced: true,
    });
    expect(calls[0].totalCost).toBeCloseTo((1000 * 2.5 + 200 * 10) / 1e6, 12);
    expect(new Date(calls[0].occurredAt).getTime()).toBe(chat.endTime[0] * 1000 + Math.floor(chat.endTime[1] / 1e6));
  });

  it('stores what @opentelemetry/exporter-trace-otlp-http sends as OTLP/JSON, and the stored calls reach the rollups', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('otel json');
    const sent = await exportFromApp('http', key, [
      { name: 'chat', attributes: CHAT, latencyMs: 900 },
      {
        name: 'embeddings',
        attributes: { ...CHAT, 'gen_ai.operation.name': 'embeddings', 'gen_ai.request.model': 'text-embedding-3-small', 'gen_ai.response.model': '' },
        latencyMs: 80,
      },
    ]);
    expect(sent).toMatchObject({ code: 0, error: null });
    const calls = await callsOf(key);
    expect(calls.map((c) => [c.requestType, c.modelId]).sort()).toEqual([
      ['chat', 'gpt-4o-2024-08-06'],
      ['embeddings', 'text-embedding-3-small'],
    ]);
    expect(await storedCalls(server.db.platform, workspaceId)).toMatchObject({ rows: 2, rollupMismatches: 0 });
  });
});

describe('stored calls', () => {
  it('publishes each stored call to llmCallTracked subscribers, with its agent', async () => {
    const { key } = await server.workspaceWithKey('otel live');
    const next = events<{ llmCallTracked: { eventId: string; modelId: string; agent: { id: string; name: string } | null } }>(
      server.wsClient({ authorization: `Bearer ${key}` }),
      'subscription { llmCallTracked { eventId modelId agent { id name } } }',
    );
    await server.gateway.services.subscriptions.waitForSubscriptions('llmCallTracked', 1);
    const spans = await recordSpans((tracer) => llmSpan(tracer, 'chat', { ...CHAT, 'gen_ai.agent.id': 'agt-7', 'gen_ai.agent.name': 'Support desk' }));
    expect((await exportSpans(server.url, key, spans)).status).toBe(200);
    expect(await next()).toEqual({
      llmCallTracked: { eventId: eventIdOf(spans[0]), modelId: 'gpt-4o-2024-08-06', agent: { id: 'agt-7', name: 'Support desk' } },
    });
  });
});
