import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import type { WebSocket } from 'ws';
import { RateLimitedError, retryAfterSeconds, type Caller, type RateLimits, type SocketLease } from '../rate-limits';
import { callerOf, type Context } from './context';
import type { AppError } from './errors';

/** Mutations that send calls in: they count against the workspace's ingest rate, not the key's request rate. */
const INGEST_FIELDS = new Set(['trackLlmCall', 'trackLlmCalls']);

/** Whether every root field of the operation is an ingest mutation (`__typename` aside). */
export function isIngestOnly(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'mutation') return false;
  const fields = operation.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename'));
  return fields.length > 0 && fields.every((s) => s.kind === Kind.FIELD && INGEST_FIELDS.has(s.name.value));
}

/** Whether an operation counts against its key's request rate: queries and mutations other than ingest. */
const countsAsRequest = (operation: OperationDefinitionNode): boolean => operation.operation !== 'subscription' && !isIngestOnly(operation);

/** A domain error as graphql-ws must return it from onSubscribe; the error boundary formats it like any other. */
export function asGraphQLError(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, ...error.details } });
}

/**
 * The request limit over HTTP, and what a refusal looks like there: a request refused as a
 * whole (by the request rate, or an ingest mutation by its workspace's rate) is HTTP 429; any
 * answer with a RATE_LIMITED error carries Retry-After, the longest wait among its errors.
 */
export function rateLimitPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation }) {
          if (!contextValue.auth.ok || !operation || !countsAsRequest(operation)) return;
          await contextValue.services.limits.admitRequest(callerOf(contextValue.auth.viewer));
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          const limited = errors?.filter((e) => e.extensions?.code === 'RATE_LIMITED') ?? [];
          if (limited.length === 0) return;
          const waits = limited.map((e) => e.extensions?.retryAfterMs).filter((ms): ms is number => typeof ms === 'number');
          if (waits.length > 0) response.http.headers.set('retry-after', String(retryAfterSeconds(Math.max(...waits))));
          if (data === null || data === undefined) response.http.status = 429;
        },
      };
    },
  };
}

/** What the limits keep on each WebSocket. */
export type SocketLimitState = {
  /** Whom the socket's operations count against, once its key is known. */
  caller?: Caller;
  /** This socket's place in its key's socket count. */
  socketLease?: SocketLease;
  /** Ids of the subscriptions started on this socket; those graphql-ws has let go of are pruned. */
  subscriptionIds?: Set<string>;
};

/**
 * The limits of one operation over WebSocket: a subscription against the socket's count, a
 * query or mutation (ingest aside) against the key's request rate.
 * @param active the ids graphql-ws holds open on this socket (`ctx.subscriptions`)
 * @returns the errors to answer the subscribe with, or null to go on
 */
export async function admitOverSocket(
  limits: RateLimits,
  state: SocketLimitState,
  operation: OperationDefinitionNode | null | undefined,
  id: string,
  active: Record<string, unknown>,
): Promise<GraphQLError[] | null> {
  const caller = state.caller;
  if (!operation || !caller) return null;
  if (operation.operation === 'subscription') {
    const held = (state.subscriptionIds ??= new Set());
    for (const heldId of held) if (!(heldId in active)) held.delete(heldId);
    const limit = limits.subscriptionsPerSocket(caller);
    if (limit > 0 && held.size >= limit) return [asGraphQLError(limits.subscriptionRefused(caller, limit))];
    held.add(id);
    return null;
  }
  if (!countsAsRequest(operation)) return null;
  try {
    await limits.admitRequest(caller);
    return null;
  } catch (error) {
    if (error instanceof RateLimitedError) return [asGraphQLError(error)];
    throw error;
  }
}

/** The close code of a socket refused by the sockets-per-key limit (429 in the private 4xxx range). */
export const TOO_MANY_SOCKETS = 4429;

/**
 * Counts a new socket against its key; past the limit the socket is closed with 4429 and the
 * reason. The lease is kept on `state` and given back by {@link releaseSocket}.
 * @returns `open` when the socket may go on, `refused` when it was closed for the limit, `gone` when it closed meanwhile
 */
export async function admitSocket(limits: RateLimits, caller: Caller, state: SocketLimitState, socket: WebSocket): Promise<'open' | 'refused' | 'gone'> {
  state.caller = caller;
  const opened = await limits.openSocket(caller);
  if ('refused' in opened) {
    socket.close(TOO_MANY_SOCKETS, opened.refused);
    return 'refused';
  }
  if (socket.readyState !== socket.OPEN) {
    opened.lease.release();
    return 'gone';
  }
  state.socketLease = opened.lease;
  return 'open';
}

export function releaseSocket(state: SocketLimitState): void {
  state.socketLease?.release();
  state.socketLease = undefined;
}
