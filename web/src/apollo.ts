import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { RetryLink } from '@apollo/client/link/retry';
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

/**
 * The workspace scope a session's requests run in ("__all__", a workspace id, or null for the
 * key's own workspace), read with useSyncExternalStore and changed by an admin's switcher.
 */
export interface WorkspaceScopeControl {
  /** The scope the cache holds answers for: changes only once the old scope's answers are gone. */
  current(): string | null;
  subscribe(listener: () => void): () => void;
  /**
   * Moves every request to another scope: HTTP requests carry it as X-Workspace-ID from now on,
   * the socket reconnects with it in connection_init, and the cache is reset (requests in flight
   * are dropped, active queries refetched) so no answer from the old scope is shown in the new.
   */
  change(workspaceId: string | null): Promise<void>;
}

/** An Apollo client signed with one key (and scope), and the socket it owns. */
export interface ApolloSession {
  client: ApolloClient;
  live: LiveConnection;
  scope: WorkspaceScopeControl;
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
  /** The fetch HTTP requests go through. @default the browser's fetch */
  fetch?: typeof fetch;
}

/** The socket gives up waiting between attempts after this long, and keeps trying. */
const MAX_RETRY_WAIT_MS = 10_000;
const FORBIDDEN_CLOSE_CODE = 4403;
/** graphql-ws retries after a close with this code: the restart that carries a new scope. */
const RESTART_CLOSE_CODE = 4205;
const SOCKET_OPEN = 1;
/**
 * Close codes after which graphql-ws gives up, though the gateway may well answer the next
 * attempt: an internal error on either side (1011, 4500). The subscriptions are made again.
 */
const HEALABLE_CLOSE_CODES = new Set([1011, 4500]);

/** Whether a subscription ended because the socket closed with a code worth another attempt. */
export function isHealableSocketClose(error: unknown): boolean {
  const match = /^Socket closed with event (\d+)/.exec(error instanceof Error ? error.message : '');
  return match !== null && HEALABLE_CLOSE_CODES.has(Number(match[1]));
}

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
  let workspaceId = options.workspaceId ?? null;
  let committedWorkspaceId = workspaceId;
  const scopeListeners = new Set<() => void>();

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
  // The socket is initialised with the scope of its moment; when the scope moves on, it restarts.
  let openSocket: { readyState: number; close(code: number, reason: string): void } | null = null;
  let socketWorkspaceId: string | null = null;
  let restarting = false;
  const restartIfStale = () => {
    if (!openSocket || openSocket.readyState !== SOCKET_OPEN || socketWorkspaceId === workspaceId) return;
    restarting = true;
    openSocket.close(RESTART_CLOSE_CODE, 'Client Restart: workspace scope changed');
  };
  const socket: Client = createClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: () => {
      socketWorkspaceId = workspaceId;
      return { authorization, ...(workspaceId ? { workspaceId } : {}) };
    },
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: async (retries) => {
      if (restarting) {
        restarting = false;
        return;
      }
      const wait = Math.min(MAX_RETRY_WAIT_MS, 500 * 2 ** retries) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === FORBIDDEN_CLOSE_CODE),
    on: {
      connecting: () => setLiveState(everOpened ? 'reconnecting' : 'connecting'),
      opened: (opened) => {
        openSocket = opened as typeof openSocket;
      },
      connected: () => {
        everOpened = true;
        setLiveState('open');
        restartIfStale();
      },
      closed: (event) => {
        openSocket = null;
        // With a scope in connection_init, 4403 may refuse the scope rather than the key: HTTP
        // requests tell the two apart (UNAUTHENTICATED signs out; a refused scope falls back).
        if (isCloseEvent(event) && event.code === FORBIDDEN_CLOSE_CODE && socketWorkspaceId === null) {
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

  const httpLink = new HttpLink({ uri: `${origin}/graphql`, headers: { authorization }, ...(options.fetch ? { fetch: options.fetch } : {}) });

  // Read per request, so a scope change applies to the very next request.
  const scopeLink = new ApolloLink((operation, forward) => {
    if (workspaceId) operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ headers: { ...headers, 'x-workspace-id': workspaceId } }));
    return forward(operation);
  });

  const link = ApolloLink.from([
    errorLink,
    scopeLink,
    ApolloLink.split(
      (operation) => isSubscriptionOperation(operation.query),
      ApolloLink.from([
        // graphql-ws retries lost sockets itself; after the codes it treats as final, subscribe again.
        // Without jitter, the page's subscriptions come back together on one new socket, before
        // the reconnect refetch, so no call falls between the refetch and a late subscription.
        new RetryLink({
          delay: { initial: 300, max: MAX_RETRY_WAIT_MS, jitter: false },
          attempts: { max: Number.POSITIVE_INFINITY, retryIf: (error) => !disposed && isHealableSocketClose(error) },
        }),
        new GraphQLWsLink(socket),
      ]),
      httpLink,
    ),
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

  // resetStore clears the cache (dropping requests in flight) before it refetches: only then does
  // the app learn of the new scope and remount its pages, so none of them reads the old one's answers.
  client.onResetStore(async () => {
    if (committedWorkspaceId === workspaceId) return;
    committedWorkspaceId = workspaceId;
    scopeListeners.forEach((listener) => listener());
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
    scope: {
      current: () => committedWorkspaceId,
      subscribe: (listener) => {
        scopeListeners.add(listener);
        return () => scopeListeners.delete(listener);
      },
      async change(next) {
        if (next === workspaceId || disposed) return;
        workspaceId = next;
        restartIfStale();
        // A refetch that fails shows in its card; the switch itself has happened.
        await client.resetStore().catch(() => undefined);
      },
    },
    dispose() {
      disposed = true;
      listeners.clear();
      scopeListeners.clear();
      void socket.dispose();
      client.stop();
    },
  };
}
