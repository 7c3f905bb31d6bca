import { MigrationInterface, QueryRunner } from 'typeorm';
import { HISTOGRAM_COLUMNS as HISTOGRAM, MONEY_COLUMNS as MONEY, SUMMED_COLUMNS as SUMMED } from './frozen-rollup-columns';

/**
 * A daily rollup keyed by agent, model, provider and status: agentAnalytics reads a month by
 * agent and model with percentiles, which the full daily rollup holds in hundreds of rows a day.
 * Filled by summing the full daily rollup (it holds every day retention has kept in rollups
 * alone). Plain SQL with its own lists: what the live code declares may change.
 */
const KEYS = ['workspace_id', 'start_at', 'agent_id', 'model_id', 'provider', 'status'];

export class DailyAgentRollup1764700200000 implements MigrationInterface {
  name = 'DailyAgentRollup1764700200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
    await q.query(`
      CREATE TABLE llm_usage_daily_agent (
        workspace_id uuid NOT NULL,
        start_at timestamptz NOT NULL,
        agent_id text NOT NULL,
        model_id text NOT NULL,
        provider text NOT NULL,
        status text NOT NULL,
        ${SUMMED.map((c) => `${c} ${MONEY.has(c) ? 'numeric' : 'bigint'} NOT NULL`).join(', ')},
        ${HISTOGRAM.map((h) => `${h} bigint NOT NULL DEFAULT 0`).join(', ')},
        PRIMARY KEY (${KEYS.join(', ')})
      )`);
    await q.query(`
      INSERT INTO llm_usage_daily_agent (${[...KEYS, ...SUMMED, ...HISTOGRAM].join(', ')})
      SELECT ${KEYS.join(', ')}, ${[...SUMMED, ...HISTOGRAM].map((c) => `sum(${c})`).join(', ')}
      FROM llm_usage_daily GROUP BY ${KEYS.join(', ')}`);
    await q.query(`SELECT tally_protect('llm_usage_daily_agent')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE llm_usage_daily_agent`);
  }
}
