import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type { Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import { ConfigError, loadConfig } from '../src/config';
import { nextHeartbeatStatus, STALE_CHECK_LOCK } from '../src/monitoring/heartbeats.service';
import type { HeartbeatStatus } from '../src/monitoring/heartbeat.record';
import { Monitoring } from '../src/monitoring/monitoring';
import { startMonitoringServer, type MonitoringServer } from './support/monitoring-server';
import { countReaches } from './support/live-counts';

const MINUTE = 60_000;

describe('the heartbeat state machine', () => {
  const t0 = new Date('2026-03-02T10:00:00Z');
  const at = (ms: number): Date => new Date(t0.getTime() + ms);
  const beat = (status: HeartbeatStatus, intervalSeconds = 30) => ({ status, lastBeatAt: t0, intervalSeconds });
  const FIVE_MINUTES = 5 * MINUTE;

  it.each<[string, ReturnType<typeof beat> | null, 'beat' | 'stop' | 'check', number, HeartbeatStatus | null]>([
    ['a first beat makes it ALIVE', null, 'beat', 0, 'ALIVE'],
    ['a check of an unknown heartbeat finds nothing', null, 'check', 0, null],
    ['two missed 30 s intervals are not yet 5 minutes', beat('ALIVE'), 'check', 4 * MINUTE, 'ALIVE'],
    ['exactly 5 minutes is not yet STALE', beat('ALIVE'), 'check', FIVE_MINUTES, 'ALIVE'],
    ['just past 5 minutes is STALE', beat('ALIVE'), 'check', FIVE_MINUTES + 1, 'STALE'],
    ['a 10-minute interval allows 20 minutes', beat('ALIVE', 600), 'check', 20 * MINUTE, 'ALIVE'],
    ['past two 10-minute intervals is STALE', beat('ALIVE', 600), 'check', 20 * MINUTE + 1, 'STALE'],
    ['a beat after STALE makes it ALIVE', beat('STALE'), 'beat', 30 * MINUTE, 'ALIVE'],
    ['STALE stays STALE on later checks', beat('STALE'), 'check', 60 * MINUTE, 'STALE'],
    ['a stop makes it STOPPED', beat('ALIVE'), 'stop', 0, 'STOPPED'],
    ['STOPPED never turns STALE', beat('STOPPED'), 'check', 24 * 60 * MINUTE, 'STOPPED'],
    ['a beat after STOPPED makes it ALIVE', beat('STOPPED'), 'beat', MINUTE, 'ALIVE'],
  ])('%s', (_name, current, event, elapsed, expected) => {
    expect(nextHeartbeatStatus(current, event, at(elapsed), FIVE_MINUTES)).toBe(expected);
  });
});

describe('HEARTBEAT_STALE_AFTER_MS', () => {
  const base = { TALLY_ADMIN_KEY: 'a'.repeat(20), TALLY_SECRET_KEY: Buffer.alloc(32).toString('base64'), TALLY_DATA_DIR: '/tmp/tally-config-test' };

  it('is 5 minutes when unset', () => {
    expect(loadConfig(base).heartbeatStaleAfterMs).toBe(300_000);
  });

  it('sets the least stale time', () => {
    expect(loadConfig({ ...base, HEARTBEAT_STALE_AFTER_MS: '2000' }).heartbeatStaleAfterMs).toBe(2000);
  });

  it('refuses a value that is not a number of milliseconds', () => {
    expect(() => loadConfig({ ...base, HEARTBEAT_STALE_AFTER_MS: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HEARTBEAT_STALE_AFTER_MS: 'soon' })).toThrow(
      'HEARTBEAT_STALE_AFTER_MS must be a whole number of milliseconds of at least 100, but got "soon"',
    );
  });
});

const BEAT = `mutation Beat($service: String!, $instanceId: String!, $intervalSeconds: Int, $meta: JSON) {
  heartbeat(service: $service, instanceId: $instanceId, intervalSeconds: $intervalSeconds, meta: $meta) { service instanceId status lastBeatAt intervalSeconds meta }
}`;
const STOP = `mutation Stop($service: String!, $instanceId: String!) { stopHeartbeat(service: $service, instanceId: $instanceId) { status } }`;
const LIST = `query Heartbeats { heartbeats { service instanceId status intervalSeconds meta } }`;
const CHANGED = `subscription Changed { heartbeatChanged { service instanceId status } }`;
const ALERTS = `query Alerts { alerts(limit: 500) { id kind severity message workspaceId } }`;

/** The next `count` events of a subscription that satisfy `matches`. */
function eventsWhere<T>(client: Client, query: string, matches: (event: T) => boolean, count: number): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    const stop = client.subscribe<T>(
      { query },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
          if (!matches(value.data as T)) return;
          seen.push(value.data as T);
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

type Changed = { heartbeatChanged: { service: string; instanceId: string; status: HeartbeatStatus } };

describe('heartbeats in the gateway', () => {
  let clock = Date.now();
  let server: MonitoringServer;
  const advance = (ms: number): void => void (clock += ms);
  beforeAll(async () => {
    server = await startMonitoringServer({ now: () => new Date(clock) });
  });
  afterAll(() => server.dispose());

  const beat = (service: string, extra: Record<string, unknown> = {}) => server.gql(BEAT, { service, instanceId: 'i-1', ...extra });
  const check = () => server.gateway.services.monitoring.checkHeartbeats();
  /** Starts a subscription once an earlier test's has ended, and resolves when it is live. */
  const subscribed = async <T>(start: () => Promise<T>): Promise<{ events: Promise<T> }> => {
    const subscriptions = server.gateway.services.subscriptions;
    await countReaches(subscriptions.live, 'heartbeatChanged', (live) => live === 0);
    const events = start();
    await countReaches(subscriptions.live, 'heartbeatChanged', 1);
    return { events };
  };
  const statusOf = async (service: string): Promise<HeartbeatStatus | undefined> =>
    (await server.gql(LIST)).data!.heartbeats.find((h: { service: string }) => h.service === service)?.status;
  const staleAlertsFor = async (service: string) =>
    (await server.gql(ALERTS)).data!.alerts.filter((a: { kind: string; message: string }) => a.kind === 'HEARTBEAT_STALE' && a.message.startsWith(`${service} `));

  it('records a beat with its interval and meta', async () => {
    const answer = await beat('indexer', { intervalSeconds: 45, meta: { host: 'w1', version: '2.1' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.heartbeat).toMatchObject({ service: 'indexer', instanceId: 'i-1', status: 'ALIVE', intervalSeconds: 45, meta: { host: 'w1', version: '2.1' } });
    expect(answer.data!.heartbeat.lastBeatAt).toBe(new Date(clock).toISOString());
  });

  it('publishes a heartbeat turning STALE and coming back ALIVE', async () => {
    const events = await subscribed(() => eventsWhere<Changed>(server.ws(server.adminKey), CHANGED, (e) => e.heartbeatChanged.service === 'mailer', 3));
    await beat('mailer');
    advance(6 * MINUTE);
    await check();
    await beat('mailer');
    expect((await events.events).map((e) => e.heartbeatChanged.status)).toEqual(['ALIVE', 'STALE', 'ALIVE']);
  });

  it('publishes nothing for a beat that changes only the time', async () => {
    const events = await subscribed(() => eventsWhere<Changed>(server.ws(server.adminKey), CHANGED, (e) => e.heartbeatChanged.service === 'steady', 2));
    await beat('steady');
    await beat('steady');
    await beat('steady');
    await server.gql(STOP, { service: 'steady', instanceId: 'i-1' });
    expect((await events.events).map((e) => e.heartbeatChanged.status)).toEqual(['ALIVE', 'STOPPED']);
  });

  it('raises one HEARTBEAT_STALE alert per transition to STALE', async () => {
    await beat('scheduler');
    advance(6 * MINUTE);
    await check();
    await check();
    expect(await staleAlertsFor('scheduler')).toHaveLength(1);
    expect(await statusOf('scheduler')).toBe('STALE');

    await beat('scheduler');
    advance(6 * MINUTE);
    await check();
    const alerts = await staleAlertsFor('scheduler');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ severity: 'CRITICAL', workspaceId: null });
    expect(alerts[0].message).toBe('scheduler (i-1) has sent no heartbeat for 360 s; it promised one every 30 s');
  });

  it('never turns a STOPPED heartbeat STALE', async () => {
    await beat('batch-job');
    await server.gql(STOP, { service: 'batch-job', instanceId: 'i-1' });
    advance(60 * MINUTE);
    await check();
    expect(await statusOf('batch-job')).toBe('STOPPED');
    expect(await staleAlertsFor('batch-job')).toHaveLength(0);
  });

  it('leaves the stale check to the instance that holds the lock', async () => {
    await beat('exporter');
    advance(6 * MINUTE);
    const other = new PgClient({ connectionString: server.db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1::bigint)', [STALE_CHECK_LOCK]);
      const skipped = await check();
      expect(skipped).toMatchObject({ checked: false, stale: [] });
      expect(await statusOf('exporter')).toBe('ALIVE');
      await other.query('COMMIT');
    } finally {
      await other.end();
    }
    const outcome = await check();
    expect(outcome!.checked).toBe(true);
    expect(await statusOf('exporter')).toBe('STALE');
  });

  it('shows meta to admin keys only', async () => {
    await beat('crawler', { meta: { host: 'crawler-7.internal' } });
    const { key } = await server.workspaceWithKey('heartbeat watcher');
    const asMember = (await server.gql(LIST, {}, key)).data!.heartbeats.find((h: { service: string }) => h.service === 'crawler');
    const asAdmin = (await server.gql(LIST)).data!.heartbeats.find((h: { service: string }) => h.service === 'crawler');
    expect(asMember).toMatchObject({ status: 'ALIVE', meta: null });
    expect(asAdmin.meta).toEqual({ host: 'crawler-7.internal' });
  });

  it('takes beats from admin keys only', async () => {
    const { key } = await server.workspaceWithKey('would-be worker');
    const answer = await server.gql(BEAT, { service: 'spoof', instanceId: 'x' }, key);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses an interval under one second, saying what arrived', async () => {
    const answer = await beat('too-fast', { intervalSeconds: 0 });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toBe('intervalSeconds must be a whole number from 1 to 86400, but got 0');
  });

  it('refuses to stop a heartbeat that never beat', async () => {
    const answer = await server.gql(STOP, { service: 'ghost', instanceId: 'i-9' });
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toBe('no heartbeat has come from service "ghost" instance "i-9"');
  });
});

describe("the gateway's own heartbeats", () => {
  it('beat while it runs and are STOPPED when it stops', async () => {
    const server = await startMonitoringServer();
    try {
      const own = ['tally-alert-checker', 'tally-heartbeat-checker', 'tally-metrics-sampler'];
      await server.gateway.services.monitoring.system.latest();
      await server.gateway.services.monitoring.idle();
      const listed = (await server.gql(LIST)).data!.heartbeats.filter((h: { service: string }) => own.includes(h.service));
      expect(listed.map((h: { service: string; status: string }) => [h.service, h.status]).sort()).toEqual(own.map((s) => [s, 'ALIVE']));

      await server.gateway.stop();
      const rows: { service: string; status: string }[] = await server.db.platform.query(
        `SELECT service, status FROM heartbeats WHERE service = ANY($1) ORDER BY service`,
        [own],
      );
      expect(rows).toEqual(own.map((service) => ({ service, status: 'STOPPED' })));
    } finally {
      await server.db.dispose();
    }
  });
});

describe('a gateway starting on a host where an earlier one died', () => {
  it("marks the dead process's own heartbeats STOPPED and leaves a live process's alone", async () => {
    const server = await startMonitoringServer();
    try {
      const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
      const dead = `${hostname()}:${deadPid}`;
      const living = `${hostname()}:${process.ppid}`;
      for (const instanceId of [dead, living]) await server.gql(BEAT, { service: 'tally-metrics-sampler', instanceId });
      await server.gql(BEAT, { service: 'someone-elses-worker', instanceId: dead });

      const { platform, pubsub, config, logger, now, startedAt, version } = server.gateway.services;
      const successor = new Monitoring({ platform, pubsub, config, logger, now, startedAt, version }, { instanceId: 'successor' });
      successor.start();
      await successor.idle();
      await successor.stop();

      const statuses = Object.fromEntries(
        (await server.gql(LIST)).data!.heartbeats.map((h: { service: string; instanceId: string; status: string }) => [`${h.service} ${h.instanceId}`, h.status]),
      );
      expect(statuses[`tally-metrics-sampler ${dead}`]).toBe('STOPPED');
      expect(statuses[`tally-metrics-sampler ${living}`]).toBe('ALIVE');
      expect(statuses[`someone-elses-worker ${dead}`]).toBe('ALIVE');
    } finally {
      await server.dispose();
    }
  });
});

describe('with HEARTBEAT_ENABLED=false', () => {
  let server: MonitoringServer;
  beforeAll(async () => {
    server = await startMonitoringServer({ env: { HEARTBEAT_ENABLED: 'false' } });
  });
  afterAll(() => server.dispose());

  it('answers a beat with NOT_CONFIGURED', async () => {
    const answer = await server.gql(BEAT, { service: 'worker', instanceId: 'i-1' });
    expect(answer.errors?.[0].extensions?.code).toBe('NOT_CONFIGURED');
    expect(answer.errors?.[0].message).toBe('Heartbeats are turned off on this gateway (HEARTBEAT_ENABLED=false)');
  });

  it('lists no heartbeats and leaves them out of health', async () => {
    expect((await server.gql(LIST)).data!.heartbeats).toEqual([]);
    const health = (await server.gql('{ health { services { name } } }')).data!.health;
    expect(health.services.map((s: { name: string }) => s.name)).not.toContain('heartbeats');
  });
});
