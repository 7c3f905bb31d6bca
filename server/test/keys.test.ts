import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './support/server';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testRedis, type TestRedis } from './support/redis';
import { countReaches } from './support/live-counts';

const CREATE = `mutation ($workspaceId: ID!, $role: Role!, $label: String, $expiresAt: DateTime) {
  createApiKey(workspaceId: $workspaceId, role: $role, label: $label, expiresAt: $expiresAt) }`;
const LIST = `query ($workspaceId: ID) { apiKeys(workspaceId: $workspaceId) {
  id label role workspaceId prefix createdAt lastUsedAt expiresAt revokedAt } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) }`;
const ROTATE = `mutation ($id: ID!) { rotateApiKey(id: $id) }`;
const WHO = `{ viewer { role scope workspace { id } } }`;

interface Listed {
  id: string;
  label: string | null;
  role: string;
  workspaceId: string;
  prefix: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A clock the test moves by hand. */
const clock = { at: new Date('2026-06-01T12:00:00.000Z') };
let server: TestServer;
let team: { workspaceId: string; key: string };
let other: { workspaceId: string; key: string };

beforeAll(async () => {
  server = await startTestServer({ now: () => clock.at });
  team = await server.workspaceWithKey('Keys team', 'MEMBER');
  other = await server.workspaceWithKey('Keys other', 'MEMBER');
});
afterAll(() => server.dispose());

async function createKey(key: string, variables: Record<string, unknown>): Promise<string> {
  const answer = await server.gql(CREATE, variables, { key });
  expect(answer.errors).toBeUndefined();
  return answer.data!.createApiKey as string;
}

async function listed(key: string, workspaceId?: string): Promise<Listed[]> {
  const answer = await server.gql(LIST, { workspaceId }, { key });
  expect(answer.errors).toBeUndefined();
  return answer.data!.apiKeys as Listed[];
}

/** The id of the one unrevoked key of the team with this label. */
const idOf = async (label: string): Promise<string> => (await listed(team.key)).find((k) => k.label === label && k.revokedAt === null)!.id;

describe('createApiKey', () => {
  it.each(['MEMBER', 'VIEWER', 'INGEST'])('lets a member key create a %s key of its own workspace, shown once', async (role) => {
    const created = await createKey(team.key, { workspaceId: team.workspaceId, role, label: `${role} for the agents` });
    const { data } = await server.gql(WHO, {}, { key: created });
    expect(data!.viewer).toEqual({ role, scope: team.workspaceId, workspace: { id: team.workspaceId } });
    const keys = await listed(team.key);
    const entry = keys.find((k) => k.label === `${role} for the agents`)!;
    expect(entry).toMatchObject({ role, workspaceId: team.workspaceId, prefix: created.slice(0, 8), revokedAt: null, expiresAt: null });
    expect(JSON.stringify(keys)).not.toContain(created);
  });

  it('refuses a member key an ADMIN key, and a key of another workspace', async () => {
    const admin = await server.gql(CREATE, { workspaceId: team.workspaceId, role: 'ADMIN' }, { key: team.key });
    expect(admin.errors![0]).toMatchObject({
      message: 'A member key manages MEMBER, VIEWER, INGEST keys only, but this one is ADMIN',
      extensions: { code: 'FORBIDDEN' },
    });
    const foreign = await server.gql(CREATE, { workspaceId: other.workspaceId, role: 'VIEWER' }, { key: team.key });
    expect(foreign.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(foreign.errors![0].message).toBe(
      `A member key manages keys of its own workspace (${team.workspaceId}) only, but this one is of ${other.workspaceId}`,
    );
    expect((await listed(server.adminKey, other.workspaceId)).filter((k) => k.role === 'VIEWER')).toEqual([]);
  });

  it('lets an admin key create an ADMIN key for another workspace', async () => {
    const created = await createKey(server.adminKey, { workspaceId: other.workspaceId, role: 'ADMIN', label: 'second admin' });
    const { data } = await server.gql(WHO, {}, { key: created });
    expect(data!.viewer.role).toBe('ADMIN');
  });

  it('refuses an expiry in the past, saying what arrived', async () => {
    const answer = await server.gql(CREATE, { workspaceId: team.workspaceId, role: 'VIEWER', expiresAt: '2026-05-01T00:00:00.000Z' }, { key: team.key });
    expect(answer.errors![0]).toMatchObject({
      message: 'expiresAt must be in the future, but got 2026-05-01T00:00:00.000Z (now is 2026-06-01T12:00:00.000Z)',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('apiKeys', () => {
  it("lists a member's own workspace only, and refuses another's", async () => {
    expect(new Set((await listed(team.key)).map((k) => k.workspaceId))).toEqual(new Set([team.workspaceId]));
    const foreign = await server.gql(LIST, { workspaceId: other.workspaceId }, { key: team.key });
    expect(foreign.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(foreign.data).toBeNull();
  });

  it('lists any workspace an admin names, whatever its scope', async () => {
    const keys = await listed(server.adminKey, other.workspaceId);
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys.map((k) => k.workspaceId))).toEqual(new Set([other.workspaceId]));
  });

  it('lists every workspace to an admin in scope __all__', async () => {
    const answer = await server.gql(LIST, {}, { workspace: '__all__' });
    const workspaces = new Set((answer.data!.apiKeys as Listed[]).map((k) => k.workspaceId));
    expect([...workspaces]).toEqual(expect.arrayContaining([team.workspaceId, other.workspaceId, server.mainWorkspaceId]));
  });
});

describe('expiry', () => {
  it('opens nothing once expiresAt has passed', async () => {
    const created = await createKey(team.key, { workspaceId: team.workspaceId, role: 'VIEWER', label: 'short-lived', expiresAt: '2026-06-01T13:00:00.000Z' });
    expect((await server.gql(WHO, {}, { key: created })).data!.viewer.role).toBe('VIEWER');
    const start = clock.at;
    clock.at = new Date('2026-06-01T13:00:00.000Z');
    try {
      const answer = await server.gql(WHO, {}, { key: created });
      expect(answer.errors![0]).toMatchObject({
        message: 'This API key has expired (at 2026-06-01T13:00:00.000Z): ask for a new one',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    } finally {
      clock.at = start;
    }
  });
});

describe('lastUsedAt', () => {
  it('is written on first use and then at most once a minute', async () => {
    const created = await createKey(team.key, { workspaceId: team.workspaceId, role: 'INGEST', label: 'busy agent' });
    const lastUsed = async (): Promise<string | null> => (await listed(team.key)).find((k) => k.label === 'busy agent')!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const start = clock.at;
    try {
      await server.gql(WHO, {}, { key: created });
      expect(await lastUsed()).toBe(start.toISOString());
      clock.at = new Date(start.getTime() + 59_000);
      for (let i = 0; i < 5; i++) await server.gql(WHO, {}, { key: created });
      expect(await lastUsed()).toBe(start.toISOString());
      clock.at = new Date(start.getTime() + 60_000);
      await server.gql(WHO, {}, { key: created });
      expect(await lastUsed()).toBe(clock.at.toISOString());
    } finally {
      clock.at = start;
    }
  });
});

/** A socket with a key, resolved once the server has accepted it; `closed` resolves with its close event. */
async function openSocket(target: TestServer, key: string): Promise<{ client: Client; closed: Promise<{ code: number; reason: string }> }> {
  let onClosed!: (event: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: target.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { connected: () => onConnected(), closed: (event) => onClosed(event as { code: number; reason: string }) },
  });
  await connected;
  return { client, closed };
}

describe('revokeApiKey', () => {
  it('refuses the key on its next request, though it was just cached, and closes its open sockets with 4403', async () => {
    const created = await createKey(team.key, { workspaceId: team.workspaceId, role: 'VIEWER', label: 'dashboard screen' });
    expect((await server.gql(WHO, {}, { key: created })).data!.viewer.role).toBe('VIEWER');
    const socket = await openSocket(server, created);
    const id = await idOf('dashboard screen');
    const answer = await server.gql(REVOKE, { id }, { key: team.key });
    expect(answer.data!.revokeApiKey).toBe(true);
    expect(await socket.closed).toEqual(expect.objectContaining({ code: 4403 }));
    const refused = await server.gql(WHO, {}, { key: created });
    expect(refused.errors![0]).toMatchObject({ message: 'This API key was revoked: ask for a new one', extensions: { code: 'UNAUTHENTICATED' } });
    expect((await listed(team.key)).find((k) => k.id === id)!.revokedAt).toBe(clock.at.toISOString());
    expect((await server.gql(REVOKE, { id }, { key: team.key })).data!.revokeApiKey).toBe(false);
    await socket.client.dispose();
  });

  it("cannot reach another workspace's key: it answers as if there were none", async () => {
    const foreign = await createKey(other.key, { workspaceId: other.workspaceId, role: 'INGEST', label: 'theirs' });
    const id = (await listed(other.key)).find((k) => k.label === 'theirs')!.id;
    const answer = await server.gql(REVOKE, { id }, { key: team.key });
    expect(answer.errors![0]).toMatchObject({ message: `No API key with id ${id} in this workspace`, extensions: { code: 'BAD_USER_INPUT' } });
    expect((await server.gql(WHO, {}, { key: foreign })).data!.viewer.role).toBe('INGEST');
  });

  it('lets a member revoke no admin key of its workspace', async () => {
    const admin = await createKey(server.adminKey, { workspaceId: team.workspaceId, role: 'ADMIN', label: 'team admin' });
    const id = (await listed(team.key)).find((k) => k.label === 'team admin')!.id;
    const answer = await server.gql(REVOKE, { id }, { key: team.key });
    expect(answer.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await server.gql(ROTATE, { id }, { key: team.key })).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await server.gql(WHO, {}, { key: admin })).data!.viewer.role).toBe('ADMIN');
  });
});

describe('rotateApiKey', () => {
  it('answers a new key with the same label, role and workspace, and revokes the old one at once', async () => {
    const old = await createKey(team.key, { workspaceId: team.workspaceId, role: 'INGEST', label: 'crawler agent' });
    expect((await server.gql(WHO, {}, { key: old })).data!.viewer.role).toBe('INGEST');
    const oldId = await idOf('crawler agent');
    const answer = await server.gql(ROTATE, { id: oldId }, { key: team.key });
    const fresh = answer.data!.rotateApiKey as string;
    expect(fresh).toMatch(/^tly_/);
    expect(fresh).not.toBe(old);
    expect((await server.gql(WHO, {}, { key: old })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await server.gql(WHO, {}, { key: fresh })).data!.viewer).toEqual({ role: 'INGEST', scope: team.workspaceId, workspace: { id: team.workspaceId } });
    const both = (await listed(team.key)).filter((k) => k.label === 'crawler agent');
    expect(both).toHaveLength(2);
    expect(both.find((k) => k.id === oldId)!.revokedAt).toBe(clock.at.toISOString());
    expect(both.find((k) => k.id !== oldId)).toMatchObject({ role: 'INGEST', workspaceId: team.workspaceId, prefix: fresh.slice(0, 8), revokedAt: null });
  });

  it('refuses a revoked key, saying so', async () => {
    await createKey(team.key, { workspaceId: team.workspaceId, role: 'VIEWER', label: 'gone' });
    const id = await idOf('gone');
    await server.gql(REVOKE, { id }, { key: team.key });
    const answer = await server.gql(ROTATE, { id }, { key: team.key });
    expect(answer.errors![0]).toMatchObject({
      message: `API key ${id} was revoked at ${clock.at.toISOString()}: create a new one instead`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('revoking on one instance', () => {
  let database: TestDatabase;
  let redis: TestRedis;
  const gateways: TestServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await testRedis();
    const env = { REDIS_URL: redis.url, REDIS_CHANNEL_PREFIX: `keys-${process.pid}-${Date.now()}` };
    gateways.push(await startTestServer({ database, env }), await startTestServer({ database, env }));
    await Promise.all(gateways.map((g) => countReaches(g.gateway.services.pubsub.subscribers, 'API_KEY_REVOKED')));
  });
  afterAll(async () => {
    for (const g of gateways) await g.dispose();
    await database.dispose();
    await redis.dispose();
  });

  it("closes the key's sockets and drops its cached lookup on every instance", async () => {
    const [first, second] = gateways;
    const { workspaceId, key } = await first.workspaceWithKey('Two instances', 'MEMBER');
    const viewerKey = await (async () => {
      const answer = await first.gql(CREATE, { workspaceId, role: 'VIEWER', label: 'wall screen' }, { key });
      return answer.data!.createApiKey as string;
    })();
    expect((await second.gql(WHO, {}, { key: viewerKey })).data!.viewer.role).toBe('VIEWER');
    const socket = await openSocket(second, viewerKey);
    const id = ((await first.gql(LIST, {}, { key })).data!.apiKeys as Listed[]).find((k) => k.label === 'wall screen')!.id;
    expect((await first.gql(REVOKE, { id }, { key })).data!.revokeApiKey).toBe(true);
    expect(await socket.closed).toEqual(expect.objectContaining({ code: 4403 }));
    expect((await second.gql(WHO, {}, { key: viewerKey })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    await socket.client.dispose();
  });
});
