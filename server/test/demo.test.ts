import { calcPrice } from '@pydantic/genai-prices';
import type { Db } from '../src/db/db';
import { MAIN_WORKSPACE_ID } from '../src/bootstrap';
import { DEMO_AGENTS_LABEL, startDemo } from '../src/demo/demo';
import { DEMO_WORKERS, demoWorkerBeats, type DemoWorker } from '../src/demo/demo-workers';
import { DEFAULT_STALE_AFTER_MS, nextHeartbeatStatus } from '../src/monitoring/heartbeats.service';
import type { HeartbeatStatus } from '../src/monitoring/heartbeat.record';
import { DEMO_FREE_WORKSPACE_ID, DEMO_MODELS, DEMO_PRO_WORKSPACE_ID, DEMO_WORKSPACES } from '../src/demo/demo.catalogue';
import { ensureDemoWorkspaces, seedDemoData } from '../src/demo/demo.seed';
import { startTrafficSimulator, type TrafficSimulator } from '../src/demo/traffic-simulator';
import { ingestCalls } from '../src/ingest/ingest.service';
import { ROLLUP_TABLES } from '../src/ingest/rollup';
import type { LlmCallRecord } from '../src/ingest/llm-call.record';
import { createLogger } from '../src/logger';
import { createInProcessPubSub, type AppPubSub } from '../src/pubsub/pubsub';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestServer } from './support/server';

// Each seeding writes thousands of calls through the real ingest path; a busy machine needs more than jest's 5 s.
jest.setTimeout(30_000);

const NOW = new Date('2025-06-18T12:34:56.000Z');
const SEED = 7;
const CALLS = 3000;
const DAY_MS = 86_400_000;

const databases: TestDatabase[] = [];
async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}
afterAll(() => Promise.all(databases.map((db) => db.dispose())));

/** A fingerprint of every stored call, and per-model totals, to compare two data sets. */
async function contents(db: Db): Promise<{ fingerprint: string; perModel: unknown[] }> {
  const [{ fingerprint }] = await db.query(
    `SELECT md5(string_agg(concat_ws('|', workspace_id, event_id, occurred_at, model_id, provider, input_tokens, output_tokens,
       cache_read_tokens, cache_write_tokens, reasoning_tokens, total_cost, latency_ms, status, error_type, is_byok, agent_id,
       execution_id, request_type), ',' ORDER BY workspace_id, event_id)) AS fingerprint FROM llm_usage`,
  );
  const perModel = await db.query(
    `SELECT model_id, count(*)::int AS calls, sum(input_tokens + output_tokens)::bigint::text AS tokens, sum(total_cost)::text AS cost
     FROM llm_usage GROUP BY model_id ORDER BY model_id`,
  );
  return { fingerprint, perModel };
}

describe('demo data', () => {
  let seeded: TestDatabase;
  beforeAll(async () => {
    seeded = await freshDatabase();
    await seedDemoData(seeded.dataSource, { now: NOW, seed: SEED, calls: CALLS });
  });

  it('gives the same calls for the same seed and clock in two empty databases', async () => {
    const other = await freshDatabase();
    await seedDemoData(other.dataSource, { now: NOW, seed: SEED, calls: CALLS });
    const [a, b] = await Promise.all([contents(seeded.platform), contents(other.platform)]);
    expect(b).toEqual(a);
    expect(a.perModel.length).toBeGreaterThan(0);
  });

  it('gives different calls for a different seed', async () => {
    const other = await freshDatabase();
    await seedDemoData(other.dataSource, { now: NOW, seed: SEED + 1, calls: CALLS });
    expect((await contents(other.platform)).fingerprint).not.toBe((await contents(seeded.platform)).fingerprint);
  });

  it('leaves the calls, rollups and agents with fresh planner statistics', async () => {
    const tables = ['llm_usage', ...ROLLUP_TABLES, 'agents'];
    const rows: { relname: string; analyzed: boolean }[] = await seeded.platform.query(
      `SELECT relname, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = ANY($1) ORDER BY relname`,
      [tables],
    );
    expect(rows).toHaveLength(tables.length);
    expect(rows.filter((r) => !r.analyzed)).toEqual([]);
  });

  it('stores exactly the number of calls asked for, spread over three workspaces on different plans', async () => {
    const rows: { plan: string; calls: number }[] = await seeded.platform.query(
      `SELECT w.plan, count(u.*)::int AS calls FROM workspaces w JOIN llm_usage u ON u.workspace_id = w.id GROUP BY w.plan ORDER BY w.plan`,
    );
    expect(rows.map((r) => r.plan)).toEqual(['enterprise', 'free', 'pro']);
    expect(rows.reduce((sum, r) => sum + r.calls, 0)).toBe(CALLS);
    expect(rows.every((r) => r.calls > 0)).toBe(true);
  });

  it('names about ten agents, each with calls', async () => {
    const rows: { id: string; name: string; calls: number }[] = await seeded.platform.query(
      `SELECT a.id, a.name, (SELECT count(*)::int FROM llm_usage u WHERE u.workspace_id = a.workspace_id AND u.agent_id = a.id) AS calls
       FROM agents a ORDER BY a.id`,
    );
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.id === 'support-bot')?.name).toBe('Support Bot');
    expect(rows.every((r) => r.calls > 0)).toBe(true);
  });

  it('uses at least six priced models from at least three providers, and one unpriced self-hosted model', async () => {
    const rows: { model_id: string; provider: string; priced: boolean }[] = await seeded.platform.query(
      `SELECT DISTINCT model_id, provider, priced FROM llm_usage WHERE input_tokens + output_tokens > 0`,
    );
    const priced = rows.filter((r) => r.priced);
    expect(new Set(priced.map((r) => r.model_id)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(priced.map((r) => r.provider)).size).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => !r.priced).map((r) => `${r.provider}/${r.model_id}`)).toEqual(['self-hosted/internal-llama-8b']);
  });

  it('has BYOK calls in some workspaces, a few percent of errors with their types, cache reads and every request type', async () => {
    const [row] = await seeded.platform.query(
      `SELECT avg(is_byok::int)::float AS byok_share, avg((status = 'ERROR')::int)::float AS error_rate,
         count(DISTINCT workspace_id) FILTER (WHERE is_byok)::int AS byok_workspaces,
         array_agg(DISTINCT error_type ORDER BY error_type) FILTER (WHERE error_type IS NOT NULL) AS error_types,
         count(*) FILTER (WHERE cache_read_tokens > 0)::int AS cached,
         array_agg(DISTINCT request_type ORDER BY request_type) AS request_types
       FROM llm_usage`,
    );
    expect(row.byok_workspaces).toBe(2);
    expect(row.byok_share).toBeGreaterThan(0.08);
    expect(row.byok_share).toBeLessThan(0.2);
    expect(row.error_rate).toBeGreaterThan(0.015);
    expect(row.error_rate).toBeLessThan(0.045);
    expect(row.error_types).toEqual(['context_length_exceeded', 'rate_limit', 'server_error', 'timeout']);
    expect(row.cached).toBeGreaterThan(0);
    expect(row.request_types).toEqual(['chat', 'embedding', 'tool_call', 'workflow']);
  });

  it('reaches back 90 days and ends at now', async () => {
    const [row] = await seeded.platform.query(`SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM llm_usage`);
    expect(row.last.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(row.last.getTime()).toBeGreaterThan(NOW.getTime() - 3_600_000);
    expect(row.first.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 90 * DAY_MS);
    expect(row.first.getTime()).toBeLessThan(NOW.getTime() - 89 * DAY_MS);
  });

  it('has more traffic on weekdays than at weekends, and more in its last month than its first', async () => {
    const [row] = await seeded.platform.query(
      `SELECT count(*) FILTER (WHERE extract(isodow FROM occurred_at AT TIME ZONE 'UTC') < 6)::float
           / count(DISTINCT date_trunc('day', occurred_at, 'UTC')) FILTER (WHERE extract(isodow FROM occurred_at AT TIME ZONE 'UTC') < 6) AS weekday,
         count(*) FILTER (WHERE extract(isodow FROM occurred_at AT TIME ZONE 'UTC') >= 6)::float
           / count(DISTINCT date_trunc('day', occurred_at, 'UTC')) FILTER (WHERE extract(isodow FROM occurred_at AT TIME ZONE 'UTC') >= 6) AS weekend,
         count(*) FILTER (WHERE occurred_at >= $1::timestamptz - interval '30 days')::int AS last_month,
         count(*) FILTER (WHERE occurred_at < $1::timestamptz - interval '60 days')::int AS first_month
       FROM llm_usage`,
      [NOW.toISOString()],
    );
    expect(row.weekday).toBeGreaterThan(1.5 * row.weekend);
    expect(row.last_month).toBeGreaterThan(1.2 * row.first_month);
  });

  it('makes runs of several named workflows, none over 30 calls, some failing', async () => {
    const runs: { workflow: string; longest: number; failed: number }[] = await seeded.platform.query(
      `SELECT workflow, max(calls)::int AS longest, (count(*) FILTER (WHERE errors > 0))::int AS failed
       FROM runs GROUP BY workflow ORDER BY workflow`,
    );
    expect(runs.map((r) => r.workflow)).toEqual(['code review', 'lead enrichment', 'nightly report', 'research', 'ticket triage']);
    for (const r of runs) expect(r.longest).toBeLessThanOrEqual(30);
    expect(Math.max(...runs.map((r) => r.longest))).toBeGreaterThanOrEqual(3);
    expect(runs.reduce((sum, r) => sum + r.failed, 0)).toBeGreaterThan(0);
  });

  it('keeps raw rows, both rollups and agent stats in agreement', async () => {
    const raw = `SELECT workspace_id, count(*)::text AS requests, sum(input_tokens + output_tokens)::text AS tokens, sum(total_cost)::text AS cost
      FROM llm_usage GROUP BY 1 ORDER BY 1`;
    const rollup = (table: string): string =>
      `SELECT workspace_id, sum(request_count)::text AS requests, sum(input_tokens + output_tokens)::text AS tokens, sum(total_cost)::text AS cost
       FROM ${table} GROUP BY 1 ORDER BY 1`;
    const rawTotals = await seeded.platform.query(raw);
    expect(await seeded.platform.query(rollup('llm_usage_hourly'))).toEqual(rawTotals);
    expect(await seeded.platform.query(rollup('llm_usage_daily'))).toEqual(rawTotals);
    const [agents] = await seeded.platform.query(
      `SELECT (SELECT sum((s.value ->> 'requests')::bigint) FROM agents a, jsonb_each(a.model_usage_stats) s)::int AS from_stats,
         (SELECT count(*) FROM llm_usage WHERE agent_id IS NOT NULL)::int AS from_rows`,
    );
    expect(agents.from_stats).toBe(agents.from_rows);
  });

  it('seeds nothing when the database already holds a call', async () => {
    const db = await freshDatabase();
    await ensureDemoWorkspaces(db.platform);
    await ingestCalls(db.dataSource, DEMO_PRO_WORKSPACE_ID, [{ modelId: 'gpt-4o', provider: 'openai', inputTokens: 1, outputTokens: 1, latencyMs: 5, status: 'SUCCESS', requestType: 'chat' }], NOW);
    const outcome = await seedDemoData(db.dataSource, { now: NOW, seed: SEED, calls: CALLS });
    expect(outcome.seeded).toBe(false);
    const [{ n }] = await db.platform.query(`SELECT count(*)::int AS n FROM llm_usage`);
    expect(n).toBe(1);
  });
});

describe('demo catalogue', () => {
  it('prices every model but the self-hosted one from the registry', () => {
    const usage = { input_tokens: 1000, output_tokens: 100 };
    const unpriced = DEMO_MODELS.filter((m) => calcPrice(usage, m.modelId, { providerId: m.provider }) === null).map((m) => m.modelId);
    expect(unpriced).toEqual(['internal-llama-8b']);
  });

  it('gives every workspace a share, and the shares add up to all calls', () => {
    expect(DEMO_WORKSPACES.map((w) => w.id)).toEqual([MAIN_WORKSPACE_ID, DEMO_PRO_WORKSPACE_ID, DEMO_FREE_WORKSPACE_ID]);
    expect(DEMO_WORKSPACES.reduce((sum, w) => sum + w.share, 0)).toBeCloseTo(1, 10);
  });
});

/** The next call published on LLM_CALL_TRACKED (the subscription is live once this returns). */
function nextTrackedCall(pubsub: AppPubSub): Promise<LlmCallRecord> {
  const iterator = pubsub.subscribe('LLM_CALL_TRACKED')[Symbol.asyncIterator]();
  return iterator.next().then(async (result) => {
    await iterator.return?.();
    return result.value as LlmCallRecord;
  });
}

describe('traffic simulator', () => {
  it('stores live calls in the demo workspaces and publishes them', async () => {
    const db = await freshDatabase();
    await ensureDemoWorkspaces(db.platform);
    const pubsub = createInProcessPubSub();
    const published = nextTrackedCall(pubsub);
    const simulator = startTrafficSimulator({
      dataSource: db.dataSource,
      pubsub,
      logger: createLogger('silent'),
      now: () => NOW,
      workspaces: DEMO_WORKSPACES,
      seed: SEED,
      day: 90,
      intervalMs: [1, 5],
    });
    const call = await published;
    simulator.stop();
    await simulator.idle();
    expect(DEMO_WORKSPACES.map((w) => w.id)).toContain(call.workspaceId);
    expect(call.eventId).toMatch(/^live-/);
    const stored = await db.platform.query(`SELECT workspace_id, model_id FROM llm_usage WHERE workspace_id = $1 AND id = $2`, [call.workspaceId, call.id]);
    expect(stored).toEqual([{ workspace_id: call.workspaceId, model_id: call.modelId }]);
  });

  it('logs a failed tick and keeps going', async () => {
    const db = await freshDatabase();
    // No demo workspaces: every insert fails on the workspace foreign key.
    const pubsub = createInProcessPubSub();
    const logged: string[] = [];
    const logger = createLogger('silent');
    let failures = 0;
    const twoFailures = new Promise<void>((resolve) => {
      logger.error = ((_details: unknown, message: string) => {
        logged.push(message);
        if (++failures === 2) resolve();
      }) as typeof logger.error;
    });
    const simulator = startTrafficSimulator({ dataSource: db.dataSource, pubsub, logger, now: () => NOW, workspaces: DEMO_WORKSPACES, seed: SEED, day: 90, intervalMs: [1, 5] });
    await twoFailures;
    simulator.stop();
    await simulator.idle();
    expect(logged[0]).toBe('demo traffic simulator: could not store calls');
  });
});

describe('startDemo', () => {
  it('seeds an empty database, says how far it got, and starts live traffic sent with INGEST keys', async () => {
    const server = await startTestServer({ now: () => NOW });
    try {
      const lines: string[] = [];
      const published = nextTrackedCall(server.gateway.services.pubsub);
      let simulator: TrafficSimulator | undefined;
      const demo = await startDemo(server.gateway.services, (line) => lines.push(line), {
        calls: 1500,
        intervalMs: [1, 5],
        gatewayUrl: server.url,
        onSimulator: (s) => (simulator = s),
      });
      const call = await published;
      await demo.stop();
      await simulator?.idle();
      expect(lines[0]).toBe('Seeding demo data: 1,500 calls over 90 days in 3 workspaces');
      expect(lines).toContain('Seeding demo data: 1,500 / 1,500 calls');
      expect(lines[lines.length - 1]).toMatch(/^Seeded 1,500 demo calls in \d+\.\d s/);
      expect(call.eventId).toMatch(/^live-/);
      const [{ n }] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE event_id LIKE 'demo-%'`);
      expect(n).toBe(1500);
      const used = await server.db.platform.query(`SELECT role, last_used_at FROM api_keys WHERE workspace_id = $1 AND label = $2`, [
        call.workspaceId,
        DEMO_AGENTS_LABEL,
      ]);
      expect(used).toEqual([{ role: 'INGEST', last_used_at: NOW }]);
    } finally {
      await server.dispose();
    }
  });

  it("shows the demo's background workers in Monitoring's heartbeats, STOPPED when the gateway stops", async () => {
    const server = await startTestServer({ now: () => NOW });
    try {
      const demo = await startDemo(server.gateway.services, () => undefined, { calls: 300, intervalMs: [1, 5] });
      await server.gateway.services.monitoring.idle();
      const workers = DEMO_WORKERS.map((w) => w.service);
      const listed = await server.gql<{ heartbeats: { service: string; status: string; intervalSeconds: number }[] }>('{ heartbeats { service status intervalSeconds } }');
      expect(listed.data!.heartbeats.filter((h) => workers.includes(h.service))).toEqual(
        expect.arrayContaining(DEMO_WORKERS.map((w) => ({ service: w.service, status: 'ALIVE', intervalSeconds: w.intervalSeconds }))),
      );
      await demo.stop();
      await server.gateway.services.monitoring.stop();
      const left = (await server.db.platform.query(`SELECT service, status FROM heartbeats WHERE service = ANY($1)`, [workers])) as { status: string }[];
      expect(left.map((h) => h.status)).toEqual(['STOPPED', 'STOPPED', 'STOPPED']);
    } finally {
      await server.dispose();
    }
  });

  it('seeds but starts no simulator when traffic is off, so the figures hold still', async () => {
    const server = await startTestServer({ now: () => NOW });
    try {
      const lines: string[] = [];
      let simulator: TrafficSimulator | undefined;
      const demo = await startDemo(server.gateway.services, (line) => lines.push(line), { calls: 300, traffic: false, onSimulator: (s) => (simulator = s) });
      await demo.stop();
      expect(simulator).toBeUndefined();
      expect(lines[lines.length - 1]).toBe('Demo traffic simulator is off (TALLY_DEMO_TRAFFIC=off)');
      const [{ n }] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage`);
      expect(n).toBe(300);
    } finally {
      await server.dispose();
    }
  });

  it('leaves a database with calls of its own alone: no demo data and no simulator', async () => {
    const server = await startTestServer({ now: () => NOW });
    try {
      const db = server.db.dataSource;
      await ingestCalls(db, MAIN_WORKSPACE_ID, [{ modelId: 'gpt-4o', provider: 'openai', inputTokens: 1, outputTokens: 1, latencyMs: 5, status: 'SUCCESS', requestType: 'chat' }], NOW);
      const lines: string[] = [];
      let simulator: TrafficSimulator | undefined;
      const demo = await startDemo(server.gateway.services, (line) => lines.push(line), { calls: 1500, onSimulator: (s) => (simulator = s) });
      await demo.stop();
      expect(simulator).toBeUndefined();
      expect(lines).toEqual([
        'Demo data: the database already holds calls, so it keeps them and gets no new demo data',
        'Demo traffic simulator is off: the demo workspaces are not in this database',
      ]);
      const [{ n }] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage`);
      expect(n).toBe(1);
    } finally {
      await server.dispose();
    }
  });
});

describe('demo workers', () => {
  /**
   * Plays the demo's schedule against the heartbeat state machine over two hours, second by
   * second, with the stale check every 30 s as the gateway runs it at the default threshold.
   */
  function statusesOver(worker: DemoWorker, minimumStaleMs: number): HeartbeatStatus[] {
    let current: { status: HeartbeatStatus; lastBeatAt: Date; intervalSeconds: number } | null = null;
    const seen: HeartbeatStatus[] = [];
    for (let second = 0; second < 2 * 3600; second++) {
      const at = new Date(NOW.getTime() + second * 1000);
      const due = !current || at.getTime() - current.lastBeatAt.getTime() >= worker.intervalSeconds * 1000;
      if (due && demoWorkerBeats(worker, second * 1000, minimumStaleMs)) {
        current = { status: nextHeartbeatStatus(current, 'beat', at, minimumStaleMs)!, lastBeatAt: at, intervalSeconds: worker.intervalSeconds };
      } else if (current && second % 30 === 0) {
        current = { status: nextHeartbeatStatus(current, 'check', at, minimumStaleMs)!, lastBeatAt: current.lastBeatAt, intervalSeconds: current.intervalSeconds };
      }
      if (current && seen[seen.length - 1] !== current.status) seen.push(current.status);
    }
    return seen;
  }

  it('are the three workers of the platform, one of which stalls', () => {
    expect(DEMO_WORKERS.map((w) => w.service)).toEqual(['recipe-scheduler', 'workspace-worker', 'channel-manager']);
    expect(DEMO_WORKERS.filter((w) => w.stalls).map((w) => w.service)).toEqual(['channel-manager']);
  });

  it('turn the stalling one STALE now and then, and ALIVE again after; the others stay ALIVE', () => {
    for (const worker of DEMO_WORKERS) {
      const statuses = statusesOver(worker, DEFAULT_STALE_AFTER_MS);
      if (!worker.stalls) expect(statuses).toEqual(['ALIVE']);
      else {
        // Several times in two hours, each time back to ALIVE.
        expect(statuses.filter((s) => s === 'STALE').length).toBeGreaterThanOrEqual(3);
        expect(statuses[0]).toBe('ALIVE');
        expect(statuses.every((s, i) => i === 0 || s !== statuses[i - 1])).toBe(true);
      }
    }
  });

  it('stall for longer than a shorter stale threshold too (HEARTBEAT_STALE_AFTER_MS)', () => {
    const stalling = DEMO_WORKERS.find((w) => w.stalls)!;
    expect(statusesOver(stalling, 60_000)).toContain('STALE');
  });
});
