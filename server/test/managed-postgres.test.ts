import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { call, TRACK_MANY } from './fixtures/calls';
import { createTestDatabase } from './support/database';
import { startOwnPostgres, type OwnPostgres } from './support/own-postgres';
import { compileServer, postGraphql, spawnGateway, type CompiledServer } from './support/processes';
import { startTestServer } from './support/server';

// Managed PostgreSQL gives a role that owns its database, may create roles, and is neither
// superuser nor BYPASSRLS. A gateway process started on a fresh server with such a role (as
// `npm start` with DATABASE_URL) migrates, bootstraps its admin key, signs in, ingests, answers
// queries (a backfilled call making its month of raw calls), admin views and subscriptions; so
// does one that serves with a role of no privileges at all while another migrates
// (DATABASE_MIGRATION_URL); and one on a superuser role still does.

interface Gateway {
  url: string;
  wsUrl: string;
  adminKey: string;
}

const gql = (gateway: Gateway, query: string, variables: Record<string, unknown> = {}, key = gateway.adminKey) =>
  postGraphql(gateway.url, key, query, variables);

/** What a person does first: a workspace and a key, calls sent, read back, watched live, and seen across workspaces. */
async function tour(gateway: Gateway): Promise<void> {
  const viewer = await gql(gateway, `{ viewer { role workspace { name } } }`);
  expect(viewer.errors).toBeUndefined();
  expect(viewer.data!.viewer).toEqual({ role: 'ADMIN', workspace: { name: 'Main workspace' } });

  const created = await gql(gateway, `mutation { createWorkspace(name: "Managed", plan: "pro") { id } }`);
  expect(created.errors).toBeUndefined();
  const workspaceId = created.data!.createWorkspace.id as string;
  const issued = await gql(gateway, `mutation($w: ID!) { createApiKey(workspaceId: $w, role: MEMBER) }`, { w: workspaceId });
  expect(issued.errors).toBeUndefined();
  const key = issued.data!.createApiKey as string;

  const ws = createClient({ url: gateway.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
  try {
    const live = ws.iterate<{ llmCallTracked: { modelId: string } }>({ query: 'subscription { llmCallTracked { modelId } }' });
    const connected = new Promise<void>((resolve) => ws.on('connected', () => resolve()));
    const first = live.next();
    await connected;
    // The subscription is live once the server has read the subscribe message: calls are sent, one answer at a time, until one arrives.
    let event: Awaited<typeof first> | undefined;
    void first.then((value) => (event = value));
    for (let i = 0; !event && i < 500; i++) {
      const tracked = await gql(gateway, TRACK_MANY, { inputs: [call({ eventId: `managed-${i}`, modelId: 'managed-model' })] }, key);
      expect(tracked.errors).toBeUndefined();
      expect(tracked.data!.trackLlmCalls).toMatchObject({ accepted: 1, rejected: [] });
    }
    await first;
    expect(event!.value).toEqual({ data: { llmCallTracked: { modelId: 'managed-model' } } });
    await live.return?.();
  } finally {
    await ws.dispose();
  }

  // A call dated in a month that has no partition yet: the month is made (by its owner, whatever role serves).
  const backfill = await gql(gateway, TRACK_MANY, { inputs: [call({ eventId: 'managed-backfill', occurredAt: '2024-03-15T10:00:00Z' })] }, key);
  expect(backfill.errors).toBeUndefined();
  expect(backfill.data!.trackLlmCalls).toMatchObject({ accepted: 1, rejected: [] });

  const usage = await gql(gateway, `{ llmUsage(period: LAST_24H, groupBy: MODEL) { key requests } }`, {}, key);
  expect(usage.errors).toBeUndefined();
  expect(usage.data!.llmUsage).toEqual([{ key: 'managed-model', requests: expect.any(Number) }]);

  const everyone = await gql(gateway, `{ adminDashboard(period: LAST_24H) { workspaces { workspaceId requests } } }`);
  expect(everyone.errors).toBeUndefined();
  expect(everyone.data!.adminDashboard.workspaces).toContainEqual(expect.objectContaining({ workspaceId }));
  const health = await gql(gateway, `{ health { status services { name status } } }`);
  expect(health.errors).toBeUndefined();
  expect(health.data!.health.services).toContainEqual({ name: 'database', status: 'OK' });
}

describe('on a fresh PostgreSQL server', () => {
  let compiled: CompiledServer;
  let postgres: OwnPostgres;

  beforeAll(async () => {
    compiled = compileServer();
    postgres = await startOwnPostgres();
  });
  afterAll(async () => {
    await postgres?.dispose();
    compiled?.dispose();
  });

  it('migrates and serves with an owner that is neither superuser nor BYPASSRLS', async () => {
    const [role] = await rows(postgres.url, `SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: true });
    const gateway = await spawnGateway(compiled.main, { databaseUrl: postgres.url });
    try {
      await tour(gateway);
    } finally {
      await gateway.stop();
    }
    expect(await rows(postgres.superuserUrl, `SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ tableowner: 'tally_owner' }]);
  });

  it('serves with a role that owns nothing and may create nothing, while DATABASE_MIGRATION_URL migrates', async () => {
    await rows(postgres.superuserUrl, `CREATE ROLE tally_server LOGIN PASSWORD 'tally_server' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB`);
    const serving = new URL(postgres.url);
    serving.username = serving.password = 'tally_server';
    const gateway = await spawnGateway(compiled.main, { databaseUrl: serving.toString(), env: { DATABASE_MIGRATION_URL: postgres.url } });
    try {
      await tour(gateway);
    } finally {
      await gateway.stop();
    }
    // Outside the two paths, the serving role reaches nothing.
    await expect(rows(serving.toString(), `SELECT count(*) FROM llm_usage`)).rejects.toThrow(/permission denied for table llm_usage/);
  });
});

it('serves on a superuser role as well (the embedded PostgreSQL of npm start)', async () => {
  const database = await createTestDatabase('superuser');
  const server = await startTestServer({ database });
  try {
    const [role] = await database.dataSource.query(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
    expect(role).toEqual({ rolsuper: true });
    await tour({ url: server.url, wsUrl: server.wsUrl, adminKey: server.adminKey });
    // The superuser's own pool would bypass row-level security; the platform path does not, it answers to its policy.
    const [platform] = await database.platform.query(`SELECT current_user AS name, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(platform).toEqual({ name: 'tally_platform', rolbypassrls: false });
  } finally {
    await server.dispose();
    await database.dispose();
  }
});

async function rows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}
