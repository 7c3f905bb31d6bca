import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { isDatabaseUnavailable } from '../db/unavailable';
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

/** An error's code, formatted (`extensions.code`) or still thrown (an {@link AppError} inside a GraphQLError). */
export function errorCode(error: unknown): unknown {
  if (!error || typeof error !== 'object') return undefined;
  const own = (error as { extensions?: { code?: unknown } }).extensions?.code;
  if (own !== undefined) return own;
  const original = (error as { originalError?: unknown }).originalError;
  return original instanceof AppError ? original.code : undefined;
}

/**
 * Whether an answer's errors make it a failed call. NOT_CONFIGURED is a feature not set up yet
 * (the dashboard shows "add a key" from it), a state the caller is told rather than a failure.
 */
export const answerFailed = (errors: readonly unknown[] | undefined): boolean => !!errors?.some((e) => errorCode(e) !== 'NOT_CONFIGURED');

/** What a client is told when the database cannot serve; it may send the request again. */
export const UNAVAILABLE_MESSAGE = 'The database is unavailable; retry later';
/** The Retry-After of a 503: long enough for a restart or failover blip, short enough not to strand a client. */
export const RETRY_AFTER_SECONDS = 2;

/** An UNAVAILABLE error that Apollo answers with 503 and Retry-After even where no plugin runs (a failing context). */
export function unavailableError(): GraphQLError {
  return new GraphQLError(UNAVAILABLE_MESSAGE, {
    extensions: { code: 'UNAVAILABLE', http: { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) } },
  });
}

/** Answers a response that carries an UNAVAILABLE error with 503 and Retry-After, so HTTP clients and proxies retry it. */
export function unavailableStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          if (!response.body.singleResult.errors?.some((e) => e.extensions?.code === 'UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
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
      message: UNAVAILABLE_MESSAGE,
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
