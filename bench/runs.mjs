// Runs: the runs list in each order, one run of 30 calls, workflowStats and agentAnalytics over
// HTTP, on a workspace whose calls are grouped ten to a run, with the runs table built by the
// same grouping ingest makes; each against the same figures computed on the raw rows.
import { generate } from './dashboard.mjs';
import { fmt, median, msSince, now, say, server, startBenchGateway, verdict, timeRuns as timed, tracedLines } from './support.mjs';

const TARGETS = { page: 50, run: 20, workflows: 50, agents: 100 };
const WORKFLOWS = ['nightly report', 'ticket triage', 'research', 'lead enrichment', 'code review'];

const PAGE = (order) => `query Page { runs(period: LAST_90D, orderBy: ${order}, limit: 50) {
  runs { id workflow startedAt endedAt durationMs callCount inputTokens outputTokens totalCost errorCount status models agents { id name } } nextCursor } }`;
const RUN = `query Run { run(id: "bench-thirty") { id workflow startedAt durationMs callCount totalCost status models agents { id name }
  calls { id occurredAt modelId inputTokens outputTokens totalCost latencyMs status errorType } } }`;
const WORKFLOW_STATS = `query Workflows { workflowStats(period: LAST_90D) { workflow runs successRate avgDurationMs p95DurationMs totalCost costPerRun } }`;
const AGENT_ANALYTICS = `query Agents { agentAnalytics(period: LAST_30D) { agent { id name } requests totalCost totalTokens errorRate p95LatencyMs runs lastCallAt
  models { key requests totalCost } dailyCost { date cost } } }`;

const RAW_RUNS_BY_START = `SELECT execution_id, min(occurred_at - latency_ms * interval '1 millisecond') AS started_at, sum(total_cost) AS cost
  FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 50`;
const RAW_WORKFLOWS = `SELECT workflow, count(*), percentile_cont(0.95) WITHIN GROUP (ORDER BY d) FROM (
    SELECT execution_id, min(workflow) AS workflow, extract(epoch FROM max(occurred_at) - min(occurred_at - latency_ms * interval '1 millisecond')) AS d
    FROM llm_usage WHERE workspace_id = $1 AND execution_id IS NOT NULL GROUP BY 1) r GROUP BY 1`;

const timeRuns = (label, runs, warmup, run) => timed(`runs: ${label}`, runs, warmup, run);

export async function benchRuns(postgres, options = {}) {
  const { mainCalls = 1_000_000, runs = 21, warmup = 3, slices = 10, explainAlways = false } = options;
  const otherCalls = mainCalls / 10;
  say(`runs: fresh database; generating ${fmt(mainCalls, 0)} calls over 90 days (+ ${fmt(otherCalls, 0)} in each of two other workspaces), ten to a run`);
  const url = await postgres.freshDatabase('runs');
  const gw = await startBenchGateway(url, { workspaceName: 'Busy workspace', env: { LIMIT_REQUESTS_PER_SECOND: '0' } });
  try {
    const db = gw.dataSource;
    const { createWorkspace } = server('workspaces/workspaces.service');
    const others = [await createWorkspace(db, 'Second workspace', 'pro'), await createWorkspace(db, 'Third workspace', 'pro')];
    const workspaceIds = [gw.workspaceId, ...others.map((w) => w.id)];
    const generation = await generate(db, workspaceIds, { mainCalls, otherCalls, slices, end: new Date() });
    const groupBegan = now();
    // Ten calls of neighbouring ids (close in time) make a run; the main workspace's latest 30 calls make one run of 30.
    await db.query(`UPDATE llm_usage SET execution_id = 'run-' || (id / 10), workflow = ('{${WORKFLOWS.map((w) => `"${w}"`).join(',')}}'::text[])[1 + (id / 10) % ${WORKFLOWS.length}]`);
    await db.query(
      `UPDATE llm_usage SET execution_id = 'bench-thirty' WHERE workspace_id = $1 AND id IN (SELECT id FROM llm_usage WHERE workspace_id = $1 ORDER BY occurred_at DESC LIMIT 30)`,
      [gw.workspaceId],
    );
    await db.query(`DELETE FROM runs`);
    await db.query(`
      INSERT INTO runs (workspace_id, execution_id, workflow, started_at, ended_at, calls, errors, input_tokens, output_tokens, total_cost, agent_ids, models)
      SELECT workspace_id, execution_id, min(workflow), min(occurred_at - coalesce(latency_ms, 0) * interval '1 millisecond'), max(occurred_at),
        count(*), count(*) FILTER (WHERE status = 'ERROR'), sum(input_tokens), sum(output_tokens), sum(total_cost),
        coalesce(array_agg(DISTINCT agent_id::text) FILTER (WHERE agent_id IS NOT NULL), '{}'), array_agg(DISTINCT model_id)
      FROM llm_usage WHERE execution_id IS NOT NULL GROUP BY workspace_id, execution_id`);
    await db.query(`VACUUM ANALYZE llm_usage, runs`);
    const groupSeconds = msSince(groupBegan) / 1000;
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM llm_usage WHERE workspace_id = $1)::int AS raw, (SELECT count(*) FROM runs WHERE workspace_id = $1)::int AS runs,
        (SELECT count(*) FROM runs)::int AS all_runs, pg_size_pretty(pg_total_relation_size('runs')) AS runs_size`,
      [gw.workspaceId],
    );
    say(`runs: ${fmt(counts.raw, 0)} calls in ${fmt(counts.runs, 0)} runs in the busy workspace; grouped in ${fmt(groupSeconds)} s`);

    const results = [];
    const measure = async (name, query, target, check) => {
      let answer;
      const times = await timeRuns(name, runs, warmup, async () => (answer = await gw.gql(query)));
      results.push({ name, query, target, http: median(times), min: Math.min(...times), note: check(answer) });
    };
    for (const order of ['STARTED_AT', 'COST', 'DURATION', 'CALLS']) {
      await measure(`runs(LAST_90D, orderBy: ${order}, limit: 50) first page`, PAGE(order), TARGETS.page, (a) => `${a.runs.runs.length} runs`);
    }
    await measure('run(id) of 30 calls, with its calls and agents', RUN, TARGETS.run, (a) => `${a.run.callCount} calls, ${a.run.calls.length} listed`);
    await measure('workflowStats(LAST_90D)', WORKFLOW_STATS, TARGETS.workflows, (a) => `${a.workflowStats.length} workflows, ${fmt(a.workflowStats.reduce((s, w) => s + w.runs, 0), 0)} runs`);
    await measure('agentAnalytics(LAST_30D)', AGENT_ANALYTICS, TARGETS.agents, (a) => `${a.agentAnalytics.length} agents, ${a.agentAnalytics[0]?.dailyCost.length} days each`);

    const range = [gw.workspaceId];
    const rawStart = await timeRuns('raw SQL: first page by start', 3, 1, () => db.query(RAW_RUNS_BY_START, range));
    const rawWorkflows = await timeRuns('raw SQL: workflow stats', 3, 1, () => db.query(RAW_WORKFLOWS, range));

    const lines = [
      `runs: busy workspace with ${fmt(counts.raw, 0)} calls in ${fmt(counts.runs, 0)} runs over 90 days (${fmt(counts.all_runs, 0)} runs in all, runs table ${counts.runs_size})`,
      `  generation: ${fmt(generation.rawSeconds)} s raw rows, ${fmt(generation.rollupSeconds)} s rollups, ${fmt(groupSeconds)} s grouping into runs and VACUUM ANALYZE`,
    ];
    for (const r of results) {
      r.fast = r.http < r.target;
      lines.push(`  ${r.name}: HTTP median ${fmt(r.http)} ms (${runs} runs after ${warmup} warm-up; min ${fmt(r.min)} ms; ${r.note}) target < ${r.target} ms  ${verdict(r.fast)}`);
    }
    lines.push(
      `  baseline on raw rows: first page by start ${fmt(median(rawStart))} ms, workflow stats ${fmt(median(rawWorkflows))} ms (3 runs each)`,
    );
    const pass = results.every((r) => r.fast);
    for (const r of results) {
      if (r.fast && !explainAlways) continue;
      lines.push(...(await tracedLines(gw, db, r.name, r.query, /FROM runs|llm_usage/)));
    }
    return { name: 'runs', pass, lines };
  } finally {
    await gw.stop();
  }
}
