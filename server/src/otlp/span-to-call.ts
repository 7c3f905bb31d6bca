import { findProvider } from '@pydantic/genai-prices';
import type { LlmCallInputValues } from '../ingest/validate-call';
import {
  AGENT_ID_ATTRIBUTES,
  WORKFLOW_ATTRIBUTES,
  USER_ID_ATTRIBUTES,
  SESSION_ID_ATTRIBUTES,
  TAGS_ATTRIBUTES,
  AGENT_NAME_ATTRIBUTE,
  AI_SDK_OPERATION_ATTRIBUTE,
  AI_SDK_PROVIDER_CALL,
  AI_SDK_SPAN,
  CACHE_READ_ATTRIBUTES,
  CACHE_WRITE_ATTRIBUTES,
  CONTENT_ATTRIBUTES,
  COST_ATTRIBUTES,
  ERROR_TYPE_ATTRIBUTE,
  GEN_AI_OPERATIONS,
  INPUT_TOKEN_ATTRIBUTES,
  LEGACY_REQUEST_TYPES,
  MAX_KEPT_METADATA_BYTES,
  MAX_KEPT_STRING,
  MODEL_ATTRIBUTES,
  OPENINFERENCE_KINDS,
  OUTPUT_TOKEN_ATTRIBUTES,
  PROVIDER_ATTRIBUTES,
  REASONING_ATTRIBUTES,
  RESOURCE_METADATA_ATTRIBUTES,
} from './conventions';
import { int64Number, nanos, type WireAnyValue, type WireKeyValue, type WireResource, type WireSpanOfResource } from './otlp-wire';

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

/** A span as the mapping reads it, whatever encoding it came in. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startNanos: bigint | null;
  endNanos: bigint | null;
  attributes: Attributes;
  /** OTLP's StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  resource: Attributes;
}

function attributeValue(value: WireAnyValue | null | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.intValue !== undefined && value.intValue !== null) return int64Number(value.intValue);
  if (value.doubleValue !== undefined && value.doubleValue !== null) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(attributeValue);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('base64');
  return null;
}

function attributesOf(list: WireKeyValue[] | null | undefined): Attributes {
  const attributes: Attributes = {};
  for (const { key, value } of list ?? []) if (key) attributes[key] = attributeValue(value);
  return attributes;
}

/** Hex of an id; a Buffer's bytes are read where they lie (the decoder hands out views of the body). */
const hex = (bytes: Uint8Array | null | undefined): string =>
  bytes ? (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('hex') : '';

/**
 * The spans of an export as the mapping reads them, each with its resource's attributes (read
 * once per resource). Lazy: a span is made when the next one is asked for.
 */
export function* otlpSpans(wireSpans: Iterable<WireSpanOfResource>): Generator<OtlpSpan> {
  let wireResource: WireResource | null | undefined;
  let resource: Attributes = {};
  for (const { span, resource: spanResource } of wireSpans) {
    if (spanResource !== wireResource) {
      wireResource = spanResource;
      resource = attributesOf(spanResource?.attributes);
    }
    yield {
      traceId: hex(span.traceId),
      spanId: hex(span.spanId),
      parentSpanId: hex(span.parentSpanId) || null,
      name: span.name ?? '',
      startNanos: nanos(span.startTimeUnixNano),
      endNanos: nanos(span.endTimeUnixNano),
      attributes: attributesOf(span.attributes),
      statusCode: span.status?.code ?? 0,
      statusMessage: span.status?.message ?? '',
      resource,
    };
  }
}

const firstOf = (attributes: Attributes, names: readonly string[]): AttributeValue | undefined => {
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
};

const textOf = (attributes: Attributes, names: readonly string[]): string | undefined => {
  const value = firstOf(attributes, names);
  return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
};

/** Tags given as a string array (or one string); validation trims them and drops repeats. */
const tagsOf = (attributes: Attributes): string[] | null => {
  const value = firstOf(attributes, TAGS_ATTRIBUTES);
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.map(String) : null;
};

const numberOf = (attributes: Attributes, names: readonly string[]): number | undefined => {
  const value = firstOf(attributes, names);
  if (value === undefined) return undefined;
  // a count sent as a string ("12") is still a count; anything else arrives as it is, for validation to name
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : (value as number);
};

/** The AI SDK names its spans in `ai.operationId`; the span name is the fallback. */
const aiSdkOperation = (span: OtlpSpan): string => {
  const operation = span.attributes[AI_SDK_OPERATION_ATTRIBUTE];
  return typeof operation === 'string' ? operation : span.name;
};

/**
 * The request type of a span that is one call to a model, or null for every other span (HTTP,
 * database, tools, agents, retrievers, and the AI SDK's wrappers around its provider calls).
 */
export function llmRequestType(span: OtlpSpan): string | null {
  const sdkOperation = aiSdkOperation(span);
  const sdkCall = AI_SDK_PROVIDER_CALL.exec(sdkOperation);
  if (sdkCall) return sdkCall[1] === 'doEmbed' ? 'embeddings' : 'chat';
  // an AI SDK wrapper (ai.generateText, ai.embedMany…) repeats the usage of the provider calls inside it
  if (typeof span.attributes[AI_SDK_OPERATION_ATTRIBUTE] === 'string' && AI_SDK_SPAN.test(sdkOperation)) return null;
  const operation = span.attributes['gen_ai.operation.name'];
  if (typeof operation === 'string' && GEN_AI_OPERATIONS.has(operation)) return operation;
  const kind = span.attributes['openinference.span.kind'];
  if (typeof kind === 'string' && OPENINFERENCE_KINDS[kind.toUpperCase()]) return OPENINFERENCE_KINDS[kind.toUpperCase()];
  const legacy = span.attributes['llm.request.type'];
  if (typeof legacy === 'string' && legacy.trim() !== '') return LEGACY_REQUEST_TYPES[legacy] ?? legacy;
  return null;
}

/** Providers whose OTel names the price registry's own matching misreads (Azure's OpenAI is Azure's). */
const PROVIDER_PREFIXES: [RegExp, string][] = [
  [/^(azure|az\.)/, 'azure'],
  [/^gcp\./, 'google'],
];

/** Provider names seen, as the registry names them: finding one scans the registry, and a sender uses few names. */
const registryProviders = new Map<string, string>();
const MAX_REMEMBERED_PROVIDERS = 1_000;

/**
 * A provider as the price registry names it: `openai.chat` → `openai`, `anthropic.messages` →
 * `anthropic`, `gcp.vertex_ai` → `google`, `azure.ai.openai` → `azure`, `x_ai` → `x-ai`. A
 * provider the registry does not know keeps its first dotted segment.
 */
export function registryProvider(name: string): string {
  const remembered = registryProviders.get(name);
  if (remembered !== undefined) return remembered;
  const found = findRegistryProvider(name);
  if (registryProviders.size >= MAX_REMEMBERED_PROVIDERS) registryProviders.clear();
  registryProviders.set(name, found);
  return found;
}

function findRegistryProvider(name: string): string {
  const lower = name.trim().toLowerCase();
  for (const [prefix, provider] of PROVIDER_PREFIXES) if (prefix.test(lower)) return provider;
  const firstSegment = lower.split('.')[0];
  for (const candidate of [lower, firstSegment, firstSegment.replace(/_/g, '-')]) {
    const found = findProvider({ providerId: candidate });
    if (found) return found.id;
  }
  return firstSegment;
}

const CONTENT_NAMES: ReadonlySet<string> = new Set(CONTENT_ATTRIBUTES);

/** Whether the key is a content attribute or lies under one (`llm.input_messages.0.message.content`). */
function isContent(key: string): boolean {
  for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', dot + 1)) if (CONTENT_NAMES.has(key.slice(0, dot))) return true;
  return CONTENT_NAMES.has(key);
}

/** About the JSON size of a kept value, without serialising it. */
const jsonSize = (value: AttributeValue): number => (typeof value === 'string' ? value.length + 2 : Array.isArray(value) ? JSON.stringify(value).length : 24);

const isKeepable = (value: AttributeValue): boolean =>
  typeof value === 'number' ||
  typeof value === 'boolean' ||
  (typeof value === 'string' && value.length <= MAX_KEPT_STRING) ||
  (Array.isArray(value) && value.every((item) => typeof item !== 'object' && (typeof item !== 'string' || item.length <= MAX_KEPT_STRING)));

/** Attributes a call's own fields hold already: metadata leaves them out. */
const MAPPED_ATTRIBUTES: ReadonlySet<string> = new Set([
  ...PROVIDER_ATTRIBUTES,
  ...INPUT_TOKEN_ATTRIBUTES,
  ...OUTPUT_TOKEN_ATTRIBUTES,
  ...CACHE_READ_ATTRIBUTES,
  ...CACHE_WRITE_ATTRIBUTES,
  ...REASONING_ATTRIBUTES,
  ...COST_ATTRIBUTES,
  ...AGENT_ID_ATTRIBUTES,
  ...WORKFLOW_ATTRIBUTES,
  ...USER_ID_ATTRIBUTES,
  ...SESSION_ID_ATTRIBUTES,
  ...TAGS_ATTRIBUTES,
  ERROR_TYPE_ATTRIBUTE,
  AI_SDK_OPERATION_ATTRIBUTE,
  'gen_ai.operation.name',
  'openinference.span.kind',
  'llm.request.type',
]);

/**
 * The sender's service and the span's attributes worth keeping: scalars, no prompts, no
 * completions, nothing the call's fields hold already (a model name other than the stored one,
 * such as the request model beside the response model, is kept).
 */
export function callMetadata(span: OtlpSpan, modelId: string): Record<string, AttributeValue> {
  const metadata: Record<string, AttributeValue> = { 'otel.span.name': span.name };
  for (const name of RESOURCE_METADATA_ATTRIBUTES) {
    const value = span.resource[name];
    if (value !== undefined && value !== null) metadata[name] = value;
  }
  let bytes = JSON.stringify(metadata).length;
  for (const key in span.attributes) {
    const value = span.attributes[key];
    if (MAPPED_ATTRIBUTES.has(key) || value === modelId || isContent(key) || !isKeepable(value)) continue;
    const size = key.length + jsonSize(value) + 4;
    if (bytes + size > MAX_KEPT_METADATA_BYTES) break;
    metadata[key] = value;
    bytes += size;
  }
  return metadata;
}

/** What names a span in a rejection: its ids and name (its attributes are let go once mapped). */
export type SpanName = Pick<OtlpSpan, 'traceId' | 'spanId' | 'name'>;

const nameOf = ({ traceId, spanId, name }: OtlpSpan): SpanName => ({ traceId, spanId, name });

/** One LLM span as a call for ingest, with the name its agent should be given if ingest makes it. */
export interface SpanCall {
  span: SpanName;
  values: LlmCallInputValues;
  agentName: string | null;
}

/** An LLM span that cannot be a call, and why. */
export interface SpanProblem {
  span: SpanName;
  message: string;
}

const NANOS_PER_MS = 1_000_000n;

/** Why an LLM span cannot be a call, or null when it can be one. */
function spanProblem(span: OtlpSpan): string | null {
  if (!span.traceId || !span.spanId) return `a span needs a traceId and a spanId, but got "${span.traceId}" and "${span.spanId}"`;
  if (!textOf(span.attributes, MODEL_ATTRIBUTES)) return `no model: expected one of ${MODEL_ATTRIBUTES.join(', ')}, but the span has none`;
  if (!textOf(span.attributes, PROVIDER_ATTRIBUTES)) return `no provider: expected one of ${PROVIDER_ATTRIBUTES.join(', ')}, but the span has none`;
  if (span.startNanos === null || span.endNanos === null || span.endNanos < span.startNanos) {
    return `the span must end after it starts, but got start ${span.startNanos} and end ${span.endNanos} (ns)`;
  }
  return null;
}

/** The call an LLM span stands for; ingest validates it like any other. */
export function spanToCall(span: OtlpSpan, requestType: string): SpanCall | SpanProblem {
  const problem = spanProblem(span);
  if (problem !== null) return { span: nameOf(span), message: problem };
  const { attributes } = span;
  const model = textOf(attributes, MODEL_ATTRIBUTES)!;
  const provider = textOf(attributes, PROVIDER_ATTRIBUTES)!;
  const startNanos = span.startNanos!;
  const endNanos = span.endNanos!;
  const errorType = textOf(attributes, [ERROR_TYPE_ATTRIBUTE]);
  const failed = span.statusCode === 2 || errorType !== undefined;
  const agentId = textOf(attributes, AGENT_ID_ATTRIBUTES) ?? null;
  return {
    span: nameOf(span),
    agentName: textOf(attributes, [AGENT_NAME_ATTRIBUTE]) ?? null,
    values: {
      eventId: `${span.traceId}-${span.spanId}`,
      occurredAt: new Date(Number(endNanos / NANOS_PER_MS)),
      modelId: model,
      provider: registryProvider(provider),
      inputTokens: numberOf(attributes, INPUT_TOKEN_ATTRIBUTES) ?? 0,
      outputTokens: numberOf(attributes, OUTPUT_TOKEN_ATTRIBUTES) ?? 0,
      cacheReadTokens: numberOf(attributes, CACHE_READ_ATTRIBUTES) ?? null,
      cacheWriteTokens: numberOf(attributes, CACHE_WRITE_ATTRIBUTES) ?? null,
      reasoningTokens: numberOf(attributes, REASONING_ATTRIBUTES) ?? null,
      latencyMs: Math.round(Number(endNanos - startNanos) / Number(NANOS_PER_MS)),
      status: failed ? 'ERROR' : 'SUCCESS',
      errorType: failed ? (errorType ?? (span.statusMessage || null)) : null,
      agentId,
      executionId: span.traceId,
      workflow: textOf(attributes, WORKFLOW_ATTRIBUTES) ?? null,
      userId: textOf(attributes, USER_ID_ATTRIBUTES) ?? null,
      sessionId: textOf(attributes, SESSION_ID_ATTRIBUTES) ?? null,
      tags: tagsOf(attributes),
      requestType,
      reportedCost: numberOf(attributes, COST_ATTRIBUTES) ?? null,
      metadata: callMetadata(span, model),
    },
  };
}

/** An export's calls, and the LLM spans that cannot be calls, as ingest takes them. */
export interface ExportCalls {
  /** How many calls `calls` yields (what the ingest rate limit admits). */
  count: number;
  calls: Iterable<SpanCall | SpanProblem>;
}

const spanKey = (traceId: string, spanId: string): string => `${traceId}-${spanId}`;

/**
 * The calls in an export: one per LLM span, every other span left out. An LLM span whose
 * parent is also an LLM span in the export wraps nothing: the parent is the wrapper, repeating
 * its child's usage, and is left out instead. Spans are read one at a time and only their
 * calls are kept, so an export's spans need never be in memory at once.
 */
export function callsOfExport(spans: Iterable<OtlpSpan>): ExportCalls {
  const mapped: (SpanCall | SpanProblem)[] = [];
  const wrappers = new Set<string>();
  for (const span of spans) {
    const requestType = llmRequestType(span);
    if (requestType === null) continue;
    if (span.parentSpanId) wrappers.add(spanKey(span.traceId, span.parentSpanId));
    mapped.push(spanToCall(span, requestType));
  }
  const calls = wrappers.size > 0 ? mapped.filter((call) => !wrappers.has(spanKey(call.span.traceId, call.span.spanId))) : mapped;
  return { count: calls.reduce((n, call) => n + ('values' in call ? 1 : 0), 0), calls };
}

/**
 * The calls of a large export, read in two passes over its spans (`spansOf` reads them anew
 * each time) so that the calls need never be in memory at once: the first finds the wrappers
 * and counts the calls, keeping only span ids; the second makes each call as it is asked for.
 */
export function callsOfLargeExport(spansOf: () => Iterable<OtlpSpan>): ExportCalls {
  const wrappers = new Set<string>();
  const callKeys: string[] = [];
  for (const span of spansOf()) {
    if (llmRequestType(span) === null) continue;
    if (span.parentSpanId) wrappers.add(spanKey(span.traceId, span.parentSpanId));
    if (spanProblem(span) === null) callKeys.push(spanKey(span.traceId, span.spanId));
  }
  const count = wrappers.size > 0 ? callKeys.filter((key) => !wrappers.has(key)).length : callKeys.length;
  return { count, calls: unwrappedCalls(spansOf, wrappers) };
}

function* unwrappedCalls(spansOf: () => Iterable<OtlpSpan>, wrappers: ReadonlySet<string>): Generator<SpanCall | SpanProblem> {
  for (const span of spansOf()) {
    const requestType = llmRequestType(span);
    if (requestType === null || (wrappers.size > 0 && wrappers.has(spanKey(span.traceId, span.spanId)))) continue;
    yield spanToCall(span, requestType);
  }
}
