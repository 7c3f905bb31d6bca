import { once } from 'node:events';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** Spans made by the real OpenTelemetry SDK: `build` starts and ends them on a tracer. */
export async function recordSpans(build: (tracer: Tracer) => void | Promise<void>, serviceName = 'checkout-api'): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  await build(provider.getTracer('tally-test'));
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** One finished span of `latencyMs`, ending a second ago, with these attributes. */
export function llmSpan(tracer: Tracer, name: string, attributes: Attributes, { latencyMs = 1200, error }: { latencyMs?: number; error?: string } = {}): void {
  const end = Date.now() - 1000;
  const span = tracer.startSpan(name, { attributes, startTime: new Date(end - latencyMs) });
  if (error) span.setStatus({ code: 2, message: error });
  span.end(new Date(end));
}

/** The span ids an export gives: trace id and span id, as the stored call's eventId. */
export const eventIdOf = (span: ReadableSpan): string => `${span.spanContext().traceId}-${span.spanContext().spanId}`;

export type OtlpEncodingName = 'protobuf' | 'json';

export const CONTENT_TYPE: Record<OtlpEncodingName, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** An ExportTraceServiceRequest for these spans, encoded as the SDK's exporters encode it. */
export function exportBody(spans: ReadableSpan[], encoding: OtlpEncodingName): Uint8Array {
  const serializer = encoding === 'protobuf' ? ProtobufTraceSerializer : JsonTraceSerializer;
  return serializer.serializeRequest(spans)!;
}

export interface OtlpAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: Buffer;
  /** The ExportTraceServiceResponse of a 200, decoded by the SDK's own serializer. */
  partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string };
}

export interface PostOptions {
  key?: string | null;
  /** @default application/x-protobuf; '' sends no Content-Type */
  contentType?: string;
  contentEncoding?: string;
  workspace?: string;
}

/**
 * POSTs a body to /v1/traces of the gateway at `graphqlUrl`'s origin, on a connection of its own:
 * a kept-alive one can be closed by the gateway while a test spends seconds building its spans.
 */
export async function postTraces(graphqlUrl: string, body: Uint8Array | string, options: PostOptions = {}): Promise<OtlpAnswer> {
  const headers: Record<string, string> = {};
  if (options.contentType !== '') headers['content-type'] = options.contentType ?? CONTENT_TYPE.protobuf;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.contentEncoding) headers['content-encoding'] = options.contentEncoding;
  if (options.workspace) headers['x-workspace-id'] = options.workspace;
  const request = http.request(new URL('/v1/traces', graphqlUrl), { method: 'POST', headers, agent: false });
  request.end(body);
  const [response] = (await once(request, 'response')) as [http.IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const header = (name: string): string | null => (response.headers[name] as string | undefined) ?? null;
  const answer: OtlpAnswer = { status: response.statusCode!, contentType: header('content-type'), retryAfter: header('retry-after'), body: Buffer.concat(chunks) };
  if (answer.status === 200) {
    const serializer = answer.contentType?.startsWith(CONTENT_TYPE.json) ? JsonTraceSerializer : ProtobufTraceSerializer;
    answer.partialSuccess = serializer.deserializeResponse(answer.body).partialSuccess as OtlpAnswer['partialSuccess'];
  }
  return answer;
}

/** Exports spans as the SDK encodes them, gzipped when asked. */
export function exportSpans(graphqlUrl: string, key: string, spans: ReadableSpan[], encoding: OtlpEncodingName = 'protobuf', gzip = false): Promise<OtlpAnswer> {
  const body = exportBody(spans, encoding);
  return postTraces(graphqlUrl, gzip ? gzipSync(body) : body, { key, contentType: CONTENT_TYPE[encoding], contentEncoding: gzip ? 'gzip' : undefined });
}
