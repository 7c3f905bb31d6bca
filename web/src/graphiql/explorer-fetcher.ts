import { createGraphiQLFetcher, type Fetcher, type FetcherOpts, type FetcherParams } from '@graphiql/toolkit';
import { Kind, parse, type DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

/**
 * The headers a dashboard key gives GraphiQL: its Authorization, and the admin's workspace scope
 * when one is chosen. Shown in GraphiQL's headers editor, where a person can change them.
 */
export function dashboardHeaders(apiKey: string | null, workspaceId: string | null): Record<string, string> {
  return {
    ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
    ...(workspaceId ? { 'X-Workspace-ID': workspaceId } : {}),
  };
}

/** Header names compared as HTTP compares them: without case. */
function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/**
 * The graphql-ws connection_init payload the gateway expects for the same headers
 * (`authorization`, and `workspaceId` for X-Workspace-ID).
 */
export function connectionParamsFor(headers: Record<string, unknown>): Record<string, string> {
  const authorization = headerValue(headers, 'authorization');
  const workspaceId = headerValue(headers, 'x-workspace-id');
  return { ...(authorization ? { authorization } : {}), ...(workspaceId ? { workspaceId } : {}) };
}

/** The document GraphiQL parsed, or our own parse of the text (GraphiQL has none before the schema loads). */
function documentOf(query: string, parsed: DocumentNode | undefined): DocumentNode | undefined {
  if (parsed) return parsed;
  try {
    return parse(query);
  } catch {
    return undefined;
  }
}

/** Whether the operation GraphiQL runs is a subscription (the named one, or the only one). */
export function isSubscription(document: DocumentNode | undefined, operationName: string | null | undefined): boolean {
  const operations = (document?.definitions ?? []).filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  return chosen?.operation === 'subscription';
}

/**
 * A GraphiQL fetcher for the gateway: queries and mutations over HTTP at `/graphql`, subscriptions
 * over graphql-ws on the same URL. The editor's headers override the dashboard's; the socket is
 * opened with them as connection_init parameters and reused while they stay the same.
 */
export function createExplorerFetcher(origin: string, baseHeaders: Record<string, string>): Fetcher {
  const http = createGraphiQLFetcher({ url: `${origin}/graphql`, headers: baseHeaders, enableIncrementalDelivery: false });
  let socket: { params: string; client: Client } | null = null;
  const socketFor = (params: Record<string, string>): Client => {
    const key = JSON.stringify(params);
    if (socket?.params !== key) {
      void socket?.client.dispose();
      socket = { params: key, client: createClient({ url: `${origin.replace(/^http/, 'ws')}/graphql`, connectionParams: params, lazy: true }) };
    }
    return socket.client;
  };
  return (params: FetcherParams, options?: FetcherOpts) => {
    const headers = { ...baseHeaders, ...(options?.headers ?? {}) };
    if (!isSubscription(documentOf(params.query, options?.documentAST), params.operationName)) return http(params, options);
    const results = socketFor(connectionParamsFor(headers)).iterate({
      query: params.query,
      operationName: params.operationName ?? undefined,
      variables: params.variables ?? undefined,
    });
    // GraphiQL shows each result as JSON: the wire form (errors as plain objects) is what it prints.
    return results as unknown as ReturnType<Fetcher>;
  };
}
