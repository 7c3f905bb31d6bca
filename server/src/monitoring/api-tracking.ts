import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { getOperationAST, parse, type DocumentNode, type ExecutionResult, type OperationTypeNode } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { answerFailed } from '../graphql/errors';
import type { Logger } from '../logger';
import { isRateLimited } from '../rate-limits/rate-limited';
import type { ApiTracker } from './api-tracker';

/** The key for GraphQL requests whose document could not be parsed or named no operation. */
export const INVALID_GRAPHQL_KEY = 'graphql (invalid document)';
const ANONYMOUS = '(anonymous)';
const MAX_NAME_LENGTH = 100;

/** `graphql {query|mutation|subscription} {operation name}`; anonymous operations share one key. */
export function graphqlKey(operation: OperationTypeNode | `${OperationTypeNode}`, name: string | null | undefined): string {
  return `graphql ${operation} ${name ? name.slice(0, MAX_NAME_LENGTH) : ANONYMOUS}`;
}

/** The key of a document's operation, or {@link INVALID_GRAPHQL_KEY} when it names none. */
export function documentKey(document: DocumentNode | undefined, operationName: string | null | undefined): string {
  const operation = document ? getOperationAST(document, operationName) : null;
  return operation ? graphqlKey(operation.operation, operation.name?.value) : INVALID_GRAPHQL_KEY;
}

function keyOfSource(query: string, operationName: string | null | undefined): string {
  try {
    return documentKey(parse(query), operationName);
  } catch {
    return INVALID_GRAPHQL_KEY;
  }
}

/** What a GraphQL layer tells the HTTP layer about the request it served. */
interface RequestLabel {
  key?: string;
  graphqlErrors?: boolean;
  /** The answer carried a RATE_LIMITED error. */
  limited?: boolean;
  /** Documentation or a static file (GraphiQL, the dashboard and their assets): no API call. */
  untracked?: boolean;
}

const LABEL = Symbol('api-tracking label');
type Labelled = { [LABEL]?: RequestLabel };

/** Runs the tracker's own work; a failure there is logged and goes no further. */
function safely(logger: Logger, work: () => void): void {
  try {
    work();
  } catch (error) {
    logger.error({ err: error }, 'API tracking failed; the response is unaffected');
  }
}

/** Which requests are left out: CORS preflights, and anything not served by a route or mount (static files, the SPA). */
function routeTemplate(req: Request, mounts: readonly string[]): string | null {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route) return typeof route.path === 'string' ? `${req.baseUrl ?? ''}${route.path}` : null;
  // Inside a mount express rewrites req.url; the original is what the client asked for.
  const path = req.originalUrl.split('?')[0];
  return mounts.find((m) => path === m || path.startsWith(`${m}/`)) ?? null;
}

export interface HttpTrackingOptions {
  tracker: ApiTracker;
  logger: Logger;
  /** Paths served by mounted middleware rather than a route (`/graphql`): their own template. */
  mounts?: readonly string[];
}

/**
 * Express middleware that times every request from arrival until its response is finished
 * and records it as `{METHOD} {route template}`, or under the GraphQL operation's key when
 * the GraphQL layer named one. Unmatched requests that end in 404 share `{METHOD} (unmatched)`,
 * so stray paths never become keys. WebSocket upgrades never reach express.
 */
export function httpTracking({ tracker, logger, mounts = [] }: HttpTrackingOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'OPTIONS') return next();
    const started = performance.now();
    const label: RequestLabel = {};
    (res as Labelled)[LABEL] = label;
    res.once('finish', () =>
      safely(logger, () => {
        if (label.untracked) return;
        const durationMs = performance.now() - started;
        let key = label.key;
        if (!key) {
          const template = routeTemplate(req, mounts);
          if (template) key = `${req.method} ${template}`;
          else if (res.statusCode === 404) key = `${req.method} (unmatched)`;
          else return;
        }
        tracker.record({
          key,
          durationMs,
          status: res.statusCode,
          error: res.statusCode >= 400 || !!label.graphqlErrors,
          limited: res.statusCode === 429 || !!label.limited,
          at: new Date(),
        });
      }),
    );
    next();
  };
}

/** Middleware for the routes of documentation and static files: what they serve, found or not, is no API call. */
export function leaveUntracked(_req: Request, res: Response, next: NextFunction): void {
  const label = (res as Labelled)[LABEL];
  if (label) label.untracked = true;
  next();
}

/**
 * Ties a GraphQL context to the HTTP response it serves, so the Apollo plugin can name the
 * request. A symbol property rather than a WeakMap: Apollo runs each operation with a shallow
 * copy of the context, which keeps the property but not the identity.
 */
export function linkContextToResponse(context: object, res: Response): void {
  const label = (res as Labelled)[LABEL];
  if (label) (context as Labelled)[LABEL] = label;
}

/** Names each GraphQL-over-HTTP request by its operation and notes whether its answer carried errors. */
export function apolloTrackingPlugin<T extends BaseContext>(logger: Logger): ApolloServerPlugin<T> {
  return {
    async requestDidStart({ contextValue }) {
      const label = (contextValue as Labelled)[LABEL];
      if (!label) return;
      return {
        async didResolveOperation({ operation, document, operationName }) {
          safely(logger, () => (label.key = operation ? graphqlKey(operation.operation, operation.name?.value) : documentKey(document, operationName)));
        },
        async willSendResponse({ response, document, request }) {
          safely(logger, () => {
            label.key ??= documentKey(document, request.operationName);
            const body = response.body;
            const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
            label.graphqlErrors = answerFailed(errors);
            label.limited = !!errors?.some(isRateLimited);
          });
        },
      };
    },
  };
}

interface WsOperation {
  started: number;
  key?: string;
  errors: boolean;
  /** Refused by a limit: recorded with the 429 it would get over HTTP. */
  limited: boolean;
  recorded: boolean;
}

/** The key under which sockets refused by the sockets-per-key limit are counted. */
export const WS_CONNECT_KEY = 'WS /graphql';

/** Counts a WebSocket closed with 4429 at its connection_init: it made no operation to count it under. */
export function recordRefusedSocket(tracker: ApiTracker): void {
  tracker.record({ key: WS_CONNECT_KEY, durationMs: 0, status: 429, error: true, limited: true, at: new Date() });
}

export interface WsTrackingOptions {
  tracker: ApiTracker;
  logger: Logger;
  /** Told when a subscription starts (+1) and ends (-1). */
  onSubscriptionCount?: (delta: 1 | -1) => void;
}

/**
 * Wraps graphql-ws server options so every operation over WebSocket is recorded. Queries and
 * mutations are timed until they complete; a subscription until it is set up (its lifetime is
 * not a response time), counted as an error when it could not start.
 */
export function wsTracking<P extends Record<string, unknown> | undefined, E>(
  options: ServerOptions<P, E>,
  { tracker, logger, onSubscriptionCount }: WsTrackingOptions,
): ServerOptions<P, E> {
  const operations = new WeakMap<object, Map<string, WsOperation>>();
  const find = (ctx: object, id: string): WsOperation | undefined => operations.get(ctx)?.get(id);
  const finish = (ctx: object, id: string, status: number): void => {
    const operation = find(ctx, id);
    if (!operation || operation.recorded) return;
    operation.recorded = true;
    tracker.record({
      key: operation.key ?? INVALID_GRAPHQL_KEY,
      durationMs: performance.now() - operation.started,
      status: operation.limited ? 429 : status,
      error: status >= 400 || operation.errors || operation.limited,
      limited: operation.limited,
      at: new Date(),
    });
  };
  const forget = (ctx: object, id: string): void => void operations.get(ctx)?.delete(id);

  return {
    ...options,
    onSubscribe: async (ctx, id, payload) => {
      safely(logger, () => {
        let byId = operations.get(ctx);
        if (!byId) operations.set(ctx, (byId = new Map()));
        byId.set(id, { started: performance.now(), errors: false, limited: false, recorded: false });
      });
      const result = await options.onSubscribe?.(ctx, id, payload);
      safely(logger, () => {
        const operation = find(ctx, id);
        if (!operation) return;
        if (Array.isArray(result)) {
          operation.key = keyOfSource(payload.query, payload.operationName);
          operation.errors = true;
          operation.limited = result.some(isRateLimited);
          finish(ctx, id, 400);
          forget(ctx, id);
        } else if (result && 'document' in result) {
          operation.key = documentKey(result.document, result.operationName);
        } else {
          operation.key = keyOfSource(payload.query, payload.operationName);
        }
      });
      return result;
    },
    onOperation: async (ctx, id, payload, args, result) => {
      safely(logger, () => {
        const operation = find(ctx, id);
        if (!operation || getOperationAST(args.document, args.operationName)?.operation !== 'subscription') return;
        const started = Symbol.asyncIterator in Object(result);
        if (!started) {
          const errors = (result as ExecutionResult).errors;
          operation.errors = answerFailed(errors);
          operation.limited = !!errors?.some(isRateLimited);
        }
        finish(ctx, id, 200);
        if (started) onSubscriptionCount?.(1);
        else forget(ctx, id);
      });
      return options.onOperation?.(ctx, id, payload, args, result);
    },
    onNext: async (ctx, id, payload, args, result) => {
      safely(logger, () => {
        const operation = find(ctx, id);
        if (operation && answerFailed(result.errors)) operation.errors = true;
        if (operation && result.errors?.some(isRateLimited)) operation.limited = true;
      });
      return options.onNext?.(ctx, id, payload, args, result);
    },
    onError: async (ctx, id, payload, errors) => {
      safely(logger, () => {
        const operation = find(ctx, id);
        if (!operation) return;
        operation.errors = true;
        if (!operation.recorded) {
          finish(ctx, id, 400);
          forget(ctx, id);
        }
      });
      return options.onError?.(ctx, id, payload, errors);
    },
    onComplete: async (ctx, id, payload) => {
      safely(logger, () => {
        const operation = find(ctx, id);
        if (!operation) return;
        if (operation.recorded) onSubscriptionCount?.(-1);
        else finish(ctx, id, 200);
        forget(ctx, id);
      });
      return options.onComplete?.(ctx, id, payload);
    },
  };
}
