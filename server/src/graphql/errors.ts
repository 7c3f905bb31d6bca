import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../logger';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_CONFIGURED'
  | 'UPSTREAM_ERROR'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** A failure the caller can act on: its message is shown as it is, with its code. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** More for the caller to act on, sent beside the code (RATE_LIMITED's `retryAfterMs`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (message: string): AppError => new AppError('BAD_USER_INPUT', message);
export const forbidden = (message: string): AppError => new AppError('FORBIDDEN', message);

const PASS_THROUGH_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_CONFIGURED',
  'UPSTREAM_ERROR',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'UNAVAILABLE',
  // graphql-js and Apollo's own request errors: parse, validation, bad variables
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
]);

/** Error codes PostgreSQL and the driver give when the database cannot be reached. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  // graphql-js wraps a thrown value that is no Error of its own realm (a socket error seen from a sandbox) in NonErrorThrown.
  const thrown = (error as { thrownValue?: unknown }).thrownValue;
  if (thrown !== undefined) return isDatabaseUnavailable(thrown);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  const message = String((error as { message?: unknown }).message ?? '');
  return /Connection terminated|timeout exceeded when trying to connect|connection to server|Client has encountered a connection error|Query read timeout/i.test(message);
}

/**
 * The one boundary between failures and answers: user errors pass with their code and
 * message; an unreachable database becomes UNAVAILABLE; anything else is logged and
 * answered as "Internal server error" with no detail.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (original instanceof AppError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...original.details, code: original.code },
    };
  }
  const ownCode = original instanceof GraphQLError ? original.extensions?.code : undefined;
  const code = typeof ownCode === 'string' && PASS_THROUGH_CODES.has(ownCode) ? ownCode : formatted.extensions?.code;
  if (typeof code === 'string' && PASS_THROUGH_CODES.has(code)) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  }
  if (original instanceof GraphQLError && !original.originalError && !code) {
    // graphql-js's own errors (unknown field, bad variable value) are the caller's to fix.
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (isDatabaseUnavailable(original)) {
    logger.warn({ err: original }, 'database unavailable');
    return {
      message: 'The database is unavailable; retry later',
      path: formatted.path,
      extensions: { code: 'UNAVAILABLE' },
    };
  }
  logger.error({ err: original, path: formatted.path }, 'internal error');
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** A result as it may leave the gateway: every error formatted (internal ones masked). */
export function maskResultErrors(result: ExecutionResult, logger: Logger): ExecutionResult {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((e) => {
      const formatted = formatError(e.toJSON(), e, logger);
      return new GraphQLError(formatted.message, { extensions: formatted.extensions, path: formatted.path });
    }),
  };
}
