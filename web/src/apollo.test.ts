/**
 * The session's workspace scope with a real ApolloClient: HTTP through a fake fetch that answers
 * with the X-Workspace-ID it was sent, and graphql-ws against a real local graphql-ws server
 * that answers with the workspaceId its connection_init carried.
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import { gql, type TypedDocumentNode } from '@apollo/client';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createApolloSession, type ApolloSession } from './apollo';

const ScopedQuery: TypedDocumentNode<{ viewer: { scope: string } }> = gql`
  query Scoped {
    viewer {
      scope
    }
  }
`;

interface PendingRequest {
  scope: string;
  answer(): void;
}

/** A fetch that answers each request with the scope its header named, now or when released. */
function fakeGateway({ hold = false } = {}) {
  const requests: PendingRequest[] = [];
  const fetch = (async (_url: string, init: { headers: Record<string, string> }) => {
    const scope = init.headers['x-workspace-id'] ?? 'own';
    const body = JSON.stringify({ data: { viewer: { __typename: 'Viewer', scope } } });
    const response = { status: 200, headers: { get: () => 'application/json' }, text: async () => body };
    return new Promise((resolve) => {
      const request = { scope, answer: () => resolve(response) };
      requests.push(request);
      if (!hold) request.answer();
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

const sessions: ApolloSession[] = [];
function openSession(
  fetch: typeof globalThis.fetch,
  { origin = 'http://gateway.test', apiKey = 'admin-key', workspaceId = null as string | null, onUnauthenticated = (_message: string) => {} } = {},
): ApolloSession {
  const session = createApolloSession({ apiKey, workspaceId, origin, fetch, onUnauthenticated });
  sessions.push(session);
  return session;
}
afterEach(() => sessions.splice(0).forEach((session) => session.dispose()));

const cachedScopes = (session: ApolloSession) => JSON.stringify(session.client.cache.extract());

describe('the workspace scope of a session', () => {
  it('sends the chosen scope as X-Workspace-ID on the next request', async () => {
    const gateway = fakeGateway();
    const session = openSession(gateway.fetch);
    await session.scope.change('__all__');
    await session.client.query({ query: ScopedQuery, fetchPolicy: 'network-only' });
    expect(gateway.requests.map((request) => request.scope)).toEqual(['__all__']);
  });

  it('does not serve a cached answer from the old scope after a switch', async () => {
    const gateway = fakeGateway();
    const session = openSession(gateway.fetch);
    expect((await session.client.query({ query: ScopedQuery })).data?.viewer.scope).toBe('own');
    // The same scope answers from the cache…
    expect((await session.client.query({ query: ScopedQuery })).data?.viewer.scope).toBe('own');
    expect(gateway.requests).toHaveLength(1);

    await session.scope.change('__all__');
    // …another scope asks the gateway again.
    expect((await session.client.query({ query: ScopedQuery })).data?.viewer.scope).toBe('__all__');
    expect(gateway.requests.map((request) => request.scope)).toEqual(['own', '__all__']);
  });

  it('refetches an active query in the new scope, and it never shows the old answer again', async () => {
    const gateway = fakeGateway();
    const session = openSession(gateway.fetch);
    const seen: (string | undefined)[] = [];
    const watched = session.client.watchQuery({ query: ScopedQuery }).subscribe((result) => seen.push(result.data?.viewer?.scope));
    await session.client.query({ query: ScopedQuery });
    await session.scope.change('__all__');
    watched.unsubscribe();
    const afterSwitch = seen.slice(seen.lastIndexOf('own') + 1);
    expect(afterSwitch).toContain('__all__');
    expect(afterSwitch.filter((scope) => scope !== undefined)).toEqual(['__all__']);
  });

  it('drops an answer that was in flight in the old scope when the scope changed', async () => {
    const gateway = fakeGateway({ hold: true });
    const session = openSession(gateway.fetch);
    const seen: (string | undefined)[] = [];
    const watched = session.client.watchQuery({ query: ScopedQuery }).subscribe((result) => seen.push(result.data?.viewer?.scope));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(gateway.requests.map((request) => request.scope)).toEqual(['own']);

    const switched = session.scope.change('__all__');
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The old scope's answer arrives late, after the new scope's request went out.
    gateway.requests[0].answer();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cachedScopes(session)).not.toContain('"own"');
    gateway.requests.filter((request) => request.scope === '__all__').forEach((request) => request.answer());
    await switched;
    watched.unsubscribe();

    expect(seen).not.toContain('own');
    expect(seen).toContain('__all__');
    expect(cachedScopes(session)).toContain('"__all__"');
  });

  it('tells the app of the new scope only once the old scope is gone from the cache', async () => {
    const gateway = fakeGateway();
    const session = openSession(gateway.fetch);
    await session.client.query({ query: ScopedQuery });
    const cacheWhenTold: string[] = [];
    session.scope.subscribe(() => cacheWhenTold.push(cachedScopes(session)));
    await session.scope.change('__all__');
    expect(session.scope.current()).toBe('__all__');
    expect(cacheWhenTold).toHaveLength(1);
    expect(cacheWhenTold[0]).not.toContain('"own"');
  });

  it('goes back to the key\'s own workspace with no X-Workspace-ID', async () => {
    const gateway = fakeGateway();
    const session = openSession(gateway.fetch);
    await session.scope.change('22222222-2222-4222-8222-222222222222');
    await session.scope.change(null);
    await session.client.query({ query: ScopedQuery });
    expect(session.scope.current()).toBeNull();
    expect(gateway.requests.map((request) => request.scope)).toEqual(['own']);
  });
});

describe('the live connection of a session', () => {
  const REFUSED_SCOPE = '99999999-9999-4999-8999-999999999999';
  const connections: (string | null)[] = [];
  let closeServer: () => Promise<void>;
  let origin: string;

  beforeAll(async () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          scope: {
            type: GraphQLString,
            // Tells the subscriber the scope its socket was opened with, then stays open.
            subscribe: (_root, _args, context: { scope: string }) => {
              let sent = false;
              let finish: ((result: IteratorResult<unknown>) => void) | null = null;
              return {
                [Symbol.asyncIterator]() {
                  return this;
                },
                next: () => {
                  if (sent) return new Promise<IteratorResult<unknown>>((resolve) => (finish = resolve));
                  sent = true;
                  return Promise.resolve({ value: { scope: context.scope }, done: false });
                },
                return: async () => {
                  finish?.({ value: undefined, done: true });
                  return { value: undefined, done: true };
                },
              };
            },
          },
        },
      }),
    });
    const wsServer = new WebSocketServer({ port: 0, path: '/graphql' });
    await new Promise((resolve) => wsServer.once('listening', resolve));
    const cleanup = useServer<{ workspaceId?: string; authorization?: string }>(
      {
        schema,
        // Like the gateway: a refused key or a refused scope both close the socket with 4403.
        onConnect: (ctx) => {
          if (ctx.connectionParams?.authorization === 'Bearer revoked-key' || ctx.connectionParams?.workspaceId === REFUSED_SCOPE) return false;
          connections.push(ctx.connectionParams?.workspaceId ?? null);
        },
        context: (ctx) => ({ scope: ctx.connectionParams?.workspaceId ?? 'own' }),
      },
      wsServer,
    );
    origin = `http://127.0.0.1:${(wsServer.address() as AddressInfo).port}`;
    closeServer = async () => {
      await cleanup.dispose();
      await new Promise((resolve) => wsServer.close(resolve));
    };
  });
  afterAll(() => closeServer());

  it('reconnects with the new workspaceId in connection_init, and the subscription resumes in the new scope', async () => {
    const session = openSession(fakeGateway().fetch, { origin });
    const events: string[] = [];
    let onEvent = () => {};
    const nextEvent = () => new Promise<void>((resolve) => (onEvent = resolve));
    let arrived = nextEvent();
    const subscription = session.client.subscribe({ query: gql`subscription { scope }` }).subscribe((result) => {
      events.push(String((result.data as { scope: string }).scope));
      onEvent();
    });
    await arrived;

    arrived = nextEvent();
    await session.scope.change('__all__');
    await arrived;
    subscription.unsubscribe();

    expect(connections).toEqual([null, '__all__']);
    expect(events).toEqual(['own', '__all__']);
  });

  /** Subscribes and waits until the socket's refusal ends the subscription. */
  async function refusedSubscription(session: ApolloSession): Promise<void> {
    await new Promise<void>((resolve) => {
      session.client.subscribe({ query: gql`subscription { scope }` }).subscribe({ error: () => resolve(), complete: () => resolve() });
    });
  }

  it('signs out when the socket refuses the key itself', async () => {
    const refusals: string[] = [];
    const session = openSession(fakeGateway().fetch, { origin, apiKey: 'revoked-key', onUnauthenticated: (message) => refusals.push(message) });
    await refusedSubscription(session);
    expect(refusals).toEqual(['The gateway refused this API key for live updates: check it or ask an admin for a new one']);
  });

  it('leaves a refused scope to the HTTP answers instead of signing the key out', async () => {
    const refusals: string[] = [];
    const session = openSession(fakeGateway().fetch, { origin, workspaceId: REFUSED_SCOPE, onUnauthenticated: (message) => refusals.push(message) });
    await refusedSubscription(session);
    expect(refusals).toEqual([]);
  });
});
