import type { Response } from 'express';
import { AppError, errorCode } from '../graphql/errors';

/** The four abuse limits, as they are named in messages and in monitoring. */
export type LimitName = 'requests' | 'ingest' | 'sockets' | 'subscriptions';

/**
 * A request refused by a limit. Rate limits say when to come back (`retryAfterMs`, sent as
 * `extensions.retryAfterMs` and as the Retry-After header); a count limit (subscriptions on a
 * socket) has no time to wait for and leaves it out.
 */
export class RateLimitedError extends AppError {
  constructor(
    readonly limit: LimitName,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super('RATE_LIMITED', message, retryAfterMs === undefined ? {} : { retryAfterMs });
    this.name = 'RateLimitedError';
  }
}

/** Whether a thrown or reported error is a refusal by a limit, formatted or not. */
export function isRateLimited(error: unknown): boolean {
  return errorCode(error) === 'RATE_LIMITED';
}

/** Retry-After is whole seconds: the wait rounded up, never 0. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/**
 * Answers a REST request (the CSV export, OTLP) refused by a limit: HTTP 429, Retry-After, and
 * the same error body GraphQL gives.
 */
export function sendRateLimited(res: Response, error: RateLimitedError): void {
  if (error.retryAfterMs !== undefined) res.setHeader('retry-after', String(retryAfterSeconds(error.retryAfterMs)));
  res.status(429).json({ errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] });
}
