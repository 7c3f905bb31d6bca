import { Client } from 'pg';
import { startTestServer, type TestServer } from './support/server';

/** The gateway's clock: noon UTC, so "today" and "yesterday" are fixed days. */
const NOW = new Date('2025-06-15T12:00:00.000Z');

const RECORD_CONNECTION = `mutation C($input: ComposioConnectionInput!) {
  recordComposioConnection(input: $input) { appName status totalActionsUsed agentCount documentsSynced lastUsedAt }
}`;
const RECORD_ACTION = `mutation A($input: ComposioActionInput!) {
  recordComposioAction(input: $input) { appName actionName usageCount enabled lastUsedAt }
}`;
const APPS = `query Apps($days: Int) { composioApps(days: $days) { appName status totalActionsUsed agentCount documentsSynced lastUsedAt } }`;
const ACTIONS = `query Actions($days: Int) { composioActions(days: $days) { actionName appName usageCount agentsUsing lastUsedAt } }`;
const AGENT_TOOLS = `query Tools($days: Int) {
  composioAgentTools(days: $days) { agentId agentName tools { appName actionName usageCount enabled lastUsedAt } }
}`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => NOW });
});
afterAll(() => server.dispose());

/** A fresh workspace and its member key, so each test sees only what it recorded. */
const freshWorkspace = (name: string) => server.workspaceWithKey(`composio-${name}`);

async function recordAction(key: string, input: Record<string, unknown>) {
  const result = await server.gql(RECORD_ACTION, { input }, { key });
  expect(result.errors).toBeUndefined();
  return result.data!.recordComposioAction;
}

describe('recordComposioConnection', () => {
  it('stores an app upper-cased with its status and synced documents', async () => {
    const { key } = await freshWorkspace('connect');
    const result = await server.gql(RECORD_CONNECTION, { input: { appName: ' googledrive ', status: 'ACTIVE', documentsSynced: 42 } }, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.recordComposioConnection).toEqual({
      appName: 'GOOGLEDRIVE',
      status: 'ACTIVE',
      totalActionsUsed: 0,
      agentCount: 0,
      documentsSynced: 42,
      lastUsedAt: null,
    });
  });

  it('changes the status of a known app and keeps its document count when none is given', async () => {
    const { key } = await freshWorkspace('reconnect');
    await server.gql(RECORD_CONNECTION, { input: { appName: 'SLACK', status: 'ACTIVE', documentsSynced: 7 } }, { key });
    const result = await server.gql(RECORD_CONNECTION, { input: { appName: 'slack', status: 'ERROR' } }, { key });
    expect(result.data!.recordComposioConnection).toMatchObject({ appName: 'SLACK', status: 'ERROR', documentsSynced: 7 });
    const apps = await server.gql(APPS, {}, { key });
    expect(apps.data!.composioApps).toHaveLength(1);
  });

  it.each([
    ['an app name with spaces', { appName: 'google drive', status: 'ACTIVE' }, 'appName must be 1 to 64 letters, digits, "_", "-" or "." characters, but got "google drive"'],
    ['an empty app name', { appName: '  ', status: 'ACTIVE' }, 'appName must be 1 to 64 letters, digits, "_", "-" or "." characters, but got "  "'],
    ['negative documents', { appName: 'NOTION', status: 'ACTIVE', documentsSynced: -3 }, 'documentsSynced must be a whole number of at least 0, but got -3'],
  ])('refuses %s with BAD_USER_INPUT', async (_name, input, message) => {
    const { key } = await freshWorkspace('bad-connection');
    const result = await server.gql(RECORD_CONNECTION, { input }, { key });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe(message);
    expect((await server.gql(APPS, {}, { key })).data!.composioApps).toEqual([]);
  });
});

describe('recordComposioAction', () => {
  it('adds one use by default and answers with the all-time total', async () => {
    const { key } = await freshWorkspace('action-default');
    await recordAction(key, { agentId: 'researcher', appName: 'github', actionName: 'GITHUB_STAR_REPO' });
    const tool = await recordAction(key, { agentId: 'researcher', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', count: 4 });
    expect(tool).toEqual({ appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', usageCount: 5, enabled: true, lastUsedAt: NOW.toISOString() });
  });

  it('makes an app it has not seen an ACTIVE connection with the last use', async () => {
    const { key } = await freshWorkspace('action-connects');
    const at = '2025-06-14T08:30:00.000Z';
    await recordAction(key, { agentId: 'a1', appName: 'notion', actionName: 'NOTION_CREATE_PAGE', occurredAt: at });
    const apps = await server.gql(APPS, {}, { key });
    expect(apps.data!.composioApps).toEqual([
      { appName: 'NOTION', status: 'ACTIVE', totalActionsUsed: 1, agentCount: 1, documentsSynced: 0, lastUsedAt: at },
    ]);
  });

  it('keeps the latest use as lastUsedAt when an older one is recorded after it', async () => {
    const { key } = await freshWorkspace('action-order');
    await recordAction(key, { agentId: 'a1', appName: 'SLACK', actionName: 'SLACK_SEND', occurredAt: '2025-06-15T10:00:00.000Z' });
    const tool = await recordAction(key, { agentId: 'a1', appName: 'SLACK', actionName: 'SLACK_SEND', occurredAt: '2025-06-01T10:00:00.000Z' });
    expect(tool.lastUsedAt).toBe('2025-06-15T10:00:00.000Z');
  });

  it('registers a disabled tool without a use when count is 0', async () => {
    const { key } = await freshWorkspace('action-register');
    const tool = await recordAction(key, { agentId: 'a1', appName: 'GMAIL', actionName: 'GMAIL_SEND', count: 0, enabled: false });
    expect(tool).toEqual({ appName: 'GMAIL', actionName: 'GMAIL_SEND', usageCount: 0, enabled: false, lastUsedAt: null });
    expect((await server.gql(ACTIONS, {}, { key })).data!.composioActions).toEqual([]);
  });

  it('keeps enabled as it was when the input leaves it out', async () => {
    const { key } = await freshWorkspace('action-enabled');
    await recordAction(key, { agentId: 'a1', appName: 'GMAIL', actionName: 'GMAIL_SEND', enabled: false });
    const tool = await recordAction(key, { agentId: 'a1', appName: 'GMAIL', actionName: 'GMAIL_SEND' });
    expect(tool.enabled).toBe(false);
  });

  it('creates an unknown agent named after its id', async () => {
    const { key } = await freshWorkspace('action-agent');
    await recordAction(key, { agentId: 'scout-7', appName: 'GITHUB', actionName: 'GITHUB_LIST_ISSUES' });
    const agents = await server.gql(`{ agents { id name } }`, {}, { key });
    expect(agents.data!.agents).toEqual([{ id: 'scout-7', name: 'scout-7' }]);
  });

  it.each([
    ['an agent id with spaces', { agentId: 'my agent' }, 'agentId must be 1 to 128 letters, digits or ._:@/- characters, but got "my agent"'],
    ['an empty action', { actionName: ' ' }, 'actionName must be 1 to 128 characters, but got 0'],
    ['an action over 128 characters', { actionName: 'A'.repeat(129) }, 'actionName must be 1 to 128 characters, but got 129'],
    ['a negative count', { count: -1 }, 'count must be a whole number from 0 to 1000000, but got -1'],
    ['a count over a million', { count: 1_000_001 }, 'count must be a whole number from 0 to 1000000, but got 1000001'],
    [
      'a use ten minutes ahead',
      { occurredAt: '2025-06-15T12:10:00.000Z' },
      'occurredAt must be at most 5 minutes in the future, but got 2025-06-15T12:10:00.000Z (now is 2025-06-15T12:00:00.000Z)',
    ],
    ['a bad app name', { appName: 'git hub' }, 'appName must be 1 to 64 letters, digits, "_", "-" or "." characters, but got "git hub"'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_name, bad, message) => {
    const { key } = await freshWorkspace('bad-action');
    const result = await server.gql(RECORD_ACTION, { input: { agentId: 'a1', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', ...bad } }, { key });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe(message);
    expect((await server.gql(AGENT_TOOLS, {}, { key })).data!.composioAgentTools).toEqual([]);
  });

  it('names every problem of an input at once', async () => {
    const { key } = await freshWorkspace('bad-action-many');
    const result = await server.gql(RECORD_ACTION, { input: { agentId: 'a1', appName: 'x y', actionName: '', count: -2 } }, { key });
    expect(result.errors?.[0].message).toBe(
      'appName must be 1 to 64 letters, digits, "_", "-" or "." characters, but got "x y"; actionName must be 1 to 128 characters, but got 0; count must be a whole number from 0 to 1000000, but got -2',
    );
  });
});

describe('the days window', () => {
  it.each([
    ['composioApps', APPS],
    ['composioActions', ACTIONS],
    ['composioAgentTools', AGENT_TOOLS],
  ])('%s refuses days outside 1 to 365, saying what arrived', async (_name, query) => {
    for (const days of [0, -1, 366]) {
      const result = await server.gql(query, { days });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toBe(`days must be a whole number from 1 to 365, but got ${days}`);
    }
    for (const days of [1, 365]) expect((await server.gql(query, { days })).errors).toBeUndefined();
  });

  it('counts only the uses recorded in the window: days 1 is today (UTC), days 30 the last 30 days', async () => {
    const { key } = await freshWorkspace('window');
    const use = (occurredAt: string, count: number) =>
      recordAction(key, { agentId: 'a1', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', occurredAt, count });
    await use('2025-06-15T00:30:00.000Z', 2); // today
    await use('2025-06-14T23:59:00.000Z', 3); // yesterday
    await use('2025-05-17T12:00:00.000Z', 5); // the 30th day back
    await use('2025-05-16T12:00:00.000Z', 7); // the 31st day back
    const total = async (days?: number) => {
      const actions = (await server.gql(ACTIONS, { days }, { key })).data!.composioActions;
      const apps = (await server.gql(APPS, { days }, { key })).data!.composioApps;
      const tools = (await server.gql(AGENT_TOOLS, { days }, { key })).data!.composioAgentTools;
      expect(apps[0].totalActionsUsed).toBe(actions[0].usageCount);
      expect(tools[0].tools[0].usageCount).toBe(actions[0].usageCount);
      return actions[0].usageCount;
    };
    expect(await total(1)).toBe(2);
    expect(await total(2)).toBe(5);
    expect(await total(30)).toBe(10);
    expect(await total()).toBe(10);
    expect(await total(31)).toBe(17);
  });

  it('leaves an action with no use in the window off the leaderboard but keeps the tool on its agent', async () => {
    const { key } = await freshWorkspace('window-old');
    await recordAction(key, { agentId: 'a1', appName: 'SLACK', actionName: 'SLACK_SEND', occurredAt: '2025-03-01T00:00:00.000Z' });
    expect((await server.gql(ACTIONS, { days: 30 }, { key })).data!.composioActions).toEqual([]);
    const tools = (await server.gql(AGENT_TOOLS, { days: 30 }, { key })).data!.composioAgentTools;
    expect(tools).toEqual([
      {
        agentId: 'a1',
        agentName: 'a1',
        tools: [{ appName: 'SLACK', actionName: 'SLACK_SEND', usageCount: 0, enabled: true, lastUsedAt: '2025-03-01T00:00:00.000Z' }],
      },
    ]);
  });
});

describe('composioActions', () => {
  it('ranks actions by use and counts the agents using each', async () => {
    const { key } = await freshWorkspace('leaderboard');
    await recordAction(key, { agentId: 'a1', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', count: 3 });
    await recordAction(key, { agentId: 'a2', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', count: 2, occurredAt: '2025-06-15T09:00:00.000Z' });
    await recordAction(key, { agentId: 'a1', appName: 'SLACK', actionName: 'SLACK_SEND', count: 9 });
    await recordAction(key, { agentId: 'a2', appName: 'NOTION', actionName: 'NOTION_SEARCH', count: 1 });
    const result = await server.gql(ACTIONS, {}, { key });
    expect(result.data!.composioActions).toEqual([
      { actionName: 'SLACK_SEND', appName: 'SLACK', usageCount: 9, agentsUsing: 1, lastUsedAt: NOW.toISOString() },
      { actionName: 'GITHUB_STAR_REPO', appName: 'GITHUB', usageCount: 5, agentsUsing: 2, lastUsedAt: NOW.toISOString() },
      { actionName: 'NOTION_SEARCH', appName: 'NOTION', usageCount: 1, agentsUsing: 1, lastUsedAt: NOW.toISOString() },
    ]);
  });
});

describe('composioApps', () => {
  it('lists connected apps busiest first, each with its agents and documents', async () => {
    const { key } = await freshWorkspace('apps');
    await server.gql(RECORD_CONNECTION, { input: { appName: 'GOOGLEDRIVE', status: 'DISCONNECTED', documentsSynced: 120 } }, { key });
    await recordAction(key, { agentId: 'a1', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', count: 2 });
    await recordAction(key, { agentId: 'a2', appName: 'GITHUB', actionName: 'GITHUB_LIST_ISSUES', count: 3 });
    const result = await server.gql(APPS, {}, { key });
    expect(result.data!.composioApps).toEqual([
      { appName: 'GITHUB', status: 'ACTIVE', totalActionsUsed: 5, agentCount: 2, documentsSynced: 0, lastUsedAt: NOW.toISOString() },
      { appName: 'GOOGLEDRIVE', status: 'DISCONNECTED', totalActionsUsed: 0, agentCount: 0, documentsSynced: 120, lastUsedAt: null },
    ]);
  });
});

describe('composioAgentTools', () => {
  it("gives each agent its name and its tools, the most used first", async () => {
    const { key } = await freshWorkspace('agent-tools');
    await server.gql(`mutation { upsertAgent(input: { id: "r1", name: "Research bot" }) { id } }`, {}, { key });
    await recordAction(key, { agentId: 'r1', appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', count: 1 });
    await recordAction(key, { agentId: 'r1', appName: 'SLACK', actionName: 'SLACK_SEND', count: 4 });
    await recordAction(key, { agentId: 'w2', appName: 'NOTION', actionName: 'NOTION_SEARCH', count: 9 });
    const result = await server.gql(AGENT_TOOLS, {}, { key });
    expect(result.data!.composioAgentTools).toEqual([
      {
        agentId: 'w2',
        agentName: 'w2',
        tools: [{ appName: 'NOTION', actionName: 'NOTION_SEARCH', usageCount: 9, enabled: true, lastUsedAt: NOW.toISOString() }],
      },
      {
        agentId: 'r1',
        agentName: 'Research bot',
        tools: [
          { appName: 'SLACK', actionName: 'SLACK_SEND', usageCount: 4, enabled: true, lastUsedAt: NOW.toISOString() },
          { appName: 'GITHUB', actionName: 'GITHUB_STAR_REPO', usageCount: 1, enabled: true, lastUsedAt: NOW.toISOString() },
        ],
      },
    ]);
  });

  it('runs the same small number of SQL statements for 200 agents as for 2', async () => {
    const seed = async (agents: number) => {
      const { workspaceId, key } = await freshWorkspace(`loader-${agents}`);
      await server.db.platform.query(
        `WITH a AS (INSERT INTO agents (workspace_id, id, name) SELECT $1, 'agent-' || i, 'Agent ' || i FROM generate_series(1, $2) i RETURNING id),
         f AS (INSERT INTO agent_app_features (workspace_id, agent_id, app_name, action_name, usage_count, last_used_at)
               SELECT $1, a.id, app, app || '_ACTION', 1, $3::timestamptz FROM a, unnest(ARRAY['GITHUB', 'SLACK']) app RETURNING *)
         INSERT INTO agent_app_feature_daily (workspace_id, day, agent_id, app_name, action_name, usage_count)
         SELECT workspace_id, $3::date, agent_id, app_name, action_name, usage_count FROM f`,
        [workspaceId, agents, NOW.toISOString()],
      );
      return key;
    };
    const statementsFor = async (key: string) => {
      await server.gql(`{ viewer { role } }`, {}, { key }); // the key is looked up once, then cached
      // Counted where every statement passes, the driver's client, whatever wraps it above;
      // only statements on agents and tools, so background work of the gateway does not count.
      const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
      const original = prototype.query;
      let statements = 0;
      prototype.query = function (this: unknown, ...args: unknown[]) {
        const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
        if (text && /\b(agents|agent_app_features|agent_app_feature_daily)\b/.test(text)) statements += 1;
        return original.apply(this, args);
      };
      try {
        const result = await server.gql(AGENT_TOOLS, {}, { key });
        expect(result.errors).toBeUndefined();
        return { statements, mappings: result.data!.composioAgentTools };
      } finally {
        prototype.query = original;
      }
    };
    const few = await statementsFor(await seed(2));
    const many = await statementsFor(await seed(200));
    expect(few.mappings).toHaveLength(2);
    expect(many.mappings).toHaveLength(200);
    expect(many.mappings.every((m: { agentName: string; tools: unknown[] }) => m.agentName.startsWith('Agent ') && m.tools.length === 2)).toBe(true);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBe(3); // the agents, their names, their tools
  });
});

describe('workspace isolation', () => {
  interface Tenant {
    workspaceId: string;
    key: string;
    marker: string;
  }
  let alpha: Tenant;
  let beta: Tenant;

  /** Each workspace records an app, an action and an agent name used nowhere else, plus one shared app name. */
  async function tenant(label: string): Promise<Tenant> {
    const { workspaceId, key } = await freshWorkspace(`iso-${label}`);
    const marker = `ISO${label.toUpperCase()}`;
    await server.gql(`mutation { upsertAgent(input: { id: "shared-agent", name: "${marker} agent" }) { id } }`, {}, { key });
    await server.gql(RECORD_CONNECTION, { input: { appName: marker, status: 'ACTIVE', documentsSynced: 5 } }, { key });
    await recordAction(key, { agentId: 'shared-agent', appName: marker, actionName: `${marker}_ACTION` });
    await recordAction(key, { agentId: 'shared-agent', appName: 'SHAREDAPP', actionName: 'SHARED_ACTION', count: 10 });
    return { workspaceId, key, marker };
  }
  const shows = (answer: unknown, t: Tenant): boolean => JSON.stringify(answer).includes(t.marker);

  beforeAll(async () => {
    alpha = await tenant('alpha');
    beta = await tenant('beta');
  });

  it.each([
    ['composioApps', APPS],
    ['composioActions', ACTIONS],
    ['composioAgentTools', AGENT_TOOLS],
  ])("%s shows a member its own workspace's tools and never another's", async (_name, query) => {
    for (const [own, other] of [
      [alpha, beta],
      [beta, alpha],
    ]) {
      const result = await server.gql(query, {}, { key: own.key });
      expect(result.errors).toBeUndefined();
      expect(shows(result.data, own)).toBe(true);
      expect(shows(result.data, other)).toBe(false);
    }
  });

  it("keeps the counts of an app both workspaces use apart", async () => {
    const apps = (await server.gql(APPS, {}, { key: alpha.key })).data!.composioApps;
    expect(apps.find((a: { appName: string }) => a.appName === 'SHAREDAPP')).toMatchObject({ totalActionsUsed: 10, agentCount: 1 });
    const actions = (await server.gql(ACTIONS, {}, { key: beta.key })).data!.composioActions;
    expect(actions.find((a: { actionName: string }) => a.actionName === 'SHARED_ACTION')).toMatchObject({ usageCount: 10, agentsUsing: 1 });
  });

  it('shows an admin naming one workspace exactly that workspace', async () => {
    for (const query of [APPS, ACTIONS, AGENT_TOOLS]) {
      const result = await server.gql(query, {}, { workspace: beta.workspaceId });
      expect(shows(result.data, beta)).toBe(true);
      expect(shows(result.data, alpha)).toBe(false);
    }
  });

  it('adds every workspace together for an admin in scope __all__', async () => {
    const apps = (await server.gql(APPS, { days: 365 }, { workspace: '__all__' })).data!.composioApps;
    const shared = apps.find((a: { appName: string }) => a.appName === 'SHAREDAPP');
    expect(shared).toMatchObject({ totalActionsUsed: 20, agentCount: 2, status: 'ACTIVE' });
    const tools = (await server.gql(AGENT_TOOLS, { days: 365 }, { workspace: '__all__' })).data!.composioAgentTools;
    const names = tools.map((t: { agentName: string }) => t.agentName);
    expect(names).toEqual(expect.arrayContaining(['ISOALPHA agent', 'ISOBETA agent']));
  });

  it("records a member's action in its own workspace even when the same agent id exists elsewhere", async () => {
    await recordAction(alpha.key, { agentId: 'shared-agent', appName: 'SHAREDAPP', actionName: 'SHARED_ACTION', count: 5 });
    const alphaActions = (await server.gql(ACTIONS, {}, { key: alpha.key })).data!.composioActions;
    const betaActions = (await server.gql(ACTIONS, {}, { key: beta.key })).data!.composioActions;
    const shared = (list: { actionName: string; usageCount: number }[]) => list.find((a) => a.actionName === 'SHARED_ACTION')!.usageCount;
    expect(shared(alphaActions)).toBe(15);
    expect(shared(betaActions)).toBe(10);
  });

  it("updates a member's connection in its own workspace only", async () => {
    await server.gql(RECORD_CONNECTION, { input: { appName: 'SHAREDAPP', status: 'ERROR' } }, { key: beta.key });
    const status = async (key: string) =>
      (await server.gql(APPS, {}, { key })).data!.composioApps.find((a: { appName: string }) => a.appName === 'SHAREDAPP').status;
    expect(await status(beta.key)).toBe('ERROR');
    expect(await status(alpha.key)).toBe('ACTIVE');
  });

  it('is UNAUTHENTICATED without a key, for queries and mutations alike', async () => {
    for (const [query, variables] of [
      [APPS, {}],
      [RECORD_ACTION, { input: { agentId: 'a', appName: 'X', actionName: 'Y' } }],
      [RECORD_CONNECTION, { input: { appName: 'X', status: 'ACTIVE' } }],
    ] as const) {
      const result = await server.gql(query, variables, { key: null });
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
