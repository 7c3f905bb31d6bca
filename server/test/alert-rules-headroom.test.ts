import { evaluateRules, measureRules, nextState, breaks } from '../src/alert-rules/rule-evaluation';
import { RuleHeadroom } from '../src/alert-rules/rule-headroom';
import { listAlertRules, type AlertRuleRecord } from '../src/alert-rules/rules.service';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { CallValues } from '../src/ingest/validate-call';
import { call, TRACK_MANY } from './fixtures/calls';
import { events } from './support/events';
import { startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

const START = new Date('2026-07-01T09:00:00Z');
let clock = START;
const at = (minutes: number): Date => new Date(START.getTime() + minutes * 60_000);

const SET_RULE = `mutation S($input: AlertRuleInput!) { setAlertRule(input: $input) { id } }`;
// Each step stays within BASELINE_MS of the measurement before it, so baselines serve.
const RULES = {
  requestsAbove3: { metric: 'REQUESTS', comparison: 'ABOVE', threshold: 3 },
  costAbove1: { metric: 'TOTAL_COST', comparison: 'ABOVE', threshold: 1 },
  requestsBelow2: { metric: 'REQUESTS', comparison: 'BELOW', threshold: 2 },
  errorRate: { metric: 'ERROR_RATE', comparison: 'ABOVE', threshold: 0.4 },
  p95Unreachable: { metric: 'P95_LATENCY_MS', comparison: 'ABOVE', threshold: 1e8 },
  miniCalls: { metric: 'REQUESTS', comparison: 'ABOVE', threshold: 0, filter: { modelIds: ['gpt-4o-mini'] } },
  anthropicCalls: { metric: 'REQUESTS', comparison: 'ABOVE', threshold: 0, filter: { providers: ['anthropic'] } },
} as const;
type RuleName = keyof typeof RULES;

// gpt-4o: 100k in + 10k out = $0.35 at registry prices.
const costly = (minutes: number, extra: Record<string, unknown> = {}): CallValues =>
  call({ inputTokens: 100_000, outputTokens: 10_000, occurredAt: at(minutes), ...extra }) as unknown as CallValues;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ now: () => clock, monitoring: { ruleCheckIntervalMs: 3_600_000 } });
});
afterAll(() => server.dispose());

describe('alert rules: what the evaluation after calls land skips', () => {
  it('skips only rules whose state a full recomputation leaves as it is, and measures those the calls break or resolve', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('rules-headroom');
    const names = new Map<string, RuleName>();
    for (const [name, input] of Object.entries(RULES)) {
      const { data } = await server.gql(SET_RULE, { input: { name, windowMinutes: 10, ...input } }, { key });
      names.set(data!.setAlertRule.id, name as RuleName);
    }
    const headroom = new RuleHeadroom(() => clock);
    const rules = async (): Promise<AlertRuleRecord[]> => listAlertRules(server.db.platform, { kind: 'workspace', workspaceId });
    // Calls stored without the gateway's PubSub, so its own watcher does not evaluate these rules meanwhile.
    const land = async (calls: CallValues[]): Promise<void> => {
      const { stored } = await ingestCalls(server.gateway.services.dataSource, workspaceId, calls, clock);
      expect(stored).toHaveLength(calls.length);
      for (const record of stored) headroom.noteCall(record);
    };
    // A step: calls land; each rule's decision is set against a full recomputation; then the
    // rules the decision keeps are evaluated, as the watcher does.
    const step = async (calls: CallValues[]): Promise<{ measured: RuleName[]; changed: Partial<Record<RuleName, string>> }> => {
      await land(calls);
      const current = await rules();
      const measured: RuleName[] = [];
      const changed: Partial<Record<RuleName, string>> = {};
      for (const rule of current) {
        const name = names.get(rule.id)!;
        const value = (await measureRules(server.db.platform, [rule], clock)).get(rule)!;
        const { change } = nextState(rule.state, breaks(rule.comparison, value, rule.threshold));
        if (headroom.mayChange(rule)) measured.push(name);
        else expect({ name, value, change }).toEqual({ name, value, change: null });
      }
      const kept = current.filter((rule) => measured.includes(names.get(rule.id)!));
      for (const evaluation of await evaluateRules(server.db.platform, kept, clock, headroom)) {
        if (evaluation.raised) changed[names.get(evaluation.rule.id)!] = 'RAISED';
        if (evaluation.resolved) changed[names.get(evaluation.rule.id)!] = 'RESOLVED';
      }
      return { measured: measured.sort(), changed };
    };

    // The sweep: every rule measured (requestsBelow2 breaks: no calls yet), which leaves baselines.
    await evaluateRules(server.db.platform, await rules(), clock, headroom);

    // One gpt-4o call: 1 request, $0.35; only what it may move is measured.
    clock = at(0.2);
    expect(await step([costly(0.1)])).toEqual({ measured: ['errorRate', 'requestsBelow2'], changed: {} });

    // Two more, one an error: 3 requests may reach past 3 (measured: they do not), $1.05 is above 1, 3 is no longer below 2.
    clock = at(0.4);
    expect(await step([costly(0.3), costly(0.3, { status: 'ERROR' })])).toEqual({
      measured: ['costAbove1', 'errorRate', 'requestsAbove3', 'requestsBelow2'],
      changed: { costAbove1: 'RAISED', requestsBelow2: 'RESOLVED' },
    });

    // A gpt-4o-mini call: 4 requests break requestsAbove3, its filter's rule breaks; FIRING costAbove1 only rises.
    clock = at(0.6);
    expect(await step([costly(0.5, { modelId: 'gpt-4o-mini' })])).toEqual({
      measured: ['errorRate', 'miniCalls', 'requestsAbove3'],
      changed: { miniCalls: 'RAISED', requestsAbove3: 'RAISED' },
    });

    // An anthropic call dated a minute and a half ahead lands; measured now, no window holds it yet.
    expect(await step([costly(2.1, { modelId: 'claude-3-5-haiku-latest', provider: 'anthropic' })])).toEqual({
      measured: ['anthropicCalls', 'errorRate'],
      changed: {},
    });
    // Once its time has come, a call that anthropicCalls does not match still has it measured: the earlier one is in its window now.
    clock = at(2.2);
    expect(await step([costly(2.15)])).toEqual({
      measured: ['anthropicCalls', 'errorRate'],
      changed: { anthropicCalls: 'RAISED' },
    });
  });

  it('keeps the calls of workspaces whose rules it measured lately, and none of the others', async () => {
    clock = START;
    const headroom = new RuleHeadroom(() => clock);
    const { workspaceId } = await server.workspaceWithKey('rules-headroom-memory');
    const { stored } = await ingestCalls(server.gateway.services.dataSource, workspaceId, [costly(-1), costly(-1)], clock);
    for (const record of stored) headroom.noteCall(record);
    expect(headroom.keptCalls).toBe(0);

    headroom.mark([workspaceId]);
    for (const record of stored) headroom.noteCall(record);
    expect(headroom.keptCalls).toBe(2);

    // Long after the last mark (no rule measured since), the workspace's calls go.
    clock = at(10);
    headroom.noteCall(stored[0]);
    expect(headroom.keptCalls).toBe(0);
  });

  it('raises at once when calls break a rule the sweep measured, through the gateway\'s own watcher', async () => {
    clock = START;
    const { key } = await server.workspaceWithKey('rules-headroom-gateway');
    await server.gql(SET_RULE, { input: { name: 'Tripwire', metric: 'REQUESTS', comparison: 'ABOVE', threshold: 0, windowMinutes: 5, filter: { agentIds: ['tripwire'] } } }, { key });
    await server.gateway.services.monitoring.checkRules();
    const client = server.wsClient({ authorization: `Bearer ${key}` });
    const next = events<{ alertRaised: { kind: string; message: string } }>(client, `subscription { alertRaised { kind message } }`);
    await countReaches(server.gateway.services.pubsub.subscribers, 'ALERT_RAISED', 1);

    await server.gql(TRACK_MANY, { inputs: [call({ occurredAt: at(-0.5).toISOString() })] }, { key });
    await server.gql(TRACK_MANY, { inputs: [call({ agentId: 'tripwire', occurredAt: at(-0.5).toISOString() })] }, { key });
    expect((await next()).alertRaised).toEqual({ kind: 'RULE', message: 'Tripwire: REQUESTS is 1, above 0 over the last 5 minutes' });
  });
});
