import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLError, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { SubscriptionFanOut } from '../src/graphql/shared-subscribe';

// One event, many subscriptions: one event stream and one execution per sharing key, whatever the
// number of subscribers; results reach iterators or, already serialized, direct deliveries.

function world() {
  let listeners = 0;
  const target = new EventTarget();
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => (listeners++, add(...args));
  target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => (listeners--, remove(...args));
  const pubsub = createPubSub<{ TICK: [{ n: number }] }>({ eventTarget: target as never });
  let executions = 0;
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: {
          type: GraphQLString,
          subscribe: () => pubsub.subscribe('TICK'),
          resolve: (payload: { n: number }, _args, context: { viewer: string }) => {
            executions++;
            if (payload.n < 0) throw new GraphQLError('negative', { extensions: { code: 'SECRET' } });
            return `${payload.n} for ${context.viewer}`;
          },
        },
      },
    }),
  });
  const fanOut = new SubscriptionFanOut({
    sharingKey: ({ contextValue }) => (contextValue as { viewer: string }).viewer,
    formatResult: (result) => (result.errors ? { ...result, errors: [new GraphQLError('masked')] } : result),
    onError: (error) => {
      throw error;
    },
  });
  return { pubsub, schema, fanOut, executions: () => executions, listeners: () => listeners };
}

const document = parse('subscription { tick }');
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function open(w: ReturnType<typeof world>, viewer: string) {
  return (await w.fanOut.subscribe({ schema: w.schema, document, contextValue: { viewer } })) as AsyncIterableIterator<ExecutionResult>;
}

it('executes an event once for all subscriptions with the same sharing key, and once per other key', async () => {
  const w = world();
  const streams = [await open(w, 'ana'), await open(w, 'ana'), await open(w, 'ana'), await open(w, 'bo')];
  // Like a PubSub subscription, a shared one listens from its first read.
  const reads = streams.map((s) => s.next());
  await turn();
  expect(w.listeners()).toBe(2);
  expect(w.fanOut.live.get('tick')).toBe(4);
  w.pubsub.publish('TICK', { n: 1 });
  const results = await Promise.all(reads);
  expect(results.map((r) => r.value.data.tick)).toEqual(['1 for ana', '1 for ana', '1 for ana', '1 for bo']);
  expect(w.executions()).toBe(2);
  await Promise.all(streams.map((s) => s.return!()));
  expect(w.fanOut.live.get('tick')).toBe(0);
  expect(w.listeners()).toBe(0);
});

it('executes every subscription on its own when the key says not to share', async () => {
  const w = world();
  const fanOut = new SubscriptionFanOut({ sharingKey: () => undefined, formatResult: (r) => r, onError: () => undefined });
  const streams = [
    (await fanOut.subscribe({ schema: w.schema, document, contextValue: { viewer: 'ana' } })) as AsyncIterableIterator<ExecutionResult>,
    (await fanOut.subscribe({ schema: w.schema, document, contextValue: { viewer: 'ana' } })) as AsyncIterableIterator<ExecutionResult>,
  ];
  const firsts = streams.map((s) => s.next());
  await turn();
  w.pubsub.publish('TICK', { n: 7 });
  await Promise.all(firsts);
  expect(w.executions()).toBe(2);
  await Promise.all(streams.map((s) => s.return!()));
});

it('writes each event once serialized, in order, to direct deliveries, with errors formatted', async () => {
  const w = world();
  const received: string[][] = [[], []];
  const contexts = [{ viewer: 'ana' }, { viewer: 'ana' }];
  contexts.forEach((context, i) => w.fanOut.deliverDirectly(context, { next: (json) => received[i].push(json) }));
  const streams = await Promise.all(contexts.map(async (contextValue) => (await w.fanOut.subscribe({ schema: w.schema, document, contextValue })) as AsyncIterableIterator<ExecutionResult>));
  for (const stream of streams) void stream.next();
  await turn();
  for (const n of [1, 2, -1, 3]) w.pubsub.publish('TICK', { n });
  while (received[1].length < 4) await turn();
  const expected = [
    '{"data":{"tick":"1 for ana"}}',
    '{"data":{"tick":"2 for ana"}}',
    '{"errors":[{"message":"masked"}],"data":{"tick":null}}',
    '{"data":{"tick":"3 for ana"}}',
  ];
  expect(received).toEqual([expected, expected]);
  expect(w.executions()).toBe(4);
  await Promise.all(streams.map((s) => s.return!()));
});

it('stops listening when the last subscription of a group ends, and a later one starts afresh', async () => {
  const w = world();
  const first = await open(w, 'ana');
  const second = await open(w, 'ana');
  void first.next();
  void second.next();
  await turn();
  await first.return!();
  expect(w.listeners()).toBe(1);
  await second.return!();
  await turn();
  expect(w.listeners()).toBe(0);
  const again = await open(w, 'ana');
  const next = again.next();
  await turn();
  expect(w.listeners()).toBe(1);
  w.pubsub.publish('TICK', { n: 5 });
  expect((await next).value.data.tick).toBe('5 for ana');
  await again.return!();
});

it('counts a subscription from its first read to its end, and tells of each change', async () => {
  const w = world();
  const changes: number[] = [];
  w.fanOut.live.onChange((field, count) => field === 'tick' && changes.push(count));
  const one = await open(w, 'ana');
  const two = await open(w, 'bo');
  expect(w.fanOut.live.get('tick')).toBe(0);
  void one.next();
  void two.next();
  expect(w.fanOut.live.get('tick')).toBe(2);
  await Promise.all([one.return!(), two.return!()]);
  expect(changes).toEqual([1, 2, 1, 0]);
});

it('ends a subscription returned before its first read without leaving anything behind', async () => {
  const w = world();
  const never = await open(w, 'ana');
  await never.return!();
  expect(await never.next()).toEqual({ done: true, value: undefined });
  const later = await open(w, 'ana');
  const next = later.next();
  await turn();
  expect(w.listeners()).toBe(1);
  w.pubsub.publish('TICK', { n: 2 });
  expect((await next).value.data.tick).toBe('2 for ana');
  await later.return!();
  await turn();
  expect(w.listeners()).toBe(0);
});

it('gives a subscription whose group ended before its first read a group of its own', async () => {
  const w = world();
  const first = await open(w, 'ana');
  void first.next();
  const second = await open(w, 'ana');
  await first.return!();
  await turn();
  expect(w.listeners()).toBe(0);
  const next = second.next();
  await turn();
  expect(w.listeners()).toBe(1);
  w.pubsub.publish('TICK', { n: 3 });
  expect((await next).value.data.tick).toBe('3 for ana');
  await second.return!();
});
