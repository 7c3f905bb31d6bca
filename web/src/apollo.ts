import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';

/** The state of the live (WebSocket) connection, for the header's indicator. */
export type LiveConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';

/** A tiny store of the live connection's state, read with useSyncExternalStore. */
export interface LiveConnection {
  state(): LiveConnectionState;
  subscribe(listener: () => void): () => void;
}

/** An Apollo client signed with one key (and scope), and the socket it owns. */
export interface ApolloSession {
  client: ApolloClient;
  live: LiveConnection;
  /** Closes the socket and stops the client; the session is not used again. */
  dispose(): void;
}

/** What a session is made from. */
export interface ApolloSessionOptions {
  apiKey: string;
  /** Scope for admins: "__all__" or a workspace id, sent as X-Workspace-ID and in connection_init. @default the key's own workspace */
  workspaceId?: string | null;
  /** Called once when the gateway refuses the key (UNAUTHENTICATED, or the socket closed with 4403). */
  onUnauthenticated(message: string): void;
  /** Where the gateway is. @default the page's own origin */
  origin?: string;
}

/** The socket gives up waiting between attempts after this long, and keeps trying. */
const MAX_RETRY_WAIT_MS = 10_000;
const FORBIDDEN_CLOSE_CODE = 4403;

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return typeof value === 'object' && value !== null && 'code' in value && typeof (value as { code: unknown }).code === 'number';
}

/**
 * Builds the client: queries and mutations over HTTP, subscriptions over graphql-ws on the same
 * /graphql URL, both carrying the key; a refused key calls `onUnauthenticated` so the app can
 * ask for another.
 */
export function createApolloSession(options: ApolloSessionOptions): ApolloSession {
  const origin = options.origin ?? window.location.origin;
  const authorization = `Bearer ${options.apiKey}`;
  const workspaceId = options.workspaceId ?? undefined;

  let refused = false;
  const refuse = (message: string) => {
    if (refused) return;
    refused = true;
    options.onUnauthenticated(message);
  };

  let liveState: LiveConnectionState = 'idle';
  let everOpened = false;
  const listeners = new Set<() => void>();
  const setLiveState = (next: LiveConnectionState) => {
    if (next === liveState) return;
    liveState = next;
    listeners.forEach((listener) => listener());
  };

  let disposed = false;
  const socket: Client = createClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: () => ({ authorization, ...(workspaceId ? { workspaceId } : {}) }),
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: async (retries) => {
      const wait = Math.min(MAX_RETRY_WAIT_MS, 500 * 2 ** retries) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === FORBIDDEN_CLOSE_CODE),
    on: {
      connecting: () => setLiveState(everOpened ? 'reconnecting' : 'connecting'),
      connected: () => {
        everOpened = true;
        setLiveState('open');
      },
      closed: (event) => {
        if (isCloseEvent(event) && event.code === FORBIDDEN_CLOSE_CODE) {
          refuse('The gateway refused this API key for live updates: check it or ask an admin for a new one');
        }
        if (disposed) return;
        // A lazy socket closes on purpose when nothing listens; otherwise a retry follows.
        setLiveState(isCloseEvent(event) && event.code === 1000 ? 'idle' : everOpened ? 'reconnecting' : 'connecting');
      },
    },
  });

  const errorLink = new ErrorLink(({ error }) => {
    if (!CombinedGraphQLErrors.is(error)) return;
    const unauthenticated = error.errors.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (unauthenticated) refuse(unauthenticated.message);
  });

  const httpLink = new HttpLink({
    uri: `${origin}/graphql`,
    headers: { authorization, ...(workspaceId ? { 'x-workspace-id': workspaceId } : {}) },
  });

  const link = ApolloLink.from([
    errorLink,
    ApolloLink.split((operation) => isSubscriptionOperation(operation.query), new GraphQLWsLink(socket), httpLink),
  ]);

  const client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        // Usage groups and metric rows have no id: keep them inside the answer that holds them.
        UsageGroup: { keyFields: false },
        MetricsResult: { keyFields: false },
        MetricsRow: { keyFields: false },
        Viewer: { keyFields: false },
      },
    }),
  });

  return {
    client,
    live: {
      state: () => liveState,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    dispose() {
      disposed = true;
      listeners.clear();
      void socket.dispose();
      client.stop();
    },
  };
}
