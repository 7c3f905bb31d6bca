import { Mutex, Semaphore } from 'async-mutex';
import express, { type Request, type Response } from 'express';
import { routeAllows, ROUTES } from '../auth/access';
import { authenticate } from '../auth/auth.service';
import { isDatabaseUnavailable } from '../db/unavailable';
import { callerOf, type Services } from '../graphql/context';
import { AppError, RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from '../graphql/errors';
import { publishStored } from '../ingest/ingest.resolver';
import { RateLimitedError, retryAfterSeconds } from '../rate-limits';
import { ingestSpanCalls, partialSuccess } from './otlp.service';
import { encodeExportResponse, encodeStatus, jsonSpans, OTLP_CONTENT_TYPES, protobufSpans, UndecodableBody, type OtlpEncoding } from './otlp-wire';
import { callsOfExport, callsOfLargeExport, otlpSpans, type ExportCalls } from './span-to-call';

/** The largest export body, after decompression; a larger one is refused while it streams in. */
export const MAX_OTLP_BODY = '5mb';

/**
 * Exports read, decoded and stored at once. The others wait before their body is read, so
 * their bytes stay in the sockets (TCP holds the senders back) and not in the gateway's memory:
 * the calls of a 5 MB export (some 12,000 spans) hold about 10 MB until the last is stored.
 */
export const CONCURRENT_EXPORTS = 2;

/**
 * A body past this size (after decompression) is decoded and stored while no other such body
 * is: the calls of a 5 MB export stay in memory until the last of them is stored, and two at
 * once would double that. A smaller export goes beside it.
 */
export const LARGE_EXPORT_BYTES = 1024 * 1024;

/** HTTP status of each refusal, and the google.rpc.Code its Status body carries. */
const REFUSALS: Record<string, { http: number; rpc: number }> = {
  BAD_USER_INPUT: { http: 400, rpc: 3 }, // INVALID_ARGUMENT
  UNAUTHENTICATED: { http: 401, rpc: 16 },
  FORBIDDEN: { http: 403, rpc: 7 }, // PERMISSION_DENIED
  PAYLOAD_TOO_LARGE: { http: 413, rpc: 8 }, // RESOURCE_EXHAUSTED
  UNSUPPORTED_MEDIA_TYPE: { http: 415, rpc: 3 },
  RATE_LIMITED: { http: 429, rpc: 8 },
  UNAVAILABLE: { http: 503, rpc: 14 },
  INTERNAL_SERVER_ERROR: { http: 500, rpc: 13 },
};

class Refusal extends Error {
  constructor(
    readonly code: keyof typeof REFUSALS,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function encodingOf(req: Request): OtlpEncoding | null {
  const mediaType = (single(req.headers['content-type']) ?? '').split(';')[0].trim().toLowerCase();
  return OTLP_CONTENT_TYPES[mediaType as keyof typeof OTLP_CONTENT_TYPES] ?? null;
}

/** body-parser reads the body, inflating gzip and deflate, and stops at the limit as it streams. */
const readRawBody = express.raw({ type: () => true, limit: MAX_OTLP_BODY, inflate: true });

function readBody(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    readRawBody(req, res, (error?: unknown) => {
      if (!error) return resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') return reject(new Refusal('PAYLOAD_TOO_LARGE', `The body may be at most ${MAX_OTLP_BODY} (after decompression)`));
      if (type === 'encoding.unsupported') {
        return reject(
          new Refusal('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding must be gzip, deflate or none, but got "${single(req.headers['content-encoding'])}"`),
        );
      }
      reject(new Refusal('BAD_USER_INPUT', `The body could not be read: ${(error as Error).message}`));
    });
  });
}

/**
 * The calls of an export body, its spans decoded and mapped one at a time. A large protobuf
 * body is read twice (see callsOfLargeExport) and its calls made as they are stored, so that
 * they never stand in memory at once; JSON is parsed whole anyway, and read once.
 */
function callsOfBody(encoding: OtlpEncoding, body: Buffer): ExportCalls {
  if (encoding === 'protobuf' && body.length > LARGE_EXPORT_BYTES) return callsOfLargeExport(() => otlpSpans(protobufSpans(body)));
  return callsOfExport(otlpSpans(encoding === 'protobuf' ? protobufSpans(body) : jsonSpans(body)));
}

function refusalOf(error: unknown): Refusal | null {
  if (error instanceof Refusal) return error;
  if (error instanceof UndecodableBody) return new Refusal('BAD_USER_INPUT', error.message);
  if (error instanceof RateLimitedError) {
    return new Refusal('RATE_LIMITED', error.message, error.retryAfterMs === undefined ? undefined : retryAfterSeconds(error.retryAfterMs));
  }
  if (error instanceof AppError && REFUSALS[error.code]) return new Refusal(error.code, error.message);
  if (isDatabaseUnavailable(error)) return new Refusal('UNAVAILABLE', UNAVAILABLE_MESSAGE, RETRY_AFTER_SECONDS);
  return null;
}

/**
 * POST /v1/traces: OTLP/HTTP trace export, in protobuf or JSON. Its LLM spans become calls
 * stored through the ingest path trackLlmCalls uses; every other span is left out. Keys and
 * X-Workspace-ID work as on /graphql, and a key may export when it may call trackLlmCalls.
 */
/** This route's entry in the access table. */
const OTLP_ROUTE = 'POST /v1/traces';

export function otlpTracesRoute(services: Services) {
  const { logger } = services;
  const exporting = new Semaphore(CONCURRENT_EXPORTS);
  const storingLarge = new Mutex();

  /**
   * Reads the body holding an export slot and stores it, a large one holding storingLarge too.
   * The lock is always taken before the slot, so no two exports wait on each other: a body
   * Content-Length declares large waits for the lock unread; one whose size shows only once
   * read (compressed, or sent in chunks) gives its slot back and queues for the lock.
   */
  async function receiveExport<T>(req: Request, res: Response, store: (body: Buffer) => Promise<T>): Promise<T> {
    const declared = Number(single(req.headers['content-length']));
    const declaredLarge = !req.headers['content-encoding'] && declared > LARGE_EXPORT_BYTES;
    const releaseLarge = declaredLarge ? await storingLarge.acquire() : null;
    try {
      let [, releaseSlot] = await exporting.acquire();
      try {
        const body = await readBody(req, res);
        if (releaseLarge || body.length <= LARGE_EXPORT_BYTES) return await store(body);
        releaseSlot();
        releaseSlot = () => undefined;
        return await storingLarge.runExclusive(() => exporting.runExclusive(() => store(body)));
      } finally {
        releaseSlot();
      }
    } finally {
      releaseLarge?.();
    }
  }
  return async (req: Request, res: Response): Promise<void> => {
    const encoding = encodingOf(req);
    const send = (status: number, body: Buffer | string): void => {
      res.status(status).type(encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json').send(body);
    };
    try {
      if (!encoding) {
        const got = single(req.headers['content-type']);
        throw new Refusal('UNSUPPORTED_MEDIA_TYPE', `Content-Type must be application/x-protobuf or application/json, but got ${got ? `"${got}"` : 'none'}`);
      }
      const auth = await authenticate(services.keys, services.platform, single(req.headers.authorization), single(req.headers['x-workspace-id']));
      if (!auth.ok) throw auth.error;
      const viewer = auth.viewer;
      if (!routeAllows(OTLP_ROUTE, viewer.role)) {
        throw new Refusal('FORBIDDEN', `${OTLP_ROUTE} needs a key with role ${(ROUTES[OTLP_ROUTE] as readonly string[]).join(', ')}, but got ${viewer.role}`);
      }
      const workspaceId = auth.ok && auth.scope.kind === 'workspace' ? auth.scope.workspaceId : viewer.workspaceId;
      const store = async (body: Buffer) => {
        const found = callsOfBody(encoding, body);
        await services.limits.admitIngest(workspaceId, found.count, callerOf(viewer));
        return ingestSpanCalls(services.dataSource, workspaceId, found.calls, services.now(), (batch) => publishStored(services.pubsub, batch));
      };
      const outcome = await receiveExport(req, res, store);
      services.monitoring.prometheus.countRejectedCalls(outcome.rejected.length);
      send(200, encodeExportResponse(encoding, partialSuccess(outcome.rejected)));
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) logger.error({ err: error }, 'OTLP export failed');
      else if (refusal.code === 'UNAVAILABLE') logger.warn({ err: error }, 'database unavailable');
      const { code, message, retryAfter } = refusal ?? new Refusal('INTERNAL_SERVER_ERROR', 'Internal server error');
      if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
      send(REFUSALS[code].http, encodeStatus(encoding, REFUSALS[code].rpc, message));
    }
  };
}
