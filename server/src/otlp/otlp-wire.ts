/**
 * OTLP's wire formats, decoded and encoded by protobufjs with the static code generated from
 * opentelemetry-proto 1.x that `@opentelemetry/otlp-transformer@0.52.1` ships
 * (`build/src/generated/root.js`; installed under the alias `otlp-proto-1x`, pinned in
 * server/package.json). Later releases of that package encode by hand and ship no decoder.
 * OTLP/JSON goes through the same generated `fromObject`, once its hex ids are made bytes.
 *
 * An export is read one span at a time: the generated decoder takes each Resource and each
 * Span, and protobufjs's Reader steps through the two messages around them (ResourceSpans and
 * ScopeSpans) as the generated code would. A decoded span is garbage once it is mapped, so a
 * 5 MB export never stands in memory as one tree of tens of thousands of objects.
 */
import protobuf from 'protobufjs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generated = require('otlp-proto-1x/build/src/generated/root.js') as GeneratedRoot;

/** A protobufjs int64 as the generated code hands it over: a Long, a number or a decimal string. */
type Int64 = number | string | LongBits | { toString(): string };

/** The parts of a Long (the `long` package protobufjs decodes 64-bit integers to) the conversions read. */
interface LongBits {
  low: number;
  high: number;
  unsigned: boolean;
  toNumber(): number;
}

const isLong = (value: Int64): value is LongBits => typeof value === 'object' && typeof (value as LongBits).toNumber === 'function';

interface GeneratedType<T> {
  decode(reader: Uint8Array | protobuf.Reader, length?: number): T;
  fromObject(object: Record<string, unknown>): T;
  encode(message: T): { finish(): Uint8Array };
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      resource: { v1: { Resource: GeneratedType<WireResource> } };
      trace: {
        v1: {
          Span: GeneratedType<WireSpan>;
          ResourceSpans: GeneratedType<unknown>;
          ScopeSpans: GeneratedType<unknown>;
        };
      };
      collector: {
        trace: {
          v1: {
            ExportTraceServiceResponse: GeneratedType<WireExportResponse>;
          };
        };
      };
    };
  };
}

export interface WireAnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64 | null;
  doubleValue?: number | null;
  arrayValue?: { values?: WireAnyValue[] | null } | null;
  kvlistValue?: { values?: WireKeyValue[] | null } | null;
  bytesValue?: Uint8Array | null;
}

export interface WireKeyValue {
  key?: string | null;
  value?: WireAnyValue | null;
}

export interface WireSpan {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  parentSpanId?: Uint8Array | null;
  name?: string | null;
  startTimeUnixNano?: Int64 | null;
  endTimeUnixNano?: Int64 | null;
  attributes?: WireKeyValue[] | null;
  status?: { code?: number | null; message?: string | null } | null;
}

export interface WireResource {
  attributes?: WireKeyValue[] | null;
}

/** A span of an export and its resource (one object for every span of that resource). */
export interface WireSpanOfResource {
  span: WireSpan;
  resource: WireResource | null;
}

interface WireExportResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string } | null;
}

const { ExportTraceServiceResponse } = generated.opentelemetry.proto.collector.trace.v1;
const { Resource } = generated.opentelemetry.proto.resource.v1;
const { Span, ResourceSpans, ScopeSpans } = generated.opentelemetry.proto.trace.v1;

/**
 * Field numbers of the messages around the spans: `ExportTraceServiceRequest.resource_spans`
 * (collector/trace/v1/trace_service.proto), `ResourceSpans.resource`, `ResourceSpans.scope_spans`
 * and `ScopeSpans.spans` (trace/v1/trace.proto).
 */
const REQUEST_RESOURCE_SPANS = 1;
const RESOURCE_SPANS_RESOURCE = 1;
const RESOURCE_SPANS_SCOPE_SPANS = 2;
const SCOPE_SPANS_SPANS = 2;

/** google.rpc.Status, the body OTLP/HTTP gives every 4xx and 5xx answer to a protobuf request. */
const RpcStatus = protobuf.Type.fromJSON('Status', {
  fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
});

/** The content types OTLP/HTTP defines, and the encoding each stands for. */
export const OTLP_CONTENT_TYPES = { 'application/x-protobuf': 'protobuf', 'application/json': 'json' } as const;
export type OtlpEncoding = (typeof OTLP_CONTENT_TYPES)[keyof typeof OTLP_CONTENT_TYPES];

/** Thrown for a body that does not decode; its message says what was wrong. */
export class UndecodableBody extends Error {}

/**
 * Calls `field` for each occurrence of the field numbered `number` in the message from the
 * reader's position to `end`, with the reader at the start of its bytes and the end of them;
 * every other field is skipped, as the generated decoders skip fields they do not know.
 */
function eachEmbedded(reader: protobuf.Reader, end: number, number: number, field: (end: number) => void): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag >>> 3 !== number) {
      reader.skipType(tag & 7);
      continue;
    }
    const length = reader.uint32();
    const fieldEnd = reader.pos + length;
    if (fieldEnd > end) throw new RangeError(`field ${number} at offset ${reader.pos} is ${length} bytes long, past the end of its message at ${end}`);
    field(fieldEnd);
    reader.pos = fieldEnd;
  }
}

/** Each span of a protobuf ExportTraceServiceRequest, decoded as it is reached. */
export function* protobufSpans(body: Uint8Array): Generator<WireSpanOfResource> {
  const reader = protobuf.Reader.create(body);
  // [start, end, start, end…] of each ResourceSpans, then of each Span in one
  const resourceSpansRanges: number[] = [];
  try {
    eachEmbedded(reader, reader.len, REQUEST_RESOURCE_SPANS, (end) => resourceSpansRanges.push(reader.pos, end));
  } catch (error) {
    throw undecodableProtobuf(error);
  }
  for (let r = 0; r < resourceSpansRanges.length; r += 2) {
    const start = resourceSpansRanges[r];
    const end = resourceSpansRanges[r + 1];
    let resource: WireResource | null = null;
    const spanRanges: number[] = [];
    try {
      // the resource may follow its spans on the wire; as in the generated decoder, the last one counts
      reader.pos = start;
      eachEmbedded(reader, end, RESOURCE_SPANS_RESOURCE, (resourceEnd) => (resource = Resource.decode(reader, resourceEnd - reader.pos)));
      reader.pos = start;
      eachEmbedded(reader, end, RESOURCE_SPANS_SCOPE_SPANS, (scopeEnd) =>
        eachEmbedded(reader, scopeEnd, SCOPE_SPANS_SPANS, (spanEnd) => spanRanges.push(reader.pos, spanEnd)),
      );
    } catch (error) {
      throw undecodableProtobuf(error);
    }
    for (let i = 0; i < spanRanges.length; i += 2) {
      let span: WireSpan;
      try {
        reader.pos = spanRanges[i];
        span = Span.decode(reader, spanRanges[i + 1] - spanRanges[i]);
      } catch (error) {
        throw undecodableProtobuf(error);
      }
      yield { span, resource };
    }
  }
}

const undecodableProtobuf = (error: unknown): UndecodableBody =>
  new UndecodableBody(`The body is not an OTLP ExportTraceServiceRequest in protobuf: ${(error as Error).message}`);

const HEX_ID = /^(?:[0-9a-f]{2})*$/i;
const ID_FIELDS = ['traceId', 'spanId', 'parentSpanId'] as const;

/** OTLP/JSON is proto3 JSON but for its ids, which are hex where proto3 JSON has base64. */
function idsAsBytes(span: Record<string, unknown>, path: string): void {
  for (const field of ID_FIELDS) {
    const value = span[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !HEX_ID.test(value)) throw new UndecodableBody(`${path}.${field} must be a hex string, but got ${quoted(value)}`);
    span[field] = Buffer.from(value, 'hex');
  }
}

/** A value as an error message quotes it, cut short: a wrong field may hold the whole export. */
const quoted = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

const undecodableJson = (message: string): UndecodableBody => new UndecodableBody(`The body is not an OTLP ExportTraceServiceRequest in JSON: ${message}`);

/** The objects of a repeated message field, checked as the generated fromObject checks them: absent, or an array of objects. */
function jsonMessages(owner: Record<string, unknown>, field: string, path: string): Record<string, unknown>[] {
  const value = owner[field];
  if (!value) return [];
  if (!Array.isArray(value)) throw undecodableJson(`${path}${field} must be an array, but got ${quoted(value)}`);
  value.forEach((item, i) => {
    if (!item || typeof item !== 'object') throw undecodableJson(`${path}${field}[${i}] must be an object, but got ${quoted(item)}`);
  });
  return value as Record<string, unknown>[];
}

/** The generated fromObject of a message, its errors made an UndecodableBody. */
function fromJson<T>(type: GeneratedType<T>, object: Record<string, unknown>): T {
  try {
    return type.fromObject(object);
  } catch (error) {
    throw undecodableJson((error as Error).message);
  }
}

/**
 * Each span of an OTLP/JSON ExportTraceServiceRequest, made a message as it is reached; the
 * parsed JSON of a span is let go once it is.
 */
export function* jsonSpans(body: Buffer): Generator<WireSpanOfResource> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new UndecodableBody(`The body is not JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UndecodableBody(`The body must be an OTLP ExportTraceServiceRequest object, but got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const resourceSpansList = jsonMessages(parsed as Record<string, unknown>, 'resourceSpans', '');
  for (const [r, resourceSpans] of resourceSpansList.entries()) {
    const scopeSpansList = jsonMessages(resourceSpans, 'scopeSpans', `resourceSpans[${r}].`);
    // the messages around the spans are checked by their own fromObject, their spans left out
    const { resource = null } = fromJson(ResourceSpans, { ...resourceSpans, scopeSpans: undefined }) as { resource?: WireResource | null };
    for (const [s, scopeSpans] of scopeSpansList.entries()) {
      const spans = jsonMessages(scopeSpans, 'spans', `resourceSpans[${r}].scopeSpans[${s}].`);
      fromJson(ScopeSpans, { ...scopeSpans, spans: undefined });
      for (let i = 0; i < spans.length; i++) {
        idsAsBytes(spans[i], `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`);
        const span = fromJson(Span, spans[i]);
        (spans as unknown[])[i] = null;
        yield { span, resource };
      }
    }
  }
}

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** ExportTraceServiceResponse in the request's encoding; `partial_success` only when something was rejected. */
export function encodeExportResponse(encoding: OtlpEncoding, partial: PartialSuccess | null): Buffer | string {
  if (encoding === 'json') {
    return JSON.stringify(partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {});
  }
  return Buffer.from(ExportTraceServiceResponse.encode(partial ? { partialSuccess: partial } : {}).finish());
}

/** A google.rpc.Status body for a refusal, in the request's encoding (JSON when the encoding is unknown). */
export function encodeStatus(encoding: OtlpEncoding | null, code: number, message: string): Buffer | string {
  if (encoding === 'protobuf') return Buffer.from(RpcStatus.encode(RpcStatus.create({ code, message })).finish());
  return JSON.stringify({ code, message });
}

/** Whole nanoseconds since the epoch, exactly (int64 exceeds a double's integers). */
export function nanos(value: Int64 | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  if (isLong(value)) {
    const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
    return value.unsigned ? bits : BigInt.asIntN(64, bits);
  }
  try {
    return BigInt(typeof value === 'number' ? Math.trunc(value) : value.toString());
  } catch {
    return null;
  }
}

/** An int64 attribute value as a JavaScript number (token counts are far below 2^53). */
export function int64Number(value: Int64): number {
  if (typeof value === 'number') return value;
  // a Long's toNumber rounds once, to the same double as its decimal digits would
  return isLong(value) ? value.toNumber() : Number(value.toString());
}
