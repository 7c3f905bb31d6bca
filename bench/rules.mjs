// Alert rules: 1,000 enabled rules over 100 workspaces, evaluated by a gateway process (after
// calls land, at most once a second per workspace, and every 30 s for all of them) while 100
// calls a second land, one a second in each workspace. Measures what the evaluation costs as
// the CPU it adds to the gateway process and to PostgreSQL over the same traffic with no rules
// (the baseline, in the same run), and the time from sending a call that breaks a rule to its
// webhook request arriving at a local receiver (signature checked with standardwebhooks).
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { percentile, startGatewayProcess } from './gateway-process.mjs';
import { makeCalls, MODELS, seeded } from './traffic.mjs';
import { ensureRawMonths, fmt, graphqlClient, median, msSince, now, require, say, server, verdict } from './support.mjs';

const WORKSPACES = 100;
const RULES_PER_WORKSPACE = 10;
const CALLS_PER_SECOND = 100;
const TICK_MS = 100;
const BASELINE_SECONDS = Number(process.env.BENCH_RULES_BASELINE_SECONDS ?? 60);
const SECONDS = Number(process.env.BENCH_RULES_SECONDS ?? 120);
/** Calls already in the last 24 hours before the run (rollups built), so long windows read a day's data. */
const HISTORY_CALLS = Number(process.env.BENCH_RULES_HISTORY_CALLS ?? 1_000_000);
const TARGET_SHARE = 0.1;
const TARGET_P99_MS = 2000;
const TRIPWIRE_AGENT = 'bench-tripwire';

const TRACK = 'mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted } }';
const SET_CHANNEL = 'mutation C($input: NotificationChannelInput!) { setNotificationChannel(input: $input) { id signingSecret } }';
const SET_RULE = 'mutation R($input: AlertRuleInput!) { setAlertRule(input: $input) { id } }';

/** What users set: windows they pick, filters they narrow to; thresholds out of reach, so these rules stay OK. */
const WINDOWS = [5, 10, 15, 30, 60, 120, 360, 1440];
const FILTERS = [null, null, null, { modelIds: ['gpt-4o'] }, { providers: ['anthropic'] }, { status: 'ERROR' }, { modelIds: ['gpt-4o-mini', 'gemini-2.0-flash'] }];
const QUIET_RULES = [
  { metric: 'REQUESTS', comparison: 'ABOVE', threshold: 1e9 },
  { metric: 'TOTAL_COST', comparison: 'ABOVE', threshold: 1e6 },
  { metric: 'ERROR_RATE', comparison: 'ABOVE', threshold: 1.5 },
  { metric: 'P95_LATENCY_MS', comparison: 'ABOVE', threshold: 1e8 },
  { metric: 'REQUESTS', comparison: 'BELOW', threshold: 0 },
  { metric: 'TOTAL_TOKENS', comparison: 'ABOVE', threshold: 1e12 },
  { metric: 'ERROR_COUNT', comparison: 'ABOVE', threshold: 1e9 },
  { metric: 'AVG_LATENCY_MS', comparison: 'ABOVE', threshold: 1e8 },
  { metric: 'OUTPUT_COST', comparison: 'ABOVE', threshold: 1e6 },
];
/** The rule each workspace's one breaking call fires: any call of the tripwire agent in 5 minutes. */
const TRIPWIRE_RULE = { name: 'tripwire', metric: 'REQUESTS', comparison: 'ABOVE', threshold: 0, windowMinutes: 5, filter: { agentIds: [TRIPWIRE_AGENT] } };

const CLOCK_TICKS = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

/** CPU seconds (user + system) a process has used, with those of its children it has reaped. */
function processCpu(pid, withReaped = false) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3): utime, stime, cutime, cstime are fields 14 to 17.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  return (utime + stime + (withReaped ? cutime + cstime : 0)) / CLOCK_TICKS;
}

/** The parent process id of `pid`. */
const parentOf = (pid) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);

/** CPU seconds of the PostgreSQL server: the postmaster, its live backends and workers, and those that ended. */
function postgresCpu(postmaster) {
  let total = processCpu(postmaster, true);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentOf(entry) === postmaster) total += processCpu(entry);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}

/** GraphQL with each key's own kept-alive connection (one request at a time per workspace, as its SDK sends them). */
const clients = new Map();
function post(port, key, query, variables) {
  if (!clients.has(key)) clients.set(key, graphqlClient(port, key));
  return clients.get(key).gql(query, variables);
}

/** A webhook receiver on a free local port: checks each request's Standard Webhooks signature and notes when it arrived. */
async function startReceiver(secrets) {
  const { Webhook } = require('standardwebhooks');
  const arrivals = [];
  const refused = [];
  const receiver = http.createServer((request, response) => {
    const at = now();
    let body = '';
    request.on('data', (c) => (body += c));
    request.on('end', () => {
      const workspace = request.url.split('/').pop();
      try {
        const payload = new Webhook(secrets.get(workspace)).verify(body, request.headers);
        arrivals.push({ at, workspace, type: payload.type, kind: payload.data.alert?.kind, rule: payload.data.rule?.name });
        response.writeHead(204).end();
      } catch (error) {
        refused.push(error.message);
        response.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return { port: receiver.address().port, arrivals, refused, close: () => new Promise((resolve) => receiver.close(resolve)) };
}

/** Calls over the 24 hours before now in every workspace, with the ingest's own rollups, as a day of traffic leaves them. */
async function seedHistory(db, workspaceIds, calls) {
  const values = MODELS.map((m, i) => `(${i}, '${m.modelId}', '${m.provider}', ${m.input}::numeric, ${m.output}::numeric, ${m.latencyMs})`).join(', ');
  const normal = 'sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())';
  await db.query('SELECT setseed(0.2)');
  await db.query(
    `WITH models(idx, model_id, provider, in_rate, out_rate, latency_ms) AS (VALUES ${values})
     INSERT INTO llm_usage (workspace_id, occurred_at, model_id, provider, input_tokens, output_tokens, input_cost, output_cost, total_cost,
       priced, price_source, latency_ms, status, error_type, is_byok, agent_id, request_type)
     SELECT workspace_id, occurred_at, m.model_id, m.provider, input_tokens, output_tokens,
       round(input_tokens * m.in_rate / 1e6, 12), round(output_tokens * m.out_rate / 1e6, 12),
       round(input_tokens * m.in_rate / 1e6, 12) + round(output_tokens * m.out_rate / 1e6, 12),
       true, 'REGISTRY', greatest(1, round(m.latency_ms * exp(0.5 * n_latency)))::int,
       status, CASE WHEN status = 'ERROR' THEN 'rate_limit' END, is_byok, agent_id, 'chat'
     FROM (
       SELECT ($1::uuid[])[1 + i % cardinality($1::uuid[])] AS workspace_id,
         now() - interval '24 hours' + random() * (interval '24 hours' - interval '1 minute') AS occurred_at,
         floor(random() * ${MODELS.length})::int AS model_idx,
         least(100000, greatest(1, round(exp(ln(1500) + 0.8 * ${normal}))))::bigint AS input_tokens,
         least(16000, greatest(1, round(exp(ln(300) + 0.7 * ${normal}))))::bigint AS output_tokens,
         ${normal} AS n_latency, CASE WHEN random() < 0.03 THEN 'ERROR' ELSE 'SUCCESS' END AS status, random() < 0.2 AS is_byok,
         CASE WHEN random() < 0.1 THEN NULL ELSE 'agent-' || lpad((1 + floor(random() * 10))::text, 2, '0') END AS agent_id
       FROM generate_series(1, $2::int) AS i
       OFFSET 0
     ) drawn
     JOIN models m ON m.idx = model_idx
     ORDER BY occurred_at`,
    [workspaceIds, calls],
  );
  const { rollupUpsert, ROLLUP_TABLES } = server('ingest/rollup');
  for (const table of ROLLUP_TABLES) await db.query(rollupUpsert(table, '(SELECT * FROM llm_usage) s'));
  await db.query(`VACUUM ANALYZE llm_usage, ${ROLLUP_TABLES.join(', ')}`);
}

/**
 * 100 calls a second for `seconds`: every 100 ms one call for each of 10 workspaces in turn, so
 * each workspace has one a second. Each workspace sends as an SDK does: one request at a time,
 * the calls that came meanwhile in its next batch, so a slow gateway gets fewer, larger requests
 * rather than a pile of them. `trips` (workspace index → ms into the round) make that workspace's
 * call one of the tripwire agent; its time is when it was made, so queueing counts. Resolves with
 * the CPU both servers used.
 */
async function round(setup, seconds, label, trips = new Map()) {
  const { gateway, workspaces, postmaster } = setup;
  const random = seeded(seconds);
  const sentAt = new Map();
  /** When the gateway answered the request that carried each workspace's rule-breaking call (it had stored it). */
  const storedAt = new Map();
  const failures = [];
  let requests = 0;
  const progress = setInterval(() => say(`rules: ${label}: ${fmt(msSince(began) / 1000, 0)}/${seconds} s, ${requests} requests, ${sentAt.size}/${trips.size} rule-breaking calls made`), 15_000);
  const gatewayCpu = processCpu(gateway.pid);
  const pgCpu = postgresCpu(postmaster);
  const began = now();
  const queues = workspaces.map(() => ({ calls: [], sending: null }));
  const flush = (index) => {
    const queue = queues[index];
    if (queue.sending || queue.calls.length === 0) return;
    const inputs = queue.calls;
    queue.calls = [];
    requests++;
    const tripped = inputs.some((call) => call.agentId === TRIPWIRE_AGENT);
    queue.sending = post(gateway.port, workspaces[index].key, TRACK, { inputs })
      .then(() => tripped && storedAt.set(workspaces[index].id, now()))
      .catch((error) => failures.push({ calls: inputs.length, message: error.message }))
      .finally(() => {
        queue.sending = null;
        flush(index);
      });
  };
  const perTick = (CALLS_PER_SECOND * TICK_MS) / 1000;
  const tripsDue = [...trips.entries()].sort((a, b) => a[1] - b[1]);
  for (let tick = 0; tick < (seconds * 1000) / TICK_MS; tick++) {
    const due = tick * TICK_MS;
    if (due > msSince(began)) await new Promise((r) => setTimeout(r, due - msSince(began)));
    for (let i = 0; i < perTick; i++) {
      const index = (tick * perTick + i) % workspaces.length;
      const [call] = makeCalls(random, 1, new Date(), 1000, `${label}-${tick}-${i}`);
      if (tripsDue.length > 0 && tripsDue[0][0] === index && tripsDue[0][1] <= due) {
        tripsDue.shift();
        call.agentId = TRIPWIRE_AGENT;
        sentAt.set(workspaces[index].id, now());
      }
      queues[index].calls.push(call);
      flush(index);
    }
  }
  while (queues.some((q) => q.sending || q.calls.length > 0)) await Promise.all(queues.map((q) => q.sending));
  const elapsed = msSince(began) / 1000;
  clearInterval(progress);
  return { elapsed, requests, gatewayCpu: processCpu(gateway.pid) - gatewayCpu, pgCpu: postgresCpu(postmaster) - pgCpu, sentAt, storedAt, failures };
}

/**
 * One evaluation pass over every enabled rule, measured alone (no traffic): the batched engine
 * statements the gateway sends (measureRules), against the same rules measured one engine query
 * each, as evaluation was before batching. Wall time, this process's CPU (the engine's own
 * JavaScript) and PostgreSQL's, median of `runs` interleaved.
 */
async function passCosts(platform, postmaster, runs) {
  const { measureRules } = server('alert-rules/rule-evaluation');
  const { RULE_COLUMNS, toRuleRecord } = server('alert-rules/rules.service');
  const rules = (await platform.query(`SELECT ${RULE_COLUMNS} FROM alert_rules WHERE enabled`)).map(toRuleRecord);
  const time = async (work) => {
    const cpu = process.cpuUsage();
    const pg = postgresCpu(postmaster);
    const began = now();
    await work();
    const { user, system } = process.cpuUsage(cpu);
    return { ms: msSince(began), nodeMs: (user + system) / 1000, pgMs: (postgresCpu(postmaster) - pg) * 1000 };
  };
  const batched = [];
  const single = [];
  const batchedPass = () => measureRules(platform, rules, new Date());
  const singlePass = async () => {
    for (const rule of rules) await measureRules(platform, [rule], new Date());
  };
  await batchedPass();
  await singlePass();
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      batched.push(await time(batchedPass));
      single.push(await time(singlePass));
    } else {
      single.push(await time(singlePass));
      batched.push(await time(batchedPass));
    }
  }
  const mid = (list, key) => median(list.map((x) => x[key]));
  const summary = (list) => ({ ms: mid(list, 'ms'), nodeMs: mid(list, 'nodeMs'), pgMs: mid(list, 'pgMs') });
  return { rules: rules.length, batched: summary(batched), single: summary(single) };
}

export async function benchRules(postgres) {
  say(`rules: fresh database, gateway process; ${WORKSPACES} workspaces, ${CALLS_PER_SECOND} calls/s; baseline without rules for ${BASELINE_SECONDS} s, then ${WORKSPACES * RULES_PER_WORKSPACE} rules for ${SECONDS} s`);
  const url = await postgres.freshDatabase('rules');
  const gateway = await startGatewayProcess(url, { workspaceName: 'Rules workspace 000', env: { TALLY_WEBHOOK_ALLOW_PRIVATE: 'on' } });
  const { openDatabase } = server('db/data-source');
  const { createWorkspace } = server('workspaces/workspaces.service');
  const { createApiKey } = server('auth/auth.service');
  const { platformDb } = server('db/platform-db');
  const dataSource = await openDatabase(url, 2);
  await ensureRawMonths(dataSource);
  const secrets = new Map();
  const receiver = await startReceiver(secrets);
  try {
    const platform = platformDb(dataSource);
    const workspaces = [{ id: gateway.workspaceId, key: gateway.key }];
    for (let n = 1; n < WORKSPACES; n++) {
      const workspace = await createWorkspace(platform, `Rules workspace ${String(n).padStart(3, '0')}`, 'pro');
      workspaces.push({ id: workspace.id, key: await createApiKey(platform, workspace.id, 'MEMBER', 'bench') });
    }
    const [{ pid }] = await dataSource.query('SELECT pg_backend_pid() AS pid');
    const postmaster = parentOf(pid);
    const seedBegan = now();
    await seedHistory(dataSource, workspaces.map((w) => w.id), HISTORY_CALLS);
    say(`rules: ${fmt(HISTORY_CALLS, 0)} calls over the last 24 hours seeded with their rollups (${fmt(msSince(seedBegan) / 1000)} s)`);
    for (const workspace of workspaces) {
      const target = `http://127.0.0.1:${receiver.port}/hooks/${workspace.id}`;
      const { setNotificationChannel } = await post(gateway.port, workspace.key, SET_CHANNEL, { input: { kind: 'WEBHOOK', name: 'Receiver', target } });
      workspace.channelId = setNotificationChannel.id;
      secrets.set(workspace.id, setNotificationChannel.signingSecret);
    }
    const setup = { gateway, workspaces, postmaster };

    await round(setup, 10, 'warm-up');
    say('rules: baseline without rules');
    const baseline = await round(setup, BASELINE_SECONDS, 'no rules');

    const random = seeded(7);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const rules = [];
    for (const [n, workspace] of workspaces.entries()) {
      for (const [r, quiet] of QUIET_RULES.entries()) {
        rules.push({ key: workspace.key, input: { name: `rule ${n}.${r}`, ...quiet, windowMinutes: pick(WINDOWS), filter: pick(FILTERS), channelIds: [workspace.channelId] } });
      }
      rules.push({ key: workspace.key, input: { ...TRIPWIRE_RULE, channelIds: [workspace.channelId] } });
    }
    const batches = new Set(rules.map((r) => `${r.input.windowMinutes} ${JSON.stringify(r.input.filter)}`)).size;
    const batchesPerWorkspace =
      workspaces.reduce((sum, w) => sum + new Set(rules.filter((r) => r.key === w.key).map((r) => `${r.input.windowMinutes} ${JSON.stringify(r.input.filter)}`)).size, 0) /
      workspaces.length;
    for (const [i, { key, input }] of rules.entries()) {
      await post(gateway.port, key, SET_RULE, { input });
      if ((i + 1) % 250 === 0) say(`rules: ${i + 1}/${rules.length} rules set`);
    }

    // Each workspace's tripwire call goes out once, spread over the round after its first sweep.
    const trips = new Map(workspaces.map((_, i) => [i, 5_000 + Math.floor((i * (SECONDS - 10) * 1000) / workspaces.length)]));
    const receivedBefore = receiver.arrivals.length;
    const measured = await round(setup, SECONDS, `${rules.length} rules`, trips);
    for (const began = Date.now(); receiver.arrivals.filter((a) => a.rule === 'tripwire').length < measured.sentAt.size && Date.now() - began < 30_000; ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const latencies = [];
    // The two legs: the call's request until the gateway answered it, and that answer until the webhook.
    const toStored = [];
    const fromStored = [];
    for (const arrival of receiver.arrivals.slice(receivedBefore)) {
      const sent = measured.sentAt.get(arrival.workspace);
      const stored = measured.storedAt.get(arrival.workspace);
      if (arrival.rule !== 'tripwire' || arrival.type !== 'alert.raised' || sent === undefined) continue;
      latencies.push(Number(arrival.at - sent) / 1e6);
      if (stored !== undefined) {
        toStored.push(Number(stored - sent) / 1e6);
        fromStored.push(Number(arrival.at - stored) / 1e6);
      }
    }
    for (const list of [latencies, toStored, fromStored]) list.sort((a, b) => a - b);
    const others = receiver.arrivals.slice(receivedBefore).filter((a) => a.kind === 'RULE' && a.rule !== 'tripwire').length;
    const builtIn = receiver.arrivals.slice(receivedBefore).filter((a) => a.kind !== 'RULE').length;
    say('rules: one evaluation pass of every rule, batched and one query per rule, without traffic');
    const passCost = await passCosts(platform, postmaster, 5);
    const [{ evaluated }] = await dataSource.query(`SELECT count(*)::int AS evaluated FROM alert_rules WHERE enabled AND last_evaluated_at > now() - interval '40 seconds'`);

    // Per second of traffic (each round lasts as long as its calls took to be answered).
    const share = (run) => ({ gateway: run.gatewayCpu / run.elapsed, postgres: run.pgCpu / run.elapsed });
    const base = share(baseline);
    const withRules = share(measured);
    const added = { gateway: withRules.gateway - base.gateway, postgres: withRules.postgres - base.postgres };
    const addedTotal = added.gateway + added.postgres;
    const p99 = percentile(latencies, 0.99);
    const lost = measured.sentAt.size - latencies.length;
    const pass = addedTotal < TARGET_SHARE && p99 < TARGET_P99_MS && lost === 0 && measured.failures.length === 0;
    const pct = (x) => `${fmt(x * 100)}%`;
    const lines = [
      `rules — ${rules.length} enabled rules over ${WORKSPACES} workspaces (${batches} distinct window+filter pairs overall, ${fmt(batchesPerWorkspace)} per workspace), ` +
        `${CALLS_PER_SECOND} calls/s (1/s per workspace), sweep every 30 s, ${fmt(HISTORY_CALLS, 0)} calls of history in the last 24 h; gateway in its own process`,
      `  evaluation:    gateway ${pct(added.gateway)} + PostgreSQL ${pct(added.postgres)} = ${pct(addedTotal)} of one core added by the rules (target < ${pct(TARGET_SHARE)})  ${verdict(addedTotal < TARGET_SHARE)}`,
      `  one pass:      all ${passCost.rules} rules measured alone (no traffic), median of 5: batched ${fmt(passCost.batched.ms, 0)} ms wall, ` +
        `${fmt(passCost.batched.nodeMs, 0)} ms engine CPU + ${fmt(passCost.batched.pgMs, 0)} ms PostgreSQL CPU; one query per rule ${fmt(passCost.single.ms, 0)} ms wall, ` +
        `${fmt(passCost.single.nodeMs, 0)} + ${fmt(passCost.single.pgMs, 0)} ms CPU (batched ${fmt(passCost.single.ms / passCost.batched.ms, 1)}× faster). ` +
        `The sweep makes a pass every 30 s: ${pct((passCost.batched.nodeMs + passCost.batched.pgMs) / 1000 / 30)} of one core batched; ` +
        `a pass every second, as when every rule was measured after every call, would be ${pct(((passCost.batched.nodeMs + passCost.batched.pgMs) / 1000) * (1 + 1 / 30))}`,
      `  baseline:      the same traffic without rules: gateway ${pct(base.gateway)}, PostgreSQL ${pct(base.postgres)} of one core over ${fmt(baseline.elapsed, 0)} s; ` +
        `with rules: gateway ${pct(withRules.gateway)}, PostgreSQL ${pct(withRules.postgres)} over ${fmt(measured.elapsed, 0)} s (ratio ${fmt((withRules.gateway + withRules.postgres) / (base.gateway + base.postgres), 2)}×)`,
      `  breaking call → webhook: p50 ${fmt(percentile(latencies, 0.5), 0)} ms, p99 ${fmt(p99, 0)} ms, max ${fmt(latencies.at(-1) ?? NaN, 0)} ms over ${latencies.length} alerts ` +
        `(target p99 < ${TARGET_P99_MS} ms)  ${verdict(p99 < TARGET_P99_MS)}; of which call → stored (the request answered) p50 ${fmt(percentile(toStored, 0.5), 0)} ms, ` +
        `p99 ${fmt(percentile(toStored, 0.99), 0)} ms, stored → webhook p50 ${fmt(percentile(fromStored, 0.5), 0)} ms, p99 ${fmt(percentile(fromStored, 0.99), 0)} ms`,
      `  checks:        ${lost} rule-breaking calls without a webhook, ${others} webhooks from the quiet rules (expected 0), ${builtIn} from built-in alerts, ${receiver.refused.length} bad signatures, ` +
        `${[...measured.failures, ...baseline.failures].reduce((sum, f) => sum + f.calls, 0)} calls refused${measured.failures[0] ? ` (${measured.failures[0].message.slice(0, 120)})` : ''}; ` +
        `${evaluated} rules evaluated in the last 40 s; requests: ${baseline.requests} without rules, ${measured.requests} with (the calls batch up when the gateway answers slowly)`,
    ];
    return { name: 'rules', pass, lines };
  } finally {
    await receiver.close();
    await dataSource.destroy();
    for (const client of clients.values()) client.close();
    await gateway.stop();
  }
}
