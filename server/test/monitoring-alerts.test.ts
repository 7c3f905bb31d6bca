import type { Client } from 'graphql-ws';
import { ALL_WORKSPACES } from '../src/auth/auth.service';
import { MAIN_WORKSPACE_ID } from '../src/bootstrap';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { findCostAnomalies, findErrorSpikes } from '../src/monitoring/alert-checks';
import { raiseAlert, type AlertInput } from '../src/monitoring/alerts.service';
import { startMonitoringServer, type MonitoringServer } from './support/monitoring-server';
import { countReaches } from './support/live-counts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('error spikes', () => {
  const counts = (modelId: string, requests: number, errors: number) => ({ workspaceId: 'w', modelId, requests, errors });

  it.each([
    ['a rate above 3 times the baseline with 10 errors', counts('m', 20, 10), counts('m', 1000, 10), true],
    ['9 errors, however high the rate', counts('m', 9, 9), counts('m', 1000, 0), false],
    ['exactly 3 times the baseline rate', counts('m', 100, 30), counts('m', 1000, 100), false],
    ['no baseline traffic at all', counts('m', 10, 10), null, true],
    ['a rate that was always this high', counts('m', 20, 12), counts('m', 1000, 600), false],
  ])('%s: spike %s', (_name, recent, baseline, spike) => {
    expect(findErrorSpikes([recent], baseline ? [baseline] : [])).toHaveLength(spike ? 1 : 0);
  });

  it('compares each model of each workspace with its own baseline', () => {
    const spikes = findErrorSpikes(
      [
        { workspaceId: 'a', modelId: 'x', requests: 20, errors: 10 },
        { workspaceId: 'b', modelId: 'x', requests: 20, errors: 10 },
      ],
      [
        { workspaceId: 'a', modelId: 'x', requests: 100, errors: 1 },
        { workspaceId: 'b', modelId: 'x', requests: 100, errors: 50 },
      ],
    );
    expect(spikes.map((s) => s.workspaceId)).toEqual(['a']);
  });
});

describe('cost anomalies', () => {
  it.each([
    ['more than twice the daily average', 2.01, 7, true],
    ['exactly twice the daily average', 2, 7, false],
    ['a workspace with no cost in the 7 days before', 50, 0, false],
  ])('%s', (_name, lastDay, week, anomaly) => {
    expect(findCostAnomalies([{ workspaceId: 'w', cost: lastDay }], week ? [{ workspaceId: 'w', cost: week }] : [])).toHaveLength(anomaly ? 1 : 0);
  });
});

const ALERTS = `query Alerts { alerts { kind message workspaceId severity } }`;
const RAISED = `subscription Raised { alertRaised { id kind message workspaceId } }`;

/** The next `count` alertRaised events of a client. */
function nextAlerts(client: Client, count: number): Promise<{ kind: string; message: string; workspaceId: string | null }[]> {
  const seen: { kind: string; message: string; workspaceId: string | null }[] = [];
  return new Promise((resolve, reject) => {
    const stop = client.subscribe<{ alertRaised: (typeof seen)[number] }>(
      { query: RAISED },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
          seen.push(value.data!.alertRaised);
          if (seen.length === count) {
            stop();
            resolve(seen);
          }
        },
        error: reject,
        complete: () => resolve(seen),
      },
    );
  });
}

describe('alert scope', () => {
  let server: MonitoringServer;
  let a: { workspaceId: string; key: string };
  let b: { workspaceId: string; key: string };
  const raise = (workspaceId: string | null, message: string): Promise<unknown> => {
    const alert: AlertInput = { kind: workspaceId ? 'COST_ANOMALY' : 'HEARTBEAT_STALE', severity: 'WARNING', workspaceId, message, at: new Date() };
    return raiseAlert(server.db.platform, server.gateway.services.pubsub, alert);
  };

  beforeAll(async () => {
    server = await startMonitoringServer();
    a = await server.workspaceWithKey('alerts A');
    b = await server.workspaceWithKey('alerts B');
    await raise(null, 'platform: stored');
    await raise(a.workspaceId, 'A: stored');
    await raise(b.workspaceId, 'B: stored');
  });
  afterAll(() => server.dispose());

  const messages = async (key: string, workspace?: string): Promise<string[]> =>
    (await server.gql(ALERTS, {}, key, workspace)).data!.alerts.map((x: { message: string }) => x.message).sort();

  it("lists a member only its own workspace's alerts", async () => {
    expect(await messages(a.key)).toEqual(['A: stored']);
    expect(await messages(b.key)).toEqual(['B: stored']);
  });

  it('lists an admin the platform alerts with its scope', async () => {
    expect(await messages(server.adminKey)).toEqual(['platform: stored']);
    expect(await messages(server.adminKey, a.workspaceId)).toEqual(['A: stored', 'platform: stored']);
  });

  it('lists an admin in scope __all__ every alert', async () => {
    expect(await messages(server.adminKey, ALL_WORKSPACES)).toEqual(['A: stored', 'B: stored', 'platform: stored']);
  });

  it('shows a platform alert with no workspace id', async () => {
    const [platform] = (await server.gql(ALERTS)).data!.alerts;
    expect(platform).toMatchObject({ kind: 'HEARTBEAT_STALE', workspaceId: null, severity: 'WARNING' });
  });

  it('refuses a limit over 500, saying what arrived', async () => {
    const answer = await server.gql('{ alerts(limit: 501) { id } }');
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toBe('limit must be from 1 to 500, but got 501');
  });

  it('pushes each new alert only to subscribers whose scope covers it', async () => {
    const forA = nextAlerts(server.ws(a.key), 1);
    const forAdmin = nextAlerts(server.ws(server.adminKey), 2);
    const forAll = nextAlerts(server.ws(server.adminKey, ALL_WORKSPACES), 4);
    await countReaches(server.gateway.services.pubsub.subscribers, 'ALERT_RAISED', 3);
    await raise(null, 'platform: live');
    await raise(b.workspaceId, 'B: live');
    await raise(a.workspaceId, 'A: live');
    await raise(MAIN_WORKSPACE_ID, 'main: live');
    expect((await forA).map((x) => x.message)).toEqual(['A: live']);
    expect((await forAdmin).map((x) => x.message)).toEqual(['platform: live', 'main: live']);
    expect((await forAll).map((x) => x.message)).toEqual(['platform: live', 'B: live', 'A: live', 'main: live']);
  });

  it('raises an alert once per dedupe key', async () => {
    const alert: AlertInput = { kind: 'BUDGET_THRESHOLD', severity: 'INFO', workspaceId: a.workspaceId, message: '80% of the monthly budget', at: new Date(), dedupeKey: 'budget:1:0.8:2026-03' };
    const first = await raiseAlert(server.db.platform, server.gateway.services.pubsub, alert);
    const second = await raiseAlert(server.db.platform, server.gateway.services.pubsub, alert);
    expect(first).toMatchObject({ kind: 'BUDGET_THRESHOLD', workspaceId: a.workspaceId });
    expect(second).toBeNull();
    expect((await messages(a.key)).filter((m) => m.startsWith('80%'))).toHaveLength(1);
  });
});

describe('the minute checks', () => {
  const now = new Date();
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer({ now: () => now });
  });
  afterAll(() => server.dispose());

  const calls = (count: number, overrides: Partial<LlmCallInputValues>): LlmCallInputValues[] =>
    Array.from({ length: count }, (_, i) => ({
      modelId: 'gpt-4o',
      provider: 'openai',
      inputTokens: 100,
      outputTokens: 20,
      latencyMs: 400,
      status: 'SUCCESS',
      requestType: 'chat',
      ...overrides,
      occurredAt: new Date((overrides.occurredAt ?? now).getTime() - i * 1000),
    }));
  const ingest = (workspaceId: string, inputs: LlmCallInputValues[]) => ingestCalls(server.db.dataSource, workspaceId, inputs, now);
  const ago = (ms: number): Date => new Date(now.getTime() - ms);

  it('raises ERROR_SPIKE for a model failing far more than over the day before, once', async () => {
    const { workspaceId, key } = await server.workspaceWithKey('spiky');
    await ingest(workspaceId, calls(196, { occurredAt: ago(5 * HOUR) }));
    await ingest(workspaceId, calls(4, { occurredAt: ago(6 * HOUR), status: 'ERROR' }));
    await ingest(workspaceId, calls(8, { occurredAt: ago(5 * 60_000) }));
    await ingest(workspaceId, calls(12, { occurredAt: ago(4 * 60_000), status: 'ERROR' }));
    // Another model that always fails this often is no spike.
    await ingest(workspaceId, calls(100, { modelId: 'flaky-model', provider: 'x', occurredAt: ago(3 * HOUR), status: 'ERROR' }));
    await ingest(workspaceId, calls(12, { modelId: 'flaky-model', provider: 'x', occurredAt: ago(60_000), status: 'ERROR' }));

    const outcome = await server.gateway.services.monitoring.checkAlerts();
    expect(outcome.checked).toBe(true);
    const spikes = outcome.raised.filter((x) => x.kind === 'ERROR_SPIKE');
    expect(spikes).toHaveLength(1);
    expect(spikes[0].workspaceId).toBe(workspaceId);
    expect(spikes[0].message).toBe('gpt-4o: 12 of 20 calls failed in the last 15 minutes (60.0%), against 2.0% over the 24 hours before');

    const again = await server.gateway.services.monitoring.checkAlerts();
    expect(again.raised.filter((x) => x.kind === 'ERROR_SPIKE')).toHaveLength(0);
    const listed = (await server.gql(ALERTS, {}, key)).data!.alerts;
    expect(listed.map((x: { kind: string }) => x.kind)).toEqual(['ERROR_SPIKE']);
  });

  it("raises COST_ANOMALY when the last day cost more than twice the week's daily average", async () => {
    const { workspaceId } = await server.workspaceWithKey('spender');
    const steady = await server.workspaceWithKey('steady spender');
    for (let day = 2; day <= 8; day++) {
      await ingest(workspaceId, calls(1, { occurredAt: ago(day * DAY - HOUR), reportedCost: 1 }));
      await ingest(steady.workspaceId, calls(1, { occurredAt: ago(day * DAY - HOUR), reportedCost: 1 }));
    }
    await ingest(workspaceId, calls(5, { occurredAt: ago(2 * HOUR), reportedCost: 1 }));
    await ingest(steady.workspaceId, calls(1, { occurredAt: ago(2 * HOUR), reportedCost: 1.5 }));

    const outcome = await server.gateway.services.monitoring.checkAlerts();
    const anomalies = outcome.raised.filter((x) => x.kind === 'COST_ANOMALY');
    expect(anomalies.map((x) => x.workspaceId)).toEqual([workspaceId]);
    expect(anomalies[0].message).toBe('Cost in the last 24 hours is $5.00, 5.0 times the daily average of the 7 days before ($1.00)');
  });
});
