/**
 * OTLP's wire formats, decoded and encoded by protobufjs with the static code generated from
 * opentelemetry-proto 1.x that `@opentelemetry/otlp-transformer@0.52.1` ships
 * (`build/src/generated/root.js`; installed under the alias `otlp-proto-1x`, pinned in
 * server/package.json). Later releases of that package encode by hand and ship no decoder.
 * OTLP/JSON goes through the same generated `fromObject`, once its hex ids are made bytes.
 */
import protobuf from 'protobufjs';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generated = require('otlp-proto-1x/build/src/generated/root.js') as GeneratedRoot;

/** A protobufjs int64 as the generated code hands it over: a Long, a number or a decimal string. */
type Int64 = number | string | { toString(): string };

interface GeneratedType<T> {
  decode(reader: Uint8Array): T;
  fromObject(object: Record<string, unknown>): T;
  encode(message: T): { finish(): Uint8Array };
}

interface GeneratedRoot {
  opentelemetry: {
    proto: {
      collector: {
        trace: {
          v1: {
            ExportTraceServiceRequest: GeneratedType<WireExportRequest>;
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

export interface WireExportRequest {
  resourceSpans?: {
    resource?: { attributes?: WireKeyValue[] | null } | null;
    scopeSpans?: { spans?: WireSpan[] | null }[] | null;
  }[] | null;
}

interface WireExportResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string } | null;
}

const { ExportTraceServiceRequest, ExportTraceServiceResponse } = generated.opentelemetry.proto.collector.trace.v1;

/** google.rpc.Status, the body OTLP/HTTP gives every 4xx and 5xx answer to a protobuf request. */
const RpcStatus = protobuf.Type.fromJSON('Status', {
  fields: { code: { type: 'int32', id: 1 }, message: { type: 'string', id: 2 } },
});

/** The content types OTLP/HTTP defines, and the encoding each stands for. */
export const OTLP_CONTENT_TYPES = { 'application/x-protobuf': 'protobuf', 'application/json': 'json' } as const;
export type OtlpEncoding = (typeof OTLP_CONTENT_TYPES)[keyof typeof OTLP_CONTENT_TYPES];

/** Thrown for a body that does not decode; its message says what was wrong. */
export class UndecodableBody extends Error {}

export function decodeProtobufRequest(body: Uint8Array): WireExportRequest {
  try {
    return ExportTraceServiceRequest.decode(body);
  } catch (error) {
    throw new UndecodableBody(`The body is not an OTLP ExportTraceServiceRequest in protobuf: ${(error as Error).message}`);
  }
}

const HEX_ID = /^(?:[0-9a-f]{2})*$/i;
const ID_FIELDS = ['traceId', 'spanId', 'parentSpanId'] as const;

/** OTLP/JSON is proto3 JSON but for its ids, which are hex where proto3 JSON has base64. */
function idsAsBytes(request: unknown): void {
  const resourceSpans = (request as { resourceSpans?: unknown }).resourceSpans;
  if (!Array.isArray(resourceSpans)) return;
  resourceSpans.forEach((resource: { scopeSpans?: unknown }, r) => {
    if (!Array.isArray(resource?.scopeSpans)) return;
    resource.scopeSpans.forEach((scope: { spans?: unknown }, s) => {
      if (!Array.isArray(scope?.spans)) return;
      scope.spans.forEach((span: Record<string, unknown>, i) => {
        if (!span || typeof span !== 'object') return;
        for (const field of ID_FIELDS) {
          const value = span[field];
          if (value === undefined || value === null) continue;
          if (typeof value !== 'string' || !HEX_ID.test(value)) {
            throw new UndecodableBody(
              `resourceSpans[${r}].scopeSpans[${s}].spans[${i}].${field} must be a hex string, but got ${JSON.stringify(value)}`,
            );
          }
          span[field] = Buffer.from(value, 'hex');
        }
      });
    });
  });
}

export function decodeJsonRequest(body: Buffer): WireExportRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new UndecodableBody(`The body is not JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UndecodableBody(`The body must be an OTLP ExportTraceServiceRequest object, but got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  idsAsBytes(parsed);
  try {
    return ExportTraceServiceRequest.fromObject(parsed as Record<string, unknown>);
  } catch (error) {
    throw new UndecodableBody(`The body is not an OTLP ExportTraceServiceRequest in JSON: ${(error as Error).message}`);
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
  try {
    return BigInt(typeof value === 'number' ? Math.trunc(value) : value.toString());
  } catch {
    return null;
  }
}

/** An int64 attribute value as a JavaScript number (token counts are far below 2^53). */
export function int64Number(value: Int64): number {
  return typeof value === 'number' ? value : Number(value.toString());
}
