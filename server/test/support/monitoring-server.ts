import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey, type Role } from '../../src/auth/auth.service';
import { loadConfig } from '../../src/config';
import { startGateway, type Gateway } from '../../src/gateway';
import { createLogger, type Logger } from '../../src/logger';
import type { MonitoringOptions } from '../../src/monitoring/monitoring';
import { createWorkspace } from '../../src/workspaces/workspaces.service';
import { createTestDatabase, type TestDatabase } from './database';

export interface MonitoringServerOptions {
  /** Environment variables on top of the test defaults (HEARTBEAT_STALE_AFTER_MS, METRICS_TOKEN…). */
  env?: Record<string, string>;
  now?: () => Date;
  monitoring?: MonitoringOptions;
  logger?: Logger;
}

export interface GqlAnswer {
  status: number;
  data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface MonitoringServer {
  /** http://127.0.0.1:port, no path. */
  origin: string;
  adminKey: string;
  gateway: Gateway;
  db: TestDatabase;
  /** POSTs to /graphql with the admin key unless `key` says otherwise (null: none). */
  gql(query: string, variables?: Record<string, unknown>, key?: string | null, workspace?: string): Promise<GqlAnswer>;
  /** A graphql-ws client with this key (and scope: `__all__` or a workspace id), closed on dispose. */
  ws(key: string, workspaceId?: string): Client;
  /** A new workspace and a key of the given role in it. */
  workspaceWithKey(name: string, role?: Role): Promise<{ workspaceId: string; key: string }>;
  dispose(): Promise<void>;
}

/** A gateway over its own database, with the environment and monitoring options a monitoring test needs. */
export async function startMonitoringServer(options: MonitoringServerOptions = {}): Promise<MonitoringServer> {
  const db = await createTestDatabase();
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
  });
  const origin = `http://127.0.0.1:${gateway.port}`;
  const clients: Client[] = [];
  return {
    origin,
    adminKey,
    gateway,
    db,
    gql: async (query, variables, key = adminKey, workspace) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      if (workspace) headers['x-workspace-id'] = workspace;
      const response = await fetch(`${origin}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as Omit<GqlAnswer, 'status'>;
      return { status: response.status, ...body };
    },
    ws: (key, workspaceId) => {
      const client = createClient({
        url: `ws://127.0.0.1:${gateway.port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}`, workspaceId },
        retryAttempts: 0,
        lazy: false,
      });
      clients.push(client);
      return client;
    },
    workspaceWithKey: async (name, role = 'MEMBER') => {
      const workspace = await createWorkspace(db.platform, name, 'pro');
      return { workspaceId: workspace.id, key: await createApiKey(db.platform, workspace.id, role, null) };
    },
    dispose: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await gateway.stop();
      await db.dispose();
    },
  };
}

/** Resolves with the first `count` results of a subscription, errors included (unlike `collect`). */
export function firstResults<T = Record<string, any>>( // eslint-disable-line @typescript-eslint/no-explicit-any
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  count: number,
): Promise<{ data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[]> {
  const received: { data?: T; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[] = [];
  return new Promise((resolve, reject) => {
    const stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          received.push({ data: (value.data ?? undefined) as T | undefined, errors: value.errors as never });
          if (received.length >= count) {
            stop();
            resolve(received);
          }
        },
        error: (error) => {
          if (Array.isArray(error)) {
            received.push({ errors: error });
            resolve(received);
          } else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
        },
        complete: () => resolve(received),
      },
    );
  });
}
