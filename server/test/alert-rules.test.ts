import { readsExactPercentile, ruleWindow } from '../src/alert-rules/rule-evaluation';
import type { Metric, UsageFilterValues } from '../src/metrics/metrics.model';
import { runMetrics, sourceChoiceObservers } from '../src/metrics/metrics.service';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { events } from './support/events';
import { startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

const START = new Date('2026-06-15T12:30:00Z');
let clock = START;
const minutesLater = (minutes: number): Date => new Date(START.getTime() + minutes * 60_000);
const minutesBefore = (minutes: number): string => new Date(START.getTime() - minutes * 60_000).toISOString();

const RULE_FIELDS = 'id name metric comparison threshold windowMinutes filter severity channelIds enabled state lastValue lastEvaluatedAt';
const SET_RULE = `mutation S($input: AlertRuleInput!) { setAlertRule(input: $input) { ${RULE_FIELDS} } }`;
const rule = (extra: Record<string, unknown> = {}) => ({ name: 'Busy', metric: 'REQUESTS', comparison: 'ABOVE', threshold: 1, windowMinutes: 10, ...extra });
// gpt-4o: 100k in + 10k out = $0.35 at registry prices.
const costly = (extra: Record<string, unknown> = {}) => call({ inputTokens: 100_000, outputTokens: 10_000, occurredAt: minutesBefore(1), ...extra });

let server: TestServer;
beforeAll(async () => {
  // The scheduled evaluation is left to the tests (checkRules), so each sees one evaluation at a time.
  server = await startTestServer({ now: () => clock, monitoring: { ruleCheckIntervalMs: 3_600_000 } });
});
afterAll(() => server.dispose());
afterEach(() => {
  clock = START;
});

describe('alert rules: settings', () => {
  it('creates a rule with its defaults and lists it', async () => {
    const { key } = await server.workspaceWithKey('rules-create');
    const { data, errors } = await server.gql(SET_RULE, { input: rule({ filter: { modelIds: ['gpt-4o'], providers: [] } }) }, { key });
    expect(errors).toBeUndefined();
    expect(data!.setAlertRule).toMatchObject({
      name: 'Busy',
      metric: 'REQUESTS',
      comparison: 'ABOVE',
      threshold: 1,
      windowMinutes: 10,
      filter: { modelIds: ['gpt-4o'] },
      severity: 'WARNING',
      channelIds: [],
      enabled: true,
      state: 'OK',
      lastValue: 0,
      lastEvaluatedAt: START.toISOString(),
    });
    const listed = await server.gql(`{ alertRules { id name } }`, {}, { key });
    expect(listed.data!.alertRules).toEqual([{ id: data!.setAlertRule.id, name: 'Busy' }]);
  });

  it('replaces the rule input.id names instead of adding one, and deletes it', async () => {
    const { key } = await server.workspaceWithKey('rules-replace');
    const first = await server.gql(SET_RULE, { input: rule() }, { key });
    const id = first.data!.setAlertRule.id;
    const second = await server.gql(SET_RULE, { input: rule({ id, name: 'Renamed', threshold: 5, severity: 'CRITICAL', enabled: false }) }, { key });
    expect(second.data!.setAlertRule).toMatchObject({ id, name: 'Renamed', threshold: 5, severity: 'CRITICAL', enabled: false });
    expect((await server.gql(`{ alertRules { id } }`, {}, { key })).data!.alertRules).toHaveLength(1);
    expect((await server.gql(`mutation { deleteAlertRule(id: "${id}") }`, {}, { key })).data!.deleteAlertRule).toBe(true);
    expect((await server.gql(`mutation { deleteAlertRule(id: "${id}") }`, {}, { key })).data!.deleteAlertRule).toBe(false);
    expect((await server.gql(`{ alertRules { id } }`, {}, { key })).data!.alertRules).toEqual([]);
  });

  it.each([
    [{ name: '  ' }, 'name must be 1 to 100 characters, but got 0'],
    [{ name: 'x'.repeat(101) }, 'name must be 1 to 100 characters, but got 101'],
    [{ windowMinutes: 0 }, 'windowMinutes must be a whole number from 1 to 1440, but got 0'],
    [{ windowMinutes: 1441 }, 'windowMinutes must be a whole number from 1 to 1440, but got 1441'],
    [{ channelIds: ['nope'] }, 'channelIds must be ids of notification channels, but got "nope"'],
    [
      { channelIds: ['00000000-0000-4000-8000-000000000001'] },
      'channelIds must name channels of this workspace, but 00000000-0000-4000-8000-000000000001 is not one',
    ],
    [
      { id: '00000000-0000-4000-8000-000000000002' },
      'id must be the id of an alert rule of this workspace, but no rule here has id 00000000-0000-4000-8000-000000000002',
    ],
  ])('refuses %j with BAD_USER_INPUT saying what was expected', async (extra, message) => {
    const { key } = await server.workspaceWithKey('rules-invalid');
    const { errors } = await server.gql(SET_RULE, { input: rule(extra) }, { key });
    expect(errors).toEqual([expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('keeps rules inside their workspace', async () => {
    const a = await server.workspaceWithKey('rules-iso-a');
    const b = await server.workspaceWithKey('rules-iso-b');
    const { data } = await server.gql(SET_RULE, { input: rule() }, { key: a.key });
    const id = data!.setAlertRule.id;
    expect((await server.gql(`{ alertRules { id } }`, {}, { key: b.key })).data!.alertRules).toEqual([]);
    expect((await server.gql(`mutation { deleteAlertRule(id: "${id}") }`, {}, { key: b.key })).data!.deleteAlertRule).toBe(false);
    const hijack = await server.gql(SET_RULE, { input: rule({ id, name: 'Mine now' }) }, { key: b.key });
    expect(hijack.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((await server.gql(`{ alertRules { name } }`, {}, { key: a.key })).data!.alertRules).toEqual([{ name: 'Busy' }]);
  });
});

describe('alert rules: evaluation', () => {
  // Each case: the calls already landed, the rule, and the state and value it is evaluated to.
  it.each([
    ['ABOVE, value above the threshold', [costly(), costly()], rule(), 'FIRING', 2],
    ['ABOVE, value equal to the threshold', [costly(), costly()], rule({ threshold: 2 }), 'OK', 2],
    ['BELOW, no calls at all', [], rule({ comparison: 'BELOW', threshold: 1 }), 'FIRING', 0],
    ['BELOW, value above the threshold', [costly(), costly()], rule({ comparison: 'BELOW', threshold: 1 }), 'OK', 2],
    ['a call before the window is not counted', [costly({ occurredAt: minutesBefore(30) }), costly()], rule({ threshold: 1 }), 'OK', 1],
    ['a wider window counts it', [costly({ occurredAt: minutesBefore(30) }), costly()], rule({ threshold: 1, windowMinutes: 60 }), 'FIRING', 2],
    ['a filter counts only what it names', [costly(), costly({ modelId: 'gpt-4o-mini' })], rule({ threshold: 0, filter: { modelIds: ['gpt-4o-mini'] } }), 'FIRING', 1],
    ['a filter that matches nothing', [costly(), costly()], rule({ threshold: 0, filter: { agentIds: ['nobody'] } }), 'OK', 0],
    ['TOTAL_COST in dollars', [costly(), costly()], rule({ metric: 'TOTAL_COST', threshold: 0.69 }), 'FIRING', 0.7],
    ['ERROR_RATE as a fraction', [costly(), costly({ status: 'ERROR' })], rule({ metric: 'ERROR_RATE', threshold: 0.4 }), 'FIRING', 0.5],
  ])('%s', async (_case, calls, input, state, value) => {
    const { key } = await server.workspaceWithKey('rules-table');
    if (calls.length > 0) await server.gql(TRACK_MANY, { inputs: calls }, { key });
    const { data } = await server.gql(SET_RULE, { input }, { key });
    expect(data!.setAlertRule.state).toBe(state);
    expect(data!.setAlertRule.lastValue).toBeCloseTo(value, 10);
  });

  it('raises one RULE alert as calls break the rule, repeats nothing while FIRING, and resolves when the window clears', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('rules-lifecycle');
    const { data } = await server.gql(SET_RULE, { input: rule({ name: 'Two calls', severity: 'CRITICAL' }) }, { key });
    const ruleId = data!.setAlertRule.id;
    const client = server.wsClient({ authorization: `Bearer ${key}` });
    const next = events<{ alertRaised: Record<string, unknown> }>(client, `subscription { alertRaised { id kind severity message workspaceId ruleId resolvedAt } }`);
    await countReaches(server.gateway.services.pubsub.subscribers, 'ALERT_RAISED', 1);

    // No explicit evaluation: the calls landing evaluate the workspace's rules.
    await server.gql(TRACK_MANY, { inputs: [costly(), costly()] }, { key });
    const { alertRaised } = await next();
    expect(alertRaised).toEqual({
      id: expect.any(String),
      kind: 'RULE',
      severity: 'CRITICAL',
      message: 'Two calls: REQUESTS is 2, above 1 over the last 10 minutes',
      workspaceId,
      ruleId,
      resolvedAt: null,
    });

    await server.gql(TRACK_ONE, { input: costly() }, { key });
    await server.gateway.services.monitoring.checkRules();
    const firing = await server.gql(`{ alertRules { state lastValue } alerts { id kind resolvedAt } }`, {}, { key });
    expect(firing.data!.alertRules).toEqual([{ state: 'FIRING', lastValue: 3 }]);
    expect(firing.data!.alerts).toEqual([{ id: alertRaised.id, kind: 'RULE', resolvedAt: null }]);

    clock = minutesLater(11);
    const outcome = await server.gateway.services.monitoring.checkRules();
    expect(outcome.evaluations.find((e) => e.rule.id === ruleId)?.resolved?.id).toBe(alertRaised.id);
    const resolved = await server.gql(`{ alertRules { state lastValue } alerts { id resolvedAt } }`, {}, { key });
    expect(resolved.data!.alertRules).toEqual([{ state: 'OK', lastValue: 0 }]);
    expect(resolved.data!.alerts).toEqual([{ id: alertRaised.id, resolvedAt: minutesLater(11).toISOString() }]);
  });

  it('leaves a disabled rule unevaluated', async () => {
    const { key } = await server.workspaceWithKey('rules-disabled');
    await server.gql(TRACK_MANY, { inputs: [costly(), costly()] }, { key });
    const { data } = await server.gql(SET_RULE, { input: rule({ enabled: false }) }, { key });
    await server.gateway.services.monitoring.checkRules();
    expect(data!.setAlertRule).toMatchObject({ state: 'OK', lastValue: null });
    const { data: after } = await server.gql(`{ alertRules { state lastValue } alerts { id } }`, {}, { key });
    expect(after!).toEqual({ alertRules: [{ state: 'OK', lastValue: null }], alerts: [] });
  });

  it('resolves an alert by hand, once, and only in its own workspace', async () => {
    const a = await server.workspaceWithKey('rules-resolve-a');
    const b = await server.workspaceWithKey('rules-resolve-b');
    await server.gql(TRACK_MANY, { inputs: [costly(), costly()] }, { key: a.key });
    await server.gql(SET_RULE, { input: rule() }, { key: a.key });
    const [alert] = (await server.gql(`{ alerts { id resolvedAt } }`, {}, { key: a.key })).data!.alerts;
    const RESOLVE = `mutation R($id: ID!) { resolveAlert(id: $id) { id resolvedAt } }`;

    const foreign = await server.gql(RESOLVE, { id: alert.id }, { key: b.key });
    expect(foreign.errors).toEqual([
      expect.objectContaining({ message: `id must be the id of an alert in scope, but no alert here has id ${alert.id}`, extensions: { code: 'BAD_USER_INPUT' } }),
    ]);
    const first = await server.gql(RESOLVE, { id: alert.id }, { key: a.key });
    expect(first.data!.resolveAlert).toEqual({ id: alert.id, resolvedAt: START.toISOString() });
    clock = minutesLater(1);
    const again = await server.gql(RESOLVE, { id: alert.id }, { key: a.key });
    expect(again.data!.resolveAlert.resolvedAt).toBe(START.toISOString());
  });

  it('measures many workspaces\' rules with one engine query per window and filter (exact percentiles apart), each rule reading what it would alone', async () => {
    // The calls below would start the gateway's own evaluation of their workspaces as they land,
    // whose engine queries the count below would take for the sweep's (the last test of the file).
    server.gateway.services.ruleWatcher.stop();
    const rules = [
      rule({ metric: 'REQUESTS' }),
      rule({ metric: 'TOTAL_COST' }),
      rule({ metric: 'ERROR_RATE' }),
      rule({ metric: 'P95_LATENCY_MS' }),
      rule({ metric: 'REQUESTS', windowMinutes: 60 }),
      rule({ metric: 'OUTPUT_TOKENS', windowMinutes: 60 }),
      rule({ metric: 'REQUESTS', filter: { modelIds: ['gpt-4o-mini'] } }),
      rule({ metric: 'AVG_LATENCY_MS', filter: { modelIds: ['gpt-4o-mini'] } }),
      rule({ metric: 'P50_LATENCY_MS', windowMinutes: 60 }),
      rule({ metric: 'P99_LATENCY_MS', windowMinutes: 60, filter: { modelIds: ['gpt-4o-mini'] } }),
      rule({ metric: 'P95_LATENCY_MS', filter: { status: 'ERROR' } }),
    ];
    const workspaces = [];
    for (const [n, calls] of [
      [costly(), costly({ status: 'ERROR', latencyMs: 3000 }), costly({ modelId: 'gpt-4o-mini', occurredAt: minutesBefore(30) })],
      [costly({ modelId: 'gpt-4o-mini', latencyMs: 120 }), costly({ modelId: 'gpt-4o-mini', latencyMs: 480, occurredAt: minutesBefore(40) }), costly({ outputTokens: 5 })],
      [],
    ].entries()) {
      const workspace = await server.workspaceWithKey(`rules-batch-${n}`);
      if (calls.length > 0) await server.gql(TRACK_MANY, { inputs: calls }, { key: workspace.key });
      for (const input of rules) await server.gql(SET_RULE, { input }, { key: workspace.key });
      workspaces.push(workspace);
    }

    const engineQueries: string[] = [];
    const observe = (report: { source: string }) => void engineQueries.push(report.source);
    sourceChoiceObservers.add(observe);
    const outcome = await server.gateway.services.monitoring.checkRules().finally(() => sourceChoiceObservers.delete(observe));
    // Every enabled rule in the database is swept (other tests' too): one query per window and filter among them,
    // exact percentiles apart.
    const batches = new Set(outcome.evaluations.map((e) => `${e.rule.windowMinutes} ${JSON.stringify(e.rule.filter)} ${readsExactPercentile(e.rule)}`));
    expect(engineQueries).toHaveLength(batches.size);
    expect(outcome.evaluations.length).toBeGreaterThan(3 * batches.size);

    for (const { workspaceId } of workspaces) {
      const mine = outcome.evaluations.filter((e) => e.rule.workspaceId === workspaceId);
      expect(mine).toHaveLength(rules.length);
      for (const { rule: evaluated, value } of mine) {
        const alone = await runMetrics(server.db.platform, { kind: 'workspace', workspaceId }, {
          range: ruleWindow(evaluated.windowMinutes, clock),
          timezone: 'UTC',
          metrics: [evaluated.metric as Metric],
          groupBy: [],
          filter: evaluated.filter as UsageFilterValues | null,
        });
        expect({ metric: evaluated.metric, value }).toEqual({ metric: evaluated.metric, value: alone.rows[0]?.values[evaluated.metric] ?? 0 });
      }
    }
    // The values differ between the workspaces, so no workspace read another's.
    const requestsOf = (workspaceId: string) => outcome.evaluations.find((e) => e.rule.workspaceId === workspaceId && e.rule.metric === 'REQUESTS' && e.rule.windowMinutes === 60)!.value;
    expect(workspaces.map((w) => requestsOf(w.workspaceId))).toEqual([3, 3, 0]);
  });
});
