import { createPubSub } from '@graphql-yoga/subscription';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionResult } from 'graphql';
import { sharedSubscribe } from '../src/graphql/shared-subscribe';

// One event, many subscriptions: executed once per sharing key, whatever the number of subscribers.

function world() {
  const pubsub = createPubSub<{ TICK: [{ n: number }] }>();
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
            return `${payload.n} for ${context.viewer}`;
          },
        },
      },
    }),
  });
  return { pubsub, schema, executions: () => executions };
}

const document = parse('subscription { tick }');

async function open(schema: GraphQLSchema, viewer: string, subscribe: ReturnType<typeof sharedSubscribe>) {
  const stream = (await subscribe({ schema, document, contextValue: { viewer } })) as AsyncGenerator<ExecutionResult>;
  const first = stream.next(); // the source subscribes on the first read
  return { stream, first };
}

it('executes an event once for all subscriptions with the same sharing key, and once per other key', async () => {
  const { pubsub, schema, executions } = world();
  const subscribe = sharedSubscribe(({ contextValue }) => (contextValue as { viewer: string }).viewer);
  const subscriptions = await Promise.all([
    open(schema, 'ana', subscribe),
    open(schema, 'ana', subscribe),
    open(schema, 'ana', subscribe),
    open(schema, 'bo', subscribe),
  ]);
  await new Promise((resolve) => setImmediate(resolve));
  pubsub.publish('TICK', { n: 1 });
  const results = await Promise.all(subscriptions.map((s) => s.first));
  expect(results.map((r) => r.value.data.tick)).toEqual(['1 for ana', '1 for ana', '1 for ana', '1 for bo']);
  expect(executions()).toBe(2);
  await Promise.all(subscriptions.map((s) => s.stream.return(undefined)));
});

it('executes every subscription on its own when the key says not to share', async () => {
  const { pubsub, schema, executions } = world();
  const subscribe = sharedSubscribe(() => undefined);
  const subscriptions = await Promise.all([open(schema, 'ana', subscribe), open(schema, 'ana', subscribe)]);
  await new Promise((resolve) => setImmediate(resolve));
  pubsub.publish('TICK', { n: 7 });
  await Promise.all(subscriptions.map((s) => s.first));
  expect(executions()).toBe(2);
  await Promise.all(subscriptions.map((s) => s.stream.return(undefined)));
});
