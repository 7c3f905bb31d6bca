import { createSourceEventStream, execute, getOperationAST, print, subscribe, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable } from 'graphql/jsutils/isAsyncIterable';
import type { PromiseOrValue } from 'graphql/jsutils/PromiseOrValue';
import { Repeater, SlidingBuffer, type Push } from '@repeaterjs/repeater';
import { LiveCounts } from '../pubsub/live-counts';

/**
 * Says which subscriptions get the same answer to the same event: the same operation, the
 * same variables, and a viewer who sees the same (scope and role). Undefined: never shared.
 */
export type SharingKey = (args: ExecutionArgs) => string | undefined;

/** A subscription's transport, taking a `next` message whose payload is already JSON. */
export interface DirectDelivery {
  next(payloadJson: string): void;
}

export interface FanOutOptions {
  sharingKey: SharingKey;
  /** What a result becomes before it is written to direct deliveries (errors masked); once per event and group. */
  formatResult: (result: ExecutionResult) => ExecutionResult;
  /** An event source or delivery that failed: the group ends, its subscriptions complete. */
  onError: (error: unknown) => void;
}

/** Results a subscriber that reads through its iterator may fall behind by before the oldest go. */
const QUEUED_RESULTS = 1024;

interface Member {
  push: Push<ExecutionResult>;
  stop(): void;
  direct?: DirectDelivery;
}

/**
 * The subscriptions sharing one key: one event stream and one execution per event for all of
 * them. Like the PubSub's subscriptions it reads, it starts with its first reader.
 */
class Group {
  readonly members = new Set<Member>();
  private running = false;
  private ended = false;

  constructor(
    private readonly key: string,
    private readonly field: string,
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly fanOut: SubscriptionFanOut,
    private readonly options: FanOutOptions,
  ) {}

  get open(): boolean {
    return !this.ended;
  }

  join(member: Member): void {
    this.members.add(member);
    this.fanOut.live.add(this.field, 1);
    if (!this.running) {
      this.running = true;
      void this.run();
    }
  }

  leave(member: Member): void {
    if (!this.members.delete(member)) return;
    this.fanOut.live.add(this.field, -1);
    if (this.members.size === 0) this.end();
  }

  /** Reads the source until it ends; events are executed as they come and delivered in order. */
  private async run(): Promise<void> {
    let delivered: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const next = await this.source.next();
        if (next.done) break;
        const result: PromiseOrValue<ExecutionResult> = execute({ ...this.args, rootValue: next.value });
        delivered = delivered.then(async () => this.deliver(await result)).catch(this.options.onError);
      }
    } catch (error) {
      this.options.onError(error);
    }
    await delivered;
    this.end();
    for (const member of this.members) member.stop();
  }

  /** Direct deliveries get the formatted result as JSON; iterators get it as it is, for their transport to format. */
  private deliver(result: ExecutionResult): void {
    let json: string | undefined;
    for (const member of this.members) {
      if (member.direct) member.direct.next((json ??= JSON.stringify(this.options.formatResult(result))));
      else void member.push(result);
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.fanOut.forget(this.key, this);
    void this.source.return?.();
  }
}

/**
 * graphql-js's `subscribe`, shared: subscriptions with the same sharing key read one event
 * stream, and each event is executed and serialized once for all of them. A thousand dashboards
 * watching one workspace's live feed then cost one PubSub listener and one execution per call,
 * and each subscriber only a write of the same bytes to its socket.
 */
export class SubscriptionFanOut {
  /** Subscriptions reading a shared stream, by root field (llmCallTracked, …), counted from their first read. */
  readonly live = new LiveCounts();
  private readonly groups = new Map<string, Group>();
  private readonly directDeliveries = new WeakMap<object, DirectDelivery>();

  constructor(private readonly options: FanOutOptions) {}

  /** What every subscription result becomes before it is sent (errors masked), whichever way it goes. */
  readonly formatResult = (result: ExecutionResult): ExecutionResult => this.options.formatResult(result);

  /** Events of the subscription run with `contextValue` go to `delivery` rather than through its iterator. */
  deliverDirectly(contextValue: object, delivery: DirectDelivery): void {
    this.directDeliveries.set(contextValue, delivery);
  }

  readonly subscribe = async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const viewerKey = this.options.sharingKey(args);
    if (viewerKey === undefined) return (await subscribe(args)) as AsyncIterableIterator<ExecutionResult> | ExecutionResult;
    const key = `${viewerKey}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${print(args.document)}`;
    const group = await this.groupFor(key, args);
    if (!(group instanceof Group)) return group;
    const direct = args.contextValue ? this.directDeliveries.get(args.contextValue) : undefined;
    return new Repeater<ExecutionResult>(async (push, stop) => {
      // The group may have ended (its last reader left) before this subscription's first read.
      const joined = group.open ? group : await this.groupFor(key, args);
      if (!(joined instanceof Group)) {
        void push(joined);
        return stop();
      }
      const member: Member = { push, stop, direct };
      joined.join(member);
      await stop;
      joined.leave(member);
    }, new SlidingBuffer(QUEUED_RESULTS));
  };

  /** The open group of `key`, or a new one on a new event stream (or the errors that stream's creation gave). */
  private async groupFor(key: string, args: ExecutionArgs): Promise<Group | ExecutionResult> {
    const group = this.groups.get(key);
    if (group?.open) return group;
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    // Another subscription of the same key may have opened a group while this one awaited its source.
    const opened = this.groups.get(key);
    if (opened?.open) {
      void source[Symbol.asyncIterator]().return?.();
      return opened;
    }
    const created = new Group(key, rootField(args), source[Symbol.asyncIterator](), args, this, this.options);
    this.groups.set(key, created);
    return created;
  }

  /** @internal for Group */
  forget(key: string, group: Group): void {
    if (this.groups.get(key) === group) this.groups.delete(key);
  }
}

function rootField({ document, operationName }: ExecutionArgs): string {
  const selection = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return selection?.kind === 'Field' ? selection.name.value : '';
}
