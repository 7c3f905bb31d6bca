import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What a GraphQL operation answered: data and errors, over either transport. */
export interface OperationAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A graphql-ws socket whose opening and closing a test can await. */
export interface TestSocket {
  client: Client;
  /** Resolves once the gateway acknowledged the connection; rejects if it closed first. */
  connected: Promise<void>;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Runs a query or mutation on this socket. */
  run(query: string, variables?: Record<string, unknown>): Promise<OperationAnswer>;
  dispose(): Promise<void>;
}

/** Runs a query or mutation over a graphql-ws client; errors the gateway answers arrive as a list. */
export function runOver(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<OperationAnswer> {
  return new Promise((resolve) => {
    let answer: OperationAnswer = {};
    client.subscribe(
      { query, variables },
      {
        next: (value) => (answer = value as OperationAnswer),
        error: (errors) => resolve({ errors: Array.isArray(errors) ? errors : [{ message: String(errors) }] }),
        complete: () => resolve(answer),
      },
    );
  });
}

/** Opens a socket at once (not lazily) with this key; no retries, so a refusal stays a refusal. */
export function openSocket(wsUrl: string, key: string): TestSocket {
  let onConnected!: () => void;
  let onRefused!: (error: Error) => void;
  let onClosed!: (event: { code: number; reason: string }) => void;
  const connected = new Promise<void>((resolve, reject) => ((onConnected = resolve), (onRefused = reject)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  connected.catch(() => undefined);
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onRefused(new Error(`closed with ${code} before it was acknowledged: ${reason}`));
        onClosed({ code, reason });
      },
    },
  });
  return {
    client,
    connected,
    closed,
    run: (query, variables = {}) => runOver(client, query, variables),
    dispose: () => client.dispose() as Promise<void>,
  };
}
