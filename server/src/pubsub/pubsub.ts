import { setMaxListeners } from 'node:events';
import { createPubSub } from '@graphql-yoga/subscription';
import type { LlmCallRecord } from '../ingest/llm-call.record';
import type { RunRecord } from '../runs/run.record';
import type { AlertRecord } from '../monitoring/alert.record';
import type { HeartbeatRecord } from '../monitoring/heartbeat.record';
import { LiveCounts } from './live-counts';

/** Every topic and its payload. Payloads are plain JSON, so they can cross processes. */
export type Topics = {
  LLM_CALL_TRACKED: [LlmCallRecord];
  /** A run as it is after a batch added calls to it. */
  RUN_UPDATED: [RunRecord];
  /** Which workspaces just received calls, so live summaries can recompute. */
  USAGE_CHANGED: [{ workspaceIds: string[] }];
  /** A stored alert; subscribers get it when their scope covers it. */
  ALERT_RAISED: [AlertRecord];
  /** Deliveries of a workspace were written (an alert, a resolution, a test): delivery workers look for due ones now. */
  DELIVERIES_DUE: [{ workspaceId: string }];
  /** A heartbeat whose status changed. */
  HEARTBEAT_CHANGED: [HeartbeatRecord];
  /** The health check's round trip through the PubSub. */
  HEALTH_PROBE: [{ nonce: string }];
  /** A key revoked or rotated: every instance forgets it and closes its sockets. */
  API_KEY_REVOKED: [{ keyId: string }];
  /** Retention moved a workspace's cut (or a workspace was deleted): every instance forgets where its raw calls start. */
  RAW_CALLS_CUT: [{ workspaceId: string }];
};

export type Topic = keyof Topics;

/** Items published between turns of the event loop: a subscription buffers at most 1024 events it has not yet taken. */
const PUBLISH_TURN = 100;

/**
 * Publishes many items (a batch of calls, a check's alerts over thousands of workspaces), letting
 * subscribers take each hundred before the next: published in one go, they overflow a
 * subscription's buffer, which throws in the publishing event listener and ends the process.
 */
export async function publishInTurns<T>(items: readonly T[], publish: (item: T) => void): Promise<void> {
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % PUBLISH_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    publish(item);
  }
}

/**
 * Calls `onEvent` with every event of `topic`, from this instance or any other (the PubSub
 * carries it across instances with Redis). Answers once it listens, and a `stop` that resolves
 * once the last event taken was acted on. An `onEvent` that throws ends the following: `onStopped`
 * is told, or else `stop` rejects with it.
 */
export function followTopic<T extends Topic>(
  pubsub: AppPubSub,
  topic: T,
  onEvent: (value: Topics[T][0]) => void,
  onStopped?: (error: unknown) => void,
): { stop(): Promise<void> } {
  const iterator = pubsub.subscribe(topic)[Symbol.asyncIterator]();
  const following = (async () => {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      onEvent(value);
    }
  })();
  const loop = onStopped ? following.catch(onStopped) : following;
  return {
    stop: async () => {
      await iterator.return?.();
      await loop;
    },
  };
}

/** The one PubSub the gateway uses. */
export interface AppPubSub {
  publish<T extends Topic>(topic: T, ...payload: Topics[T]): void;
  subscribe<T extends Topic>(topic: T): AsyncIterable<Topics[T][0]>;
  /** Subscriptions listening by topic: counted once the first read has made them listen (over Redis, once Redis confirmed the channel). */
  readonly subscribers: LiveCounts<Topic>;
}

interface EventTarget {
  publish<T extends Topic>(topic: T, ...payload: Topics[T]): void;
  subscribe<T extends Topic>(topic: T): AsyncIterable<Topics[T][0]>;
}

/**
 * Adds subscriber counting to a yoga PubSub (in-process, or over a Redis event target). A yoga
 * subscription listens from its first read, so it counts from then; `listening` delays that
 * until the transport says events published elsewhere reach it.
 */
export function countingPubSub(inner: EventTarget, listening?: (topic: Topic) => Promise<void>): AppPubSub {
  const subscribers = new LiveCounts<Topic>();
  return {
    publish: (topic, ...payload) => inner.publish(topic, ...payload),
    subscribe: (topic) => {
      const iterator = inner.subscribe(topic)[Symbol.asyncIterator]();
      let state: 'idle' | 'starting' | 'counted' | 'closed' = 'idle';
      const count = (): void => {
        if (state !== 'starting') return;
        state = 'counted';
        subscribers.add(topic, 1);
      };
      const close = (): void => {
        if (state === 'counted') subscribers.add(topic, -1);
        state = 'closed';
      };
      return {
        [Symbol.asyncIterator]: () => ({
          next: () => {
            const next = iterator.next();
            if (state === 'idle') {
              state = 'starting';
              if (listening) void listening(topic).then(count);
              else count();
            }
            return next;
          },
          return: async (value?: unknown) => {
            close();
            return (await iterator.return?.(value)) ?? { done: true as const, value: undefined };
          },
          throw: async (error?: unknown) => {
            close();
            return (await iterator.throw?.(error)) ?? { done: true as const, value: undefined };
          },
        }),
      };
    },
    subscribers,
  };
}

export function createInProcessPubSub(): AppPubSub {
  // One listener per subscription: a thousand dashboards are a thousand listeners, not a leak.
  const target = new globalThis.EventTarget();
  setMaxListeners(0, target);
  return countingPubSub(createPubSub<Topics>({ eventTarget: target as never }) as unknown as EventTarget);
}

/** A PubSub and the connections behind it. */
export interface PubSubConnection {
  pubsub: AppPubSub;
  /** Ends the connections, if any; subscriptions end with them. */
  close(): Promise<void>;
}
