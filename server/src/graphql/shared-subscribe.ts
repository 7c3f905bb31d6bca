import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { mapAsyncIterator } from 'graphql/execution/mapAsyncIterator';
import { isAsyncIterable } from 'graphql/jsutils/isAsyncIterable';
import type { PromiseOrValue } from 'graphql/jsutils/PromiseOrValue';
import type { Context } from './context';

/**
 * Says which subscriptions get the same answer to the same event: the same operation, the
 * same variables, and a viewer who sees the same (scope and role). Undefined: never shared.
 */
export type SharingKey = (args: ExecutionArgs) => string | undefined;

/**
 * graphql-js's `subscribe`, except that one event delivered to many subscriptions with the same
 * sharing key is executed once and its result handed to each. A thousand dashboards watching one
 * workspace's live feed then cost one execution per call, not a thousand. Events are shared by
 * identity: every subscriber of one published event gets the same payload object (in-process,
 * and per Redis message).
 */
export function sharedSubscribe(sharingKey: SharingKey): (args: ExecutionArgs) => Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const results = new WeakMap<object, Map<string, PromiseOrValue<ExecutionResult>>>();
  return async (args) => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const viewerKey = sharingKey(args);
    const key = viewerKey === undefined ? undefined : `${viewerKey}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${print(args.document)}`;
    return mapAsyncIterator(stream, (payload: unknown) => {
      if (key === undefined || payload === null || typeof payload !== 'object') return execute({ ...args, rootValue: payload });
      let byKey = results.get(payload);
      if (!byKey) results.set(payload, (byKey = new Map()));
      let result = byKey.get(key);
      if (!result) {
        result = execute({ ...args, rootValue: payload });
        byKey.set(key, result);
      }
      return result;
    });
  };
}

/** Subscriptions share results when their viewers have the same workspace, role and scope. */
export const viewerSharingKey: SharingKey = ({ contextValue }) => {
  const { auth } = contextValue as Context;
  if (!auth.ok) return undefined;
  return `${auth.viewer.workspaceId}|${auth.viewer.role}|${auth.scope.kind === 'all' ? '__all__' : auth.scope.workspaceId}`;
};
