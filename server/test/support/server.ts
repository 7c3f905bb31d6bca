import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config';
import { startGateway, type Gateway } from '../../src/gateway';
import { createLogger, type Logger } from '../../src/logger';
import type { MonitoringOptions } from '../../src/monitoring/monitoring';
import { createApiKey, type Role } from '../../src/auth/auth.service';
import { createWorkspace } from '../../src/workspaces/workspaces.service';
import { MAIN_WORKSPACE_ID } from '../../src/bootstrap';
import { createTestDatabase, type TestDatabase } from './database';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GqlResult<T = Record<string, any>> {
  status: number;
  /** The Retry-After header, when there is one. */
  retryAfter?: string;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface RequestOptions {
  key?: string | null;
  workspace?: string;
}

export interface TestServer {
  url: string;
  wsUrl: string;
  adminKey: string;
  mainWorkspaceId: string;
  gateway: Gateway;
  db: TestDatabase;
  /** POSTs a GraphQL request; the admin key unless `key` says otherwise (null: none). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GqlResult<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** A new workspace with a key of the given role. */
  workspaceWithKey(name: string, role?: Role, plan?: string): Promise<{ workspaceId: string; key: string }>;
  /** A graphql-ws client, closed on dispose. */
  wsClient(connectionParams: Record<string, unknown>, onClose?: (event: { code: number; reason: string }) => void): Client;
  dispose(): Promise<void>;
}

/** What a test may change about its gateway. */
export interface TestServerOptions {
  /** The gateway's clock. */
  now?: () => Date;
  /** Environment variables on top of the test defaults (e.g. OPENROUTER_BASE_URL, MEM0_URL). */
  env?: Record<string, string>;
  /** The gateway's logger; default: pino at TEST_LOG_LEVEL (silent). */
  logger?: Logger;
  /** A database of the caller's (shared by several gateways, or reached through a proxy); the caller disposes it. */
  database?: TestDatabase;
  /** Monitoring tuning (a hand-ticked snapshot scheduler, say). */
  monitoring?: MonitoringOptions;
  /** The window the limits count rates over, in seconds (a long one keeps a test's requests in one window). @default 1 */
  limitWindowSeconds?: number;
  /** A built dashboard to serve instead of web/dist. */
  webDist?: string;
}

/** A gateway on a free port over its own database; `dispose` undoes everything. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = options.database ?? (await createTestDatabase());
  const adminKey = `test_admin_${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    TALLY_ADMIN_KEY: adminKey,
    TALLY_SECRET_KEY: randomBytes(32).toString('base64'),
    TALLY_DATA_DIR: mkdtempSync(join(tmpdir(), 'tally-test-data-')),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const gateway = await startGateway(config, db.dataSource, options.logger ?? createLogger(config.logLevel), {
    now: options.now,
    monitoring: options.monitoring,
    limitWindowSeconds: options.limitWindowSeconds,
    webDist: options.webDist,
  });
  const url = `http://127.0.0.1:${gateway.port}/graphql`;
  const clients: Client[] = [];

  const gql: TestServer['gql'] = async (query, variables, requestOptions = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const key = requestOptions.key === undefined ? adminKey : requestOptions.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (requestOptions.workspace) headers['x-workspace-id'] = requestOptions.workspace;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: never; errors?: never };
    return { status: response.status, retryAfter: response.headers.get('retry-after') ?? undefined, data: body.data, errors: body.errors };
  };

  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    adminKey,
    mainWorkspaceId: MAIN_WORKSPACE_ID,
    gateway,
    db,
    gql,
    workspaceWithKey: async (name, role = 'MEMBER', plan = 'pro') => {
      const workspace = await createWorkspace(db.platform, name, plan);
      const key = await createApiKey(db.platform, workspace.id, role, null);
      return { workspaceId: workspace.id, key };
    },
    wsClient: (connectionParams, onClose) => {
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined, // a refused connection is reported through on.closed
        on: onClose ? { closed: (event) => onClose(event as { code: number; reason: string }) } : undefined,
      });
      clients.push(client);
      return client;
    },
    dispose: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await gateway.stop();
      if (!options.database) await db.dispose();
    },
  };
}

/** Resolves with the first `count` events of a subscription (rejects on an error). */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown>, count: number): Promise<T[]> {
  const received: T[] = [];
  return new Promise<T[]>((resolve, reject) => {
    const stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
          received.push(value.data as T);
          if (received.length >= count) {
            stop();
            resolve(received);
          }
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(received),
      },
    );
  });
}
