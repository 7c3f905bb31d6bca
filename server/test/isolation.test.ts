import { call, TRACK_MANY } from './fixtures/calls';
import { collect, startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

/**
 * Every scoped query, with what it must show. Each workspace's data carries its own markers
 * (its id, a model id and an agent name used nowhere else), so a query leaks when its answer
 * holds another workspace's marker. Add each new scoped query here.
 */
const SCOPED_QUERIES: { name: string; query: string; variables?: Record<string, unknown> }[] = [
  { name: 'llmUsage by model', query: `{ llmUsage(period: LAST_24H, groupBy: MODEL) { key label requests totalCost } }` },
  { name: 'llmUsage by agent', query: `{ llmUsage(period: LAST_24H, groupBy: AGENT) { key label requests } }` },
  { name: 'llmCalls with their agent', query: `{ llmCalls(limit: 500) { id workspaceId modelId agent { id name } } }` },
  {
    name: 'usageMetrics by model and agent',
    query: `query M($query: MetricsQueryInput!) { usageMetrics(query: $query) { source rows { dimensions { value label } values { value } } } }`,
    variables: { query: { period: 'LAST_24H', metrics: ['REQUESTS', 'TOTAL_COST'], groupBy: ['MODEL', 'AGENT'] } },
  },
  {
    name: 'usageMetrics by hour over raw rows',
    query: `query M($query: MetricsQueryInput!) { usageMetrics(query: $query) { rows { bucket dimensions { value label } values { value } } } }`,
    variables: { query: { period: 'LAST_1H', metrics: ['REQUESTS', 'P95_LATENCY_MS'], groupBy: ['MODEL'], bucket: 'HOUR' } },
  },
  { name: 'agents', query: `{ agents { id name modelUsageStats { modelId requests } } }` },
];

const CALL_TRACKED = `subscription { llmCallTracked { workspaceId modelId agent { id name } } }`;

interface Tenant {
  workspaceId: string;
  key: string;
  model: string;
  agentName: string;
  /** An agent id only this workspace uses. */
  reviewer: string;
}

let server: TestServer;
let alpha: Tenant;
let beta: Tenant;

async function tenant(label: string): Promise<Tenant> {
  const { workspaceId, key } = await server.workspaceWithKey(`isolation-${label}`);
  const t = { workspaceId, key, model: `iso-model-${label}`, agentName: `${label} writer`, reviewer: `${label}-reviewer` };
  // Both workspaces use the same agent id with different names: a loader keyed by id alone would mix them up.
  const agent = await server.gql(`mutation { upsertAgent(input: { id: "writer", name: "${t.agentName}" }) { id } }`, {}, { key });
  expect(agent.errors).toBeUndefined();
  const tracked = await server.gql(
    TRACK_MANY,
    { inputs: [call({ modelId: t.model, agentId: 'writer', latencyMs: 300 }), call({ modelId: t.model, agentId: t.reviewer, latencyMs: 900 }), call({ modelId: t.model, latencyMs: 40 })] },
    { key },
  );
  expect(tracked.data!.trackLlmCalls.accepted).toBe(3);
  return t;
}

const markers = (t: Tenant): string[] => [t.workspaceId, t.model, t.agentName, t.reviewer];
const shows = (answer: unknown, t: Tenant): boolean => markers(t).some((m) => JSON.stringify(answer).includes(m));

beforeAll(async () => {
  server = await startTestServer();
  alpha = await tenant('alpha');
  beta = await tenant('beta');
});
afterAll(() => server.dispose());

describe.each(SCOPED_QUERIES)('$name', ({ query, variables }) => {
  it("shows a member its own workspace's calls and never another's", async () => {
    for (const [own, other] of [
      [alpha, beta],
      [beta, alpha],
    ]) {
      const result = await server.gql(query, variables, { key: own.key });
      expect(result.errors).toBeUndefined();
      expect(shows(result.data, own)).toBe(true);
      expect(shows(result.data, other)).toBe(false);
    }
  });

  it("shows an admin in scope __all__ every workspace's calls", async () => {
    const result = await server.gql(query, variables, { workspace: '__all__' });
    expect(result.errors).toBeUndefined();
    expect(shows(result.data, alpha)).toBe(true);
    expect(shows(result.data, beta)).toBe(true);
  });

  it('shows an admin who names one workspace exactly that workspace', async () => {
    const result = await server.gql(query, variables, { workspace: beta.workspaceId });
    expect(result.errors).toBeUndefined();
    expect(shows(result.data, beta)).toBe(true);
    expect(shows(result.data, alpha)).toBe(false);
  });

  it("shows an admin without X-Workspace-ID only the admin's own workspace", async () => {
    const result = await server.gql(query, variables);
    expect(result.errors).toBeUndefined();
    expect(shows(result.data, alpha)).toBe(false);
    expect(shows(result.data, beta)).toBe(false);
  });

  it("is FORBIDDEN to a member naming another workspace, with nothing of it in the answer", async () => {
    const result = await server.gql(query, variables, { key: alpha.key, workspace: beta.workspaceId });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0].message).toBe(
      `X-Workspace-ID may name only your own workspace (${alpha.workspaceId}) with a member key, but got "${beta.workspaceId}"`,
    );
    expect(shows(result.data, beta)).toBe(false);
  });

  it('is FORBIDDEN to a member asking for __all__', async () => {
    const result = await server.gql(query, variables, { key: alpha.key, workspace: '__all__' });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(shows(result.data, beta)).toBe(false);
  });

  it.each([
    ['no key', null, 'An API key is required: send "Authorization: Bearer <key>"'],
    ['a wrong key', 'tly_not-a-key-anyone-has', 'This API key is not valid: check it or ask an admin for a new one'],
  ])('is UNAUTHENTICATED with %s', async (_name, key, message) => {
    const result = await server.gql(query, variables, { key });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.errors?.[0].message).toBe(message);
    expect(result.data ?? null).toBeNull();
  });
});

describe('viewer', () => {
  const VIEWER = `{ viewer { role scope workspace { id name } } }`;

  it("names a member's own workspace and scope", async () => {
    const result = await server.gql(VIEWER, {}, { key: alpha.key });
    expect(result.data!.viewer).toEqual({
      role: 'MEMBER',
      scope: alpha.workspaceId,
      workspace: { id: alpha.workspaceId, name: 'isolation-alpha' },
    });
  });

  it('gives an admin the scope it asked for', async () => {
    expect((await server.gql(VIEWER, {}, { workspace: '__all__' })).data!.viewer.scope).toBe('__all__');
    expect((await server.gql(VIEWER, {}, { workspace: beta.workspaceId })).data!.viewer.scope).toBe(beta.workspaceId);
  });

  it('is FORBIDDEN to a member naming another workspace', async () => {
    const result = await server.gql(VIEWER, {}, { key: alpha.key, workspace: beta.workspaceId });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('is UNAUTHENTICATED without a key', async () => {
    const result = await server.gql(VIEWER, {}, { key: null });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('admin-only and admin-only groupings', () => {
  it('refuses the workspace list to a member', async () => {
    const result = await server.gql(`{ workspaces { id } }`, {}, { key: alpha.key });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0].message).toBe('This needs an admin key, but this request uses a member key');
  });

  it('refuses a member grouping by workspace', async () => {
    const result = await server.gql(`{ llmUsage(period: LAST_24H, groupBy: WORKSPACE) { key } }`, {}, { key: alpha.key });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe('groupBy WORKSPACE needs an admin key, but this key is a member key');
  });

  it('groups an admin in scope __all__ by workspace, one row for each', async () => {
    const result = await server.gql(`{ llmUsage(period: LAST_24H, groupBy: WORKSPACE) { key label requests } }`, {}, { workspace: '__all__' });
    const rows = result.data!.llmUsage as { key: string; label: string; requests: number }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        { key: alpha.workspaceId, label: 'isolation-alpha', requests: 3 },
        { key: beta.workspaceId, label: 'isolation-beta', requests: 3 },
      ]),
    );
  });
});

describe('llmCallTracked', () => {
  interface Tracked {
    llmCallTracked: { workspaceId: string; modelId: string; agent: { id: string; name: string } | null };
  }
  let memberAlpha: Promise<Tracked[]>;
  let adminOnBeta: Promise<Tracked[]>;
  let adminOnAll: Promise<Tracked[]>;

  // Three subscribers, live before anything is tracked; then calls land in beta, alpha, beta.
  // Each scoped subscriber sees a foreign call before its own, so a leak would show.
  beforeAll(async () => {
    const subscribe = (params: Record<string, unknown>, count: number): Promise<Tracked[]> =>
      collect<Tracked>(server.wsClient(params), CALL_TRACKED, {}, count);
    memberAlpha = subscribe({ authorization: `Bearer ${alpha.key}` }, 1);
    adminOnBeta = subscribe({ authorization: `Bearer ${server.adminKey}`, workspaceId: beta.workspaceId }, 2);
    adminOnAll = subscribe({ authorization: `Bearer ${server.adminKey}`, workspaceId: '__all__' }, 3);
    await countReaches(server.gateway.services.pubsub.subscribers, 'LLM_CALL_TRACKED', 3);
    for (const t of [beta, alpha, beta]) {
      const tracked = await server.gql(TRACK_MANY, { inputs: [call({ modelId: t.model, agentId: 'writer' })] }, { key: t.key });
      expect(tracked.data!.trackLlmCalls.accepted).toBe(1);
    }
  });

  it("sends a member only its own workspace's calls, with its own agent", async () => {
    expect(await memberAlpha).toEqual([
      { llmCallTracked: { workspaceId: alpha.workspaceId, modelId: alpha.model, agent: { id: 'writer', name: alpha.agentName } } },
    ]);
  });

  it('sends an admin who names one workspace only that workspace', async () => {
    const events = await adminOnBeta;
    expect(events.map((e) => e.llmCallTracked.workspaceId)).toEqual([beta.workspaceId, beta.workspaceId]);
    expect(events.map((e) => e.llmCallTracked.agent?.name)).toEqual([beta.agentName, beta.agentName]);
  });

  it('sends an admin in scope __all__ every workspace, each call with its own agent', async () => {
    const events = await adminOnAll;
    expect(events.map((e) => e.llmCallTracked.workspaceId)).toEqual([beta.workspaceId, alpha.workspaceId, beta.workspaceId]);
    expect(events.map((e) => e.llmCallTracked.agent?.name)).toEqual([beta.agentName, alpha.agentName, beta.agentName]);
  });

  it.each([
    ['a member naming another workspace', () => ({ authorization: `Bearer ${alpha.key}`, workspaceId: beta.workspaceId })],
    ['a member asking for __all__', () => ({ authorization: `Bearer ${alpha.key}`, workspaceId: '__all__' })],
    ['a wrong key', () => ({ authorization: 'Bearer tly_not-a-key-anyone-has' })],
    ['no key', () => ({})],
  ])('closes the socket with 4403 for %s', async (_name, params) => {
    const closed = new Promise<{ code: number }>((resolve) => server.wsClient(params(), resolve));
    expect((await closed).code).toBe(4403);
  });
});
