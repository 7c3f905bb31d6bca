import { createWorkspace } from '../src/workspaces/workspaces.service';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { HISTOGRAM_COLUMNS } from '../src/ingest/rollup';
import { MIGRATIONS } from '../src/db/data-source';
import { NarrowWorkflowRollups1764900000000 } from '../src/db/migrations/1764900000000-NarrowWorkflowRollups';
import { createTestDatabase, type TestDatabase } from './support/database';
import { driftFromRawRows } from './support/stored-calls';

const NOW = new Date('2026-07-01T12:00:00Z');
const HOUR = 3_600_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.dispose());

const call = (i: number): LlmCallInputValues => ({
  modelId: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
  provider: 'openai',
  agentId: i % 3 ? 'planner' : null,
  workflow: [null, 'triage', 'nightly report'][i % 3],
  executionId: `run-${Math.floor(i / 4)}`,
  status: i % 5 ? 'SUCCESS' : 'ERROR',
  requestType: 'chat',
  latencyMs: 100 + ((i * 397) % 9000),
  inputTokens: 100 + i,
  outputTokens: 10 + i,
  occurredAt: new Date(NOW.getTime() - 1 - (i % 60) * HOUR),
});

const FULL_KEYS = 'workspace_id, start_at, model_id, provider, agent_id, tier, is_byok, request_type, status, workflow';
const SUMS = `sum(request_count), sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
  sum(input_cost), sum(output_cost), sum(total_cost), sum(CASE WHEN priced THEN 0 ELSE request_count END), count(latency_ms), coalesce(sum(latency_ms), 0),
  ${HISTOGRAM_COLUMNS.map((_, i) => `count(*) FILTER (WHERE tally_latency_bucket(latency_ms) = ${i})`).join(', ')}`;
const COLUMNS = `${FULL_KEYS}, request_count, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
  input_cost, output_cost, total_cost, unpriced_count, latency_count, latency_sum, ${HISTOGRAM_COLUMNS.join(', ')}`;

describe('the migration that gives the workflow rollups of its own', () => {
  it('keeps every rollup equal to the raw calls, from full rollups that held the workflow as a key', async () => {
    const workspace = await createWorkspace(db.platform, 'Workflows before', 'pro');
    expect((await ingestCalls(db.dataSource, workspace.id, Array.from({ length: 240 }, (_, i) => call(i)), NOW)).rejected).toEqual([]);

    // Back to the schema before it (and before every later one: the workflows' days, which the runs then fill
    // again, and the users' totals), with the full rollups as ingest then kept them: the workflow one more key.
    for (let i = MIGRATIONS.indexOf(NarrowWorkflowRollups1764900000000); i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
    const [{ names }] = await db.dataSource.query(`SELECT array_agg(name ORDER BY id DESC) AS names FROM migrations`);
    expect(names[0]).toBe(MIGRATIONS[MIGRATIONS.indexOf(NarrowWorkflowRollups1764900000000) - 1].name);
    await db.dataSource.transaction(async (m) => {
      await m.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
      for (const [table, grain] of [['llm_usage_hourly', 'hour'], ['llm_usage_daily', 'day']]) {
        await m.query(`DELETE FROM ${table}`);
        await m.query(`INSERT INTO ${table} (${COLUMNS})
          SELECT workspace_id, date_trunc('${grain}', occurred_at, 'UTC'), model_id, provider, coalesce(agent_id, ''), coalesce(tier, ''), is_byok, request_type, status,
            coalesce(workflow, ''), ${SUMS}
          FROM llm_usage GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`);
      }
      const [{ workflows }] = await m.query(`SELECT count(DISTINCT workflow)::int AS workflows FROM llm_usage_hourly`);
      expect(workflows).toBe(3);
    });

    await db.dataSource.runMigrations({ transaction: 'each' });
    expect(await driftFromRawRows(db.platform, workspace.id)).toEqual([]);
    const workflows = await db.platform.query(
      `SELECT workflow, sum(request_count)::int AS requests FROM llm_usage_daily_workflow WHERE workspace_id = $1 GROUP BY 1 ORDER BY 1`,
      [workspace.id],
    );
    expect(workflows).toEqual([
      { workflow: '', requests: 80 },
      { workflow: 'nightly report', requests: 80 },
      { workflow: 'triage', requests: 80 },
    ]);
  });
});
