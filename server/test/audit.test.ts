import { scopedDb, workspaceScope } from '../src/db/scoped-db';
import { ACCESS } from '../src/auth/access';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { startStandIn, type StandIn } from './support/stand-in';
import { startTestServer, type TestServer } from './support/server';

const AUDIT = `query ($limit: Int, $before: DateTime) { auditLog(limit: $limit, before: $before) {
  id at workspaceId actorKeyId actorLabel actorRole action target detail } }`;

interface Entry {
  id: string;
  at: string;
  workspaceId: string | null;
  actorKeyId: string | null;
  actorLabel: string | null;
  actorRole: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

const NOW = new Date('2026-06-01T12:00:00.000Z');
const PROVIDER_SECRET = 'sk-or-v1-audit-0123456789abcdef-secret';
let upstream: StandIn;
let server: TestServer;
let team: { workspaceId: string; key: string; keyId: string };
let other: { workspaceId: string; key: string };
/** Every secret the tests hand to a mutation or get from one: none may be in the audit table. */
const secrets: string[] = [PROVIDER_SECRET];

beforeAll(async () => {
  upstream = await startStandIn((request) =>
    request.path === '/api/v1/activity' ? { json: { data: [] } } : { status: 404, json: { error: { message: 'Not Found', code: 404 } } },
  );
  // Webhook targets on this machine: the test channel's delivery goes nowhere, which its audit entry does not depend on.
  server = await startTestServer({ now: () => NOW, env: { OPENROUTER_BASE_URL: `${upstream.url}/api/v1`, TALLY_WEBHOOK_ALLOW_PRIVATE: 'on' } });
  const created = await server.workspaceWithKey('Audited team', 'MEMBER');
  const [row] = await server.db.platform.query(`SELECT id FROM api_keys WHERE workspace_id = $1`, [created.workspaceId]);
  await server.db.platform.query(`UPDATE api_keys SET label = 'ops lead' WHERE id = $1`, [row.id]);
  team = { ...created, keyId: row.id };
  other = await server.workspaceWithKey('Audited other', 'MEMBER');
  secrets.push(team.key, other.key, server.adminKey);
});
afterAll(async () => {
  await server.dispose();
  await upstream.close();
});

async function auditOf(key: string, variables: Record<string, unknown> = {}, workspace?: string): Promise<Entry[]> {
  const answer = await server.gql(AUDIT, variables, { key, workspace });
  expect(answer.errors).toBeUndefined();
  return answer.data!.auditLog as Entry[];
}

async function ok(query: string, variables: Record<string, unknown> = {}, key = team.key): Promise<Record<string, unknown>> {
  const answer = await server.gql(query, variables, { key });
  expect(answer.errors).toBeUndefined();
  return answer.data!;
}

/** Each audited mutation as a member runs it, with what its entry must say. */
const AUDITED: { action: string; run: () => Promise<string | null>; detail?: Record<string, unknown> }[] = [
  {
    action: 'setModelPrice',
    run: async () => {
      await ok(`mutation { setModelPrice(input: { modelId: "house-model", provider: "openai", inputPerMTok: 1, outputPerMTok: 2 }) { modelId } }`);
      return 'house-model';
    },
    detail: { input: { modelId: 'house-model', provider: 'openai', inputPerMTok: 1, outputPerMTok: 2 } },
  },
  {
    action: 'repriceLlmCalls',
    run: async () => {
      await ok(`mutation { repriceLlmCalls(period: LAST_24H, modelIds: ["house-model"]) { updated } }`);
      return 'house-model';
    },
  },
  {
    action: 'setBudget',
    run: async () => ((await ok(`mutation { setBudget(input: { amount: 25, window: MONTH }) { id } }`)) as { setBudget: { id: string } }).setBudget.id,
  },
  {
    action: 'deleteBudget',
    run: async () => {
      const { setBudget } = (await ok(`mutation { setBudget(input: { amount: 30, window: WEEK }) { id } }`)) as { setBudget: { id: string } };
      await ok(`mutation ($id: ID!) { deleteBudget(id: $id) }`, { id: setBudget.id });
      return setBudget.id;
    },
  },
  {
    action: 'setProviderKey',
    run: async () => {
      await ok(`mutation ($key: String!) { setProviderKey(provider: "openrouter", key: $key) { last4 } }`, { key: PROVIDER_SECRET });
      return 'openrouter';
    },
    detail: { provider: 'openrouter', key: '[redacted]' },
  },
  {
    action: 'syncOpenRouterActivity',
    run: async () => {
      await ok(`mutation { syncOpenRouterActivity { fetchedRows } }`);
      return null;
    },
  },
  {
    action: 'deleteProviderKey',
    run: async () => {
      await ok(`mutation { deleteProviderKey(provider: "openrouter") }`);
      return 'openrouter';
    },
  },
  {
    action: 'createApiKey',
    run: async () => {
      const { createApiKey } = (await ok(`mutation ($w: ID!) { createApiKey(workspaceId: $w, role: INGEST, label: "audit agent") }`, { w: team.workspaceId })) as {
        createApiKey: string;
      };
      secrets.push(createApiKey);
      const [row] = await server.db.platform.query(`SELECT id FROM api_keys WHERE label = 'audit agent' AND revoked_at IS NULL`);
      return row.id;
    },
  },
  {
    action: 'rotateApiKey',
    run: async () => {
      const [row] = await server.db.platform.query(`SELECT id FROM api_keys WHERE label = 'audit agent' AND revoked_at IS NULL`);
      const { rotateApiKey } = (await ok(`mutation ($id: ID!) { rotateApiKey(id: $id) }`, { id: row.id })) as { rotateApiKey: string };
      secrets.push(rotateApiKey);
      return row.id;
    },
  },
  {
    action: 'revokeApiKey',
    run: async () => {
      const [row] = await server.db.platform.query(`SELECT id FROM api_keys WHERE label = 'audit agent' AND revoked_at IS NULL`);
      await ok(`mutation ($id: ID!) { revokeApiKey(id: $id) }`, { id: row.id });
      return row.id;
    },
  },
  {
    action: 'setNotificationChannel',
    run: async () => {
      await ok(`mutation { setNotificationChannel(input: { name: "ops hook", kind: WEBHOOK, target: "http://127.0.0.1:9/tally?token=hook-secret" }) { id } }`);
      return 'ops hook';
    },
    detail: { input: { name: 'ops hook', kind: 'WEBHOOK', target: '[redacted]' } },
  },
  {
    action: 'testNotificationChannel',
    run: async () => {
      const { notificationChannels } = (await ok(`{ notificationChannels { id } }`)) as { notificationChannels: { id: string }[] };
      await ok(`mutation ($id: ID!) { testNotificationChannel(id: $id) { id } }`, { id: notificationChannels[0].id });
      return notificationChannels[0].id;
    },
  },
  {
    action: 'deleteNotificationChannel',
    run: async () => {
      const { notificationChannels } = (await ok(`{ notificationChannels { id } }`)) as { notificationChannels: { id: string }[] };
      await ok(`mutation ($id: ID!) { deleteNotificationChannel(id: $id) }`, { id: notificationChannels[0].id });
      return notificationChannels[0].id;
    },
  },
  {
    action: 'setAlertRule',
    run: async () => {
      // A call inside the rule's window, which ends now, so that saving the rule raises its alert.
      await ok(TRACK_ONE, { input: call({ occurredAt: new Date(NOW.getTime() - 5 * 60_000).toISOString() }) });
      await ok(`mutation { setAlertRule(input: { name: "any call", metric: REQUESTS, comparison: ABOVE, threshold: 0, windowMinutes: 60 }) { id } }`);
      return 'any call';
    },
  },
  {
    action: 'resolveAlert',
    run: async () => {
      const { alerts } = (await ok(`{ alerts { id kind } }`)) as { alerts: { id: string; kind: string }[] };
      const raised = alerts.find((alert) => alert.kind === 'RULE');
      if (!raised) throw new Error(`no RULE alert among ${JSON.stringify(alerts)}`);
      await ok(`mutation ($id: ID!) { resolveAlert(id: $id) { id } }`, { id: raised.id });
      return raised.id;
    },
  },
  {
    action: 'setRetention',
    run: async () => {
      await ok(`mutation ($w: ID!) { setRetention(workspaceId: $w, days: 400) { retentionDays } }`, { w: team.workspaceId });
      return team.workspaceId;
    },
  },
  {
    action: 'deleteAlertRule',
    run: async () => {
      const { alertRules } = (await ok(`{ alertRules { id } }`)) as { alertRules: { id: string }[] };
      await ok(`mutation ($id: ID!) { deleteAlertRule(id: $id) }`, { id: alertRules[0].id });
      return alertRules[0].id;
    },
  },
];

describe('the audit log', () => {
  it('has a case below for every audited mutation a member may call', () => {
    const audited = Object.entries(ACCESS.Mutation)
      .filter(([, rule]) => rule.audited && rule.roles !== 'OPEN' && rule.roles.includes('MEMBER'))
      .map(([field]) => field);
    expect(AUDITED.map((c) => c.action).sort()).toEqual(audited.sort());
  });

  it.each(AUDITED)('records $action: when, where, which key, on what, with which arguments', async ({ action, run, detail }) => {
    const target = await run();
    const [entry] = (await auditOf(team.key, { limit: 1 })).filter((e) => e.action === action);
    expect(entry).toMatchObject({
      at: NOW.toISOString(),
      workspaceId: team.workspaceId,
      actorKeyId: team.keyId,
      actorLabel: 'ops lead',
      actorRole: 'MEMBER',
      action,
    });
    if (target !== null) expect(entry.target).toBe(target);
    if (detail) expect(entry.detail).toEqual(detail);
  });

  it('writes the entry in the transaction of the change it records', async () => {
    const { setBudget } = (await ok(`mutation { setBudget(input: { amount: 40, window: DAY }) { id } }`)) as { setBudget: { id: string } };
    const [budget] = await server.db.platform.query(`SELECT xmin::text AS tx FROM budgets WHERE id = $1`, [setBudget.id]);
    const [entry] = await server.db.platform.query(`SELECT xmin::text AS tx, detail FROM audit_log WHERE action = 'setBudget' ORDER BY detail->'input'->>'amount' DESC LIMIT 1`);
    expect(entry.detail).toEqual({ input: { amount: 40, window: 'DAY' } });
    expect(entry.tx).toBe(budget.tx);
  });

  it('records nothing for a change that failed', async () => {
    const before = await auditOf(team.key, { limit: 500 });
    const answer = await server.gql(`mutation { setBudget(input: { amount: -5, window: DAY }) { id } }`, {}, { key: team.key });
    expect(answer.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(await auditOf(team.key, { limit: 500 })).toEqual(before);
  });

  it('records nothing for data sent in', async () => {
    const before = (await auditOf(team.key, { limit: 500 })).length;
    await ok(TRACK_ONE, { input: call({ agentId: 'audit-agent' }) });
    await ok(TRACK_MANY, { inputs: [call(), call()] });
    await ok(`mutation { upsertAgent(input: { id: "audit-agent", name: "Audit agent" }) { id } }`);
    await ok(`mutation { recordMemory(input: { agentId: "audit-agent", memoryType: "fact", importance: 0.5, content: "likes tea" }) { id } }`);
    await ok(`mutation { recordComposioConnection(input: { appName: "github", status: ACTIVE }) { appName } }`);
    await ok(`mutation { recordComposioAction(input: { agentId: "audit-agent", appName: "github", actionName: "star" }) { actionName } }`);
    expect((await auditOf(team.key, { limit: 500 })).length).toBe(before);
  });

  it('logs a platform action with no workspace, shown to admins in scope __all__ only', async () => {
    await ok(`mutation { createWorkspace(name: "Audited platform action") { id } }`, {}, server.adminKey);
    const everywhere = await auditOf(server.adminKey, {}, '__all__');
    expect(everywhere.find((e) => e.action === 'createWorkspace')).toMatchObject({
      workspaceId: null,
      actorRole: 'ADMIN',
      actorLabel: 'bootstrap admin',
      target: 'Audited platform action',
    });
    expect((await auditOf(server.adminKey)).map((e) => e.action)).not.toContain('createWorkspace');
    expect((await auditOf(team.key, { limit: 500 })).map((e) => e.action)).not.toContain('createWorkspace');
  });

  it('keeps each workspace to its own entries, through the API and under row-level security', async () => {
    await ok(`mutation { setBudget(input: { amount: 12, window: DAY }) { id } }`, {}, other.key);
    const theirs = await auditOf(other.key, { limit: 500 });
    expect(theirs.map((e) => e.workspaceId)).toEqual([other.workspaceId]);
    expect(JSON.stringify(theirs)).not.toContain(team.workspaceId);
    const rows = await scopedDb(server.db.dataSource, workspaceScope(other.workspaceId)).query(`SELECT DISTINCT workspace_id FROM audit_log`);
    expect(rows).toEqual([{ workspace_id: other.workspaceId }]);
  });

  it('pages newest first with limit and before', async () => {
    const all = await auditOf(team.key, { limit: 500 });
    expect(all.length).toBeGreaterThan(3);
    const times = all.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(await auditOf(team.key, { limit: 2 })).toEqual(all.slice(0, 2));
    const bad = await server.gql(AUDIT, { limit: 0 }, { key: team.key });
    expect(bad.errors![0]).toMatchObject({ message: 'limit must be 1 to 500, but got 0', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await auditOf(team.key, { before: NOW.toISOString() })).toEqual([]);
    expect(await auditOf(team.key, { before: new Date(NOW.getTime() + 1).toISOString(), limit: 500 })).toEqual(all);
  });

  it('holds no secret anywhere in the table', async () => {
    const rows: { row: string }[] = await server.db.platform.query(`SELECT audit_log::text AS row FROM audit_log`);
    expect(rows.length).toBeGreaterThan(AUDITED.length);
    const text = rows.map((r) => r.row).join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/tly_[A-Za-z0-9_-]{8,}/);
  });
});
