import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import type { Attributes } from '@opentelemetry/api';
import { generateText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createDataSource } from '../src/db/data-source';
import { platformDb } from '../src/db/platform-db';
import { asSuperuser, createTestDatabase, type TestDatabase } from './support/database';
import { events } from './support/events';
import { waitUntil } from './support/processes';
import { CONTENT_TYPE, eventIdOf, exportBody, exportSpans, llmSpan, postTraces, recordSpans } from './support/otlp';
import { startTestServer, type TestServer } from './support/server';
import { storedCalls } from './support/stored-calls';
import { countReaches } from './support/live-counts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

const CALLS = `query Calls { llmCalls(period: LAST_24H, limit: 500) {
  eventId modelId provider requestType inputTokens outputTokens cacheReadTokens cacheWriteTokens reasoningTokens
  latencyMs status errorType executionId workflow userId sessionId tags occurredAt totalCost priced agent { id name }
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
    env: {
      ...process.env,
      OTEL_EXPORTER_OTLP_ENDPOINT: new URL(server.url).origin,
      // the README writes the space as %20, as the variable's format asks; a bare space works too
      OTEL_EXPORTER_OTLP_HEADERS: exporter === 'proto' ? `Authorization=Bearer ${key}` : `Authorization=Bearer%20${key}`,
    },
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
    await countReaches(server.gateway.services.subscriptions.live, 'llmCallTracked', 1);
    const spans = await recordSpans((tracer) => llmSpan(tracer, 'chat', { ...CHAT, 'gen_ai.agent.id': 'agt-7', 'gen_ai.agent.name': 'Support desk' }));
    expect((await exportSpans(server.url, key, spans)).status).toBe(200);
    expect(await next()).toEqual({
      llmCallTracked: { eventId: eventIdOf(spans[0]), modelId: 'gpt-4o-2024-08-06', agent: { id: 'agt-7', name: 'Support desk' } },
    });
  });
});

/** Each convention's names for a call, and the call Tally makes of it. */
const CONVENTIONS: [string, Attributes, Record<string, unknown>][] = [
  [
    'GenAI semconv, current names (provider name, cache read and write, reasoning, agent, cost)',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 5000,
      'gen_ai.usage.output_tokens': 800,
      'gen_ai.usage.cache_read.input_tokens': 3000,
      'gen_ai.usage.cache_creation.input_tokens': 1000,
      'gen_ai.usage.reasoning.output_tokens': 300,
      'gen_ai.agent.id': 'planner',
      'gen_ai.usage.cost': 0.0421,
    },
    { modelId: 'claude-sonnet-4-5', provider: 'anthropic', requestType: 'chat', inputTokens: 5000, outputTokens: 800, cacheReadTokens: 3000, cacheWriteTokens: 1000, reasoningTokens: 300, totalCost: 0.0421, agent: { id: 'planner', name: 'planner' } },
  ],
  [
    'GenAI semconv with its workflow, and OpenLLMetry (Traceloop) with its',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'gen_ai.workflow.name': 'nightly report', 'traceloop.workflow.name': 'ignored' },
    { workflow: 'nightly report' },
  ],
  [
    'OpenLLMetry (Traceloop) workflow name',
    { 'llm.request.type': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.prompt_tokens': 10, 'gen_ai.usage.completion_tokens': 2, 'traceloop.workflow.name': 'ticket triage' },
    { workflow: 'ticket triage' },
  ],
  [
    'GenAI semconv, cache writes under their newer name',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 1, 'gen_ai.usage.cache_write.input_tokens': 60 },
    { cacheWriteTokens: 60, cacheReadTokens: 0 },
  ],
  [
    'GenAI semconv, older names (gen_ai.system, prompt/completion tokens) as OpenLLMetry sends them',
    {
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.prompt_tokens': 400,
      'gen_ai.usage.completion_tokens': 50,
      'gen_ai.usage.cache_read_input_tokens': 100,
      'gen_ai.usage.cache_creation_input_tokens': 20,
      'gen_ai.usage.reasoning_tokens': 10,
    },
    { modelId: 'gpt-4o-mini', provider: 'openai', requestType: 'text_completion', inputTokens: 400, outputTokens: 50, cacheReadTokens: 100, cacheWriteTokens: 20, reasoningTokens: 10 },
  ],
  [
    'GenAI semconv generate_content from Vertex AI',
    { 'gen_ai.operation.name': 'generate_content', 'gen_ai.provider.name': 'gcp.vertex_ai', 'gen_ai.request.model': 'gemini-2.5-flash', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2 },
    { provider: 'google', requestType: 'generate_content', modelId: 'gemini-2.5-flash' },
  ],
  [
    "OpenLLMetry's legacy llm.request.type and llm.usage.* names",
    { 'llm.request.type': 'completion', 'gen_ai.system': 'Mistral_AI', 'llm.request.model': 'mistral-large-latest', 'llm.usage.prompt_tokens': 70, 'llm.usage.completion_tokens': 7 },
    { provider: 'mistral', requestType: 'text_completion', modelId: 'mistral-large-latest', inputTokens: 70, outputTokens: 7 },
  ],
  [
    'OpenInference LLM spans (llm.*), with their cost and token details',
    {
      'openinference.span.kind': 'LLM',
      'llm.provider': 'azure',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4.1',
      'llm.token_count.prompt': 900,
      'llm.token_count.completion': 90,
      'llm.token_count.prompt_details.cache_read': 500,
      'llm.token_count.prompt_details.cache_write': 100,
      'llm.token_count.completion_details.reasoning': 40,
      'llm.cost.total': 0.0123,
      'llm.input_messages.0.message.content': 'a prompt that is never stored',
    },
    { provider: 'azure', requestType: 'chat', modelId: 'gpt-4.1', inputTokens: 900, outputTokens: 90, cacheReadTokens: 500, cacheWriteTokens: 100, reasoningTokens: 40, totalCost: 0.0123 },
  ],
  [
    'OpenInference EMBEDDING spans',
    { 'openinference.span.kind': 'EMBEDDING', 'llm.system': 'openai', 'embedding.model_name': 'x', 'llm.model_name': 'text-embedding-3-large', 'llm.token_count.prompt': 64 },
    { requestType: 'embeddings', modelId: 'text-embedding-3-large', inputTokens: 64, outputTokens: 0 },
  ],
  [
    "the Vercel AI SDK's older usage names (ai.usage.promptTokens, completionTokens) on a doStream span",
    { 'ai.operationId': 'ai.streamText.doStream', 'ai.model.provider': 'xai.chat', 'ai.model.id': 'grok-3', 'ai.usage.promptTokens': 30, 'ai.usage.completionTokens': 3 },
    { provider: 'x-ai', requestType: 'chat', modelId: 'grok-3', inputTokens: 30, outputTokens: 3 },
  ],
  [
    "the Vercel AI SDK's v5 names (cachedInputTokens, reasoningTokens) and its response model",
    {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'openai.responses',
      'ai.model.id': 'o3-mini',
      'ai.response.model': 'o3-mini-2025-01-31',
      'ai.usage.inputTokens': 300,
      'ai.usage.outputTokens': 120,
      'ai.usage.cachedInputTokens': 200,
      'ai.usage.reasoningTokens': 100,
      'ai.prompt.messages': '[{"role":"user","content":"never stored"}]',
    },
    { provider: 'openai', modelId: 'o3-mini-2025-01-31', inputTokens: 300, outputTokens: 120, cacheReadTokens: 200, reasoningTokens: 100 },
  ],
  [
    "the Vercel AI SDK's embedding calls (ai.embedMany.doEmbed)",
    { 'ai.operationId': 'ai.embedMany.doEmbed', 'ai.model.provider': 'google.generative-ai', 'ai.model.id': 'text-embedding-004', 'ai.usage.tokens': 12 },
    { provider: 'google', requestType: 'embeddings', modelId: 'text-embedding-004', inputTokens: 12 },
  ],
  [
    'a failed call: status ERROR with error.type',
    { ...CHAT, 'error.type': 'rate_limit_exceeded' },
    { status: 'ERROR', errorType: 'rate_limit_exceeded' },
  ],
  [
    'OpenTelemetry user.id and session.id, Langfuse tags',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'user.id': 'customer-7', 'session.id': 'sess-1', 'langfuse.trace.tags': ['prod', ' beta ', 'prod'] },
    { userId: 'customer-7', sessionId: 'sess-1', tags: ['prod', 'beta'] },
  ],
  [
    'GenAI conversation id as the session, Langfuse user id',
    { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'langfuse.user.id': 'u-9', 'gen_ai.conversation.id': 'conv-3' },
    { userId: 'u-9', sessionId: 'conv-3', tags: [] },
  ],
];

describe('the conventions', () => {
  let byName: Map<string, Record<string, unknown>>;
  let metadata: Map<string, Record<string, unknown>>;

  beforeAll(async () => {
    const { key, workspaceId } = await server.workspaceWithKey('conventions');
    const spans = await recordSpans((tracer) => {
      for (const [name, attributes] of CONVENTIONS) llmSpan(tracer, name, attributes);
      llmSpan(tracer, 'status only', CHAT, { error: 'upstream timed out' });
    });
    const answer = await exportSpans(server.url, key, spans, 'json');
    expect(answer.status).toBe(200);
    expect(answer.partialSuccess).toBeUndefined();
    const calls = await callsOf(key);
    const nameOf = new Map(spans.map((span) => [eventIdOf(span), span.name]));
    byName = new Map(calls.map((call) => [nameOf.get(call.eventId)!, call]));
    const rows: { event_id: string; metadata: Record<string, unknown> }[] = await server.db.platform.query(
      'SELECT event_id, metadata FROM llm_usage WHERE workspace_id = $1',
      [workspaceId],
    );
    metadata = new Map(rows.map((row) => [nameOf.get(row.event_id)!, row.metadata]));
  });

  it.each(CONVENTIONS)('maps %s', (name, _attributes, expected) => {
    const { totalCost, ...rest } = expected;
    expect(byName.get(name)).toMatchObject(rest);
    if (totalCost !== undefined) expect(byName.get(name)!.totalCost).toBeCloseTo(totalCost as number, 12);
  });

  it('takes the status message as the error type when error.type is absent', () => {
    expect(byName.get('status only')).toMatchObject({ status: 'ERROR', errorType: 'upstream timed out' });
  });

  it('keeps the service name and the attributes no field holds in metadata, and never a prompt or a completion', () => {
    // the OpenInference span's other attributes are its call's fields, or content
    expect(metadata.get(CONVENTIONS[5][0])).toEqual({ 'service.name': 'checkout-api', 'otel.span.name': CONVENTIONS[5][0] });
    // the request model is kept beside the response model the call stores
    expect(metadata.get('status only')).toEqual({ 'service.name': 'checkout-api', 'otel.span.name': 'status only', 'gen_ai.request.model': 'gpt-4o' });
    expect(Object.keys(metadata.get(CONVENTIONS[8][0])!)).not.toContain('ai.prompt.messages');
    expect(JSON.stringify([...metadata.values()])).not.toContain('never stored');
  });
});

describe('the Vercel AI SDK', () => {
  it('stores one call for generateText with telemetry on: the provider call, not the span around it', async () => {
    const { key } = await server.workspaceWithKey('ai sdk');
    const spans = await recordSpans(async (tracer) => {
      const model = new MockLanguageModelV3({
        provider: 'anthropic.messages',
        modelId: 'claude-sonnet-4-5',
        doGenerate: async () => ({
          content: [{ type: 'text', text: 'Four.' }],
          finishReason: { unified: 'stop', raw: 'end_turn' },
          usage: {
            inputTokens: { total: 2000, noCache: 500, cacheRead: 1200, cacheWrite: 300 },
            outputTokens: { total: 150, text: 100, reasoning: 50 },
          },
          warnings: [],
        }),
      });
      await generateText({ model, prompt: 'What is 2 + 2?', experimental_telemetry: { isEnabled: true, tracer, functionId: 'arithmetic' } });
    });
    expect(spans.map((s) => s.name).sort()).toEqual(['ai.generateText', 'ai.generateText.doGenerate']);
    expect((await exportSpans(server.url, key, spans)).status).toBe(200);
    const calls = await callsOf(key);
    const provider = spans.find((s) => s.name === 'ai.generateText.doGenerate')!;
    expect(calls).toEqual([
      expect.objectContaining({
        eventId: eventIdOf(provider),
        provider: 'anthropic',
        modelId: 'claude-sonnet-4-5',
        requestType: 'chat',
        inputTokens: 2000,
        outputTokens: 150,
        cacheReadTokens: 1200,
        cacheWriteTokens: 300,
        reasoningTokens: 50,
        priced: true,
      }),
    ]);
  });
});

describe('bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('takes a %s-compressed export', async (encoding, compress) => {
    const { key } = await server.workspaceWithKey(`otel ${encoding}`);
    const spans = await recordSpans((tracer) => llmSpan(tracer, 'chat', CHAT));
    const answer = await postTraces(server.url, compress(exportBody(spans, 'protobuf')), { key, contentEncoding: encoding });
    expect(answer).toMatchObject({ status: 200, contentType: expect.stringContaining(CONTENT_TYPE.protobuf) });
    expect((await callsOf(key)).map((c) => c.eventId)).toEqual([eventIdOf(spans[0])]);
  });

  it('stores a resent export once, in raw rows, rollups and agent stats', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('otel resend');
    const spans = await recordSpans((tracer) => {
      llmSpan(tracer, 'chat', { ...CHAT, 'gen_ai.agent.name': 'triage' });
      llmSpan(tracer, 'chat', CHAT);
    });
    expect((await exportSpans(server.url, key, spans, 'protobuf', true)).status).toBe(200);
    const again = await exportSpans(server.url, key, spans, 'json');
    expect(again.status).toBe(200);
    expect(again.partialSuccess).toBeUndefined();
    expect(await storedCalls(server.db.platform, workspaceId)).toEqual({ rows: 2, distinctEventIds: 2, rollupMismatches: 0, agentStatsRequests: 1, agentRows: 1 });
  });

  it('stores 5,000 LLM spans of one export, past the 1,000 a trackLlmCalls batch may hold', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('otel five thousand');
    const spans = await recordSpans((tracer) => {
      for (let i = 0; i < 5000; i += 1) llmSpan(tracer, 'chat', { ...CHAT, 'gen_ai.usage.input_tokens': i, 'gen_ai.usage.output_tokens': 1 });
    });
    const answer = await exportSpans(server.url, key, spans, 'protobuf', true);
    expect(answer.status).toBe(200);
    expect(answer.partialSuccess).toBeUndefined();
    const [row]: { calls: number; input: string }[] = await server.db.platform.query(
      'SELECT count(*)::int AS calls, sum(input_tokens)::text AS input FROM llm_usage WHERE workspace_id = $1',
      [workspaceId],
    );
    expect(row).toEqual({ calls: 5000, input: String((4999 * 5000) / 2) });
    expect((await storedCalls(server.db.platform, workspaceId)).rollupMismatches).toBe(0);
  });
  it('stores large exports sent at once, declared by Content-Length or shown only once inflated, beside a small one', async () => {
    // a workspace each: 4,000 calls apiece would pass the ingest limit of one workspace together
    const senders = await Promise.all(['plain', 'another', 'zipped', 'small'].map((name) => server.workspaceWithKey(`otel large at once, ${name}`)));
    const spansOf = (count: number) =>
      recordSpans((tracer) => {
        for (let i = 0; i < count; i += 1) llmSpan(tracer, 'chat', CHAT);
      });
    // 4,000 spans make a body of about 1.2 MB, past the size stored one at a time
    const [plain, another, zipped, small] = await Promise.all([spansOf(4000), spansOf(4000), spansOf(4000), spansOf(10)]);
    expect(exportBody(plain, 'protobuf').length).toBeGreaterThan(1024 * 1024);
    const answers = await Promise.all([
      exportSpans(server.url, senders[0].key, plain),
      exportSpans(server.url, senders[1].key, another),
      exportSpans(server.url, senders[2].key, zipped, 'protobuf', true),
      exportSpans(server.url, senders[3].key, small),
    ]);
    expect(answers.map((a) => [a.status, a.partialSuccess])).toEqual([200, 200, 200, 200].map((status) => [status, undefined]));
    const stored = await Promise.all(senders.map(({ workspaceId }) => storedCalls(server.db.platform, workspaceId)));
    expect(stored.map(({ rows, rollupMismatches }) => ({ rows, rollupMismatches }))).toEqual(
      [4000, 4000, 4000, 10].map((rows) => ({ rows, rollupMismatches: 0 })),
    );
  });
});

describe('partial success', () => {
  it.each(['protobuf', 'json'] as const)('stores the good LLM spans and names each rejected one with its reason (%s)', async (encoding) => {
    const { key } = await server.workspaceWithKey(`otel partial ${encoding}`);
    const spans = await recordSpans((tracer) => {
      llmSpan(tracer, 'good', CHAT);
      llmSpan(tracer, 'negative', { ...CHAT, 'gen_ai.usage.output_tokens': -4 });
      llmSpan(tracer, 'no model', { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai' });
      llmSpan(tracer, 'good too', CHAT);
    });
    const answer = await exportSpans(server.url, key, spans, encoding);
    expect(answer.status).toBe(200);
    expect(Number(answer.partialSuccess?.rejectedSpans)).toBe(2);
    const message = answer.partialSuccess?.errorMessage ?? '';
    expect(message).toContain('2 LLM spans were not stored');
    expect(message).toContain(`span ${spans[1].spanContext().spanId} of trace ${spans[1].spanContext().traceId} ("negative"): outputTokens must be a whole number from 0 to 100,000,000, but got -4`);
    expect(message).toContain('("no model"): no model: expected one of gen_ai.response.model');
    expect((await callsOf(key)).map((c) => c.eventId).sort()).toEqual([eventIdOf(spans[0]), eventIdOf(spans[3])].sort());
  });
});

describe('refusals', () => {
  let key: string;
  let body: Uint8Array;
  beforeAll(async () => {
    ({ key } = await server.workspaceWithKey('otel refusals'));
    body = exportBody(await recordSpans((tracer) => llmSpan(tracer, 'chat', CHAT)), 'protobuf');
  });

  it('answers 400 with a Status for a body that does not decode', async () => {
    const answer = await postTraces(server.url, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { key });
    expect(answer).toMatchObject({ status: 400, contentType: expect.stringContaining(CONTENT_TYPE.protobuf) });
    expect(answer.body.toString('latin1')).toContain('The body is not an OTLP ExportTraceServiceRequest in protobuf');
  });

  it.each([
    ['JSON that is not JSON', '{"resourceSpans": [', 'The body is not JSON'],
    ['an id that is not hex', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz', spanId: '01' }] }] }] }), 'resourceSpans[0].scopeSpans[0].spans[0].traceId must be a hex string, but got "zz"'],
    ['a field of the wrong type', JSON.stringify({ resourceSpans: 'all of them' }), 'The body is not an OTLP ExportTraceServiceRequest in JSON'],
  ])('answers 400 for %s, saying what was wrong', async (_name, json, message) => {
    const answer = await postTraces(server.url, json, { key, contentType: 'application/json' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString())).toEqual({ code: 3, message: expect.stringContaining(message) });
  });

  it('answers 401 without a key, and with a wrong one', async () => {
    expect((await postTraces(server.url, body, { key: null })).status).toBe(401);
    const wrong = await postTraces(server.url, body, { key: 'tly_not_a_key', contentType: 'application/json' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body.toString()).message).toBe('This API key is not valid: check it or ask an admin for a new one');
  });

  it('answers 403 for a member key that names another workspace', async () => {
    const other = await server.workspaceWithKey('otel refusals, other');
    expect((await postTraces(server.url, body, { key, workspace: other.workspaceId })).status).toBe(403);
    expect(await callsOf(other.key)).toEqual([]);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['none', ''],
  ])('answers 415 for the content type %s', async (_name, contentType) => {
    const answer = await postTraces(server.url, body, { key, contentType });
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body.toString()).message).toContain('Content-Type must be application/x-protobuf or application/json');
  });

  it('answers 415 for a content encoding it cannot inflate', async () => {
    expect((await postTraces(server.url, body, { key, contentEncoding: 'zstd' })).status).toBe(415);
  });

  it('answers 413 for a body over 5 MB, before reading it whole', async () => {
    const large = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
    const answer = await postTraces(server.url, large, { key, contentType: 'application/json' });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body.toString()).message).toBe('The body may be at most 5mb (after decompression)');
  });

  it('answers 413 for a gzip body that inflates past 5 MB', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    expect((await postTraces(server.url, bomb, { key, contentType: 'application/json', contentEncoding: 'gzip' })).status).toBe(413);
  });
});

describe('keys and workspaces', () => {
  it.each(['MEMBER', 'ADMIN'] as const)('takes an export from a %s key, into its own workspace', async (role) => {
    const { key, workspaceId } = await server.workspaceWithKey(`otel ${role}`, role);
    const spans = await recordSpans((tracer) => llmSpan(tracer, 'chat', CHAT));
    expect((await exportSpans(server.url, key, spans)).status).toBe(200);
    const [row]: { workspace_id: string }[] = await server.db.platform.query('SELECT workspace_id FROM llm_usage WHERE event_id = $1', [eventIdOf(spans[0])]);
    expect(row.workspace_id).toBe(workspaceId);
  });

  it("keeps one workspace's exported calls out of another's, even for the same span ids", async () => {
    const a = await server.workspaceWithKey('otel isolation A');
    const b = await server.workspaceWithKey('otel isolation B');
    const spans = await recordSpans((tracer) => llmSpan(tracer, 'chat', CHAT));
    await exportSpans(server.url, a.key, spans);
    expect(await callsOf(b.key)).toEqual([]);
    await exportSpans(server.url, b.key, spans);
    expect((await callsOf(a.key)).map((c) => c.eventId)).toEqual([eventIdOf(spans[0])]);
    expect((await callsOf(b.key)).map((c) => c.eventId)).toEqual([eventIdOf(spans[0])]);
  });
});

describe('a database that refuses connections', () => {
  let database: TestDatabase;
  let gateway: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    const dataSource = createDataSource(database.url, 5, { connectTimeoutMs: 2000, recoveryWaitMs: 300 });
    await dataSource.initialize();
    gateway = await startTestServer({ database: { url: database.url, dataSource, platform: platformDb(dataSource), dispose: () => dataSource.destroy() } });
  });
  afterAll(async () => {
    await asSuperuser(`ALTER DATABASE ${new URL(database.url).pathname.slice(1)} ALLOW_CONNECTIONS true`);
    await gateway.dispose();
    await gateway.db.dispose();
    await database.dispose();
  });

  it('answers 503 with Retry-After, so exporters send again, and stores the export once they do', async () => {
    const { key, workspaceId } = await gateway.workspaceWithKey('otel outage');
    const spans = await recordSpans((tracer) => llmSpan(tracer, 'chat', CHAT));
    const first = await recordSpans((tracer) => llmSpan(tracer, 'chat', CHAT));
    expect((await exportSpans(gateway.url, key, first)).status).toBe(200); // the key is known now
    const name = new URL(database.url).pathname.slice(1);
    await asSuperuser(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await asSuperuser('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    const pool = (gateway.gateway.services.dataSource.driver as PostgresDriver).master as { totalCount: number };
    await waitUntil('the pool to drop its ended connections', () => pool.totalCount === 0);

    const refused = await exportSpans(gateway.url, key, spans);
    expect(refused).toMatchObject({ status: 503, retryAfter: '2' });
    expect(refused.body.length).toBeGreaterThan(0);

    await asSuperuser(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await exportSpans(gateway.url, key, spans)).status).toBe(200);
    expect((await storedCalls(gateway.db.platform, workspaceId)).rows).toBe(2);
  });
});
