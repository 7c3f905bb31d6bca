import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Calls name the end user they were made for, the session, and tags. Raw rows keep them as
 * columns (tags as an array, never NULL), with the indexes the engine's raw reads use: a user's
 * calls by time, GIN on tags (`@>`), and `jsonb_path_ops` GIN on metadata (`@>` on key/value pairs).
 * A budget may cap one end user's spend: its user is one more part of its target ('' for none).
 * A run keeps the end users its calls name (`runs.user_ids`, like its agents), so runs filter by user.
 */
export class Attribution1764700000000 implements MigrationInterface {
  name = 'Attribution1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE llm_usage ADD COLUMN user_id text, ADD COLUMN session_id text, ADD COLUMN tags text[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX llm_usage_user ON llm_usage (workspace_id, user_id, occurred_at) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX llm_usage_tags ON llm_usage USING gin (tags)`);
    await q.query(`CREATE INDEX llm_usage_metadata ON llm_usage USING gin (metadata jsonb_path_ops) WHERE metadata IS NOT NULL`);
    await q.query(`ALTER TABLE runs ADD COLUMN user_ids text[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE budgets ADD COLUMN user_id text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE budgets DROP CONSTRAINT budgets_workspace_id_budget_window_agent_id_model_id_key`);
    await q.query(`ALTER TABLE budgets ADD CONSTRAINT budgets_target UNIQUE (workspace_id, budget_window, agent_id, model_id, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM budgets WHERE user_id <> ''`);
    await q.query(`ALTER TABLE budgets DROP CONSTRAINT budgets_target`);
    await q.query(`ALTER TABLE budgets DROP COLUMN user_id`);
    await q.query(`ALTER TABLE runs DROP COLUMN user_ids`);
    await q.query(`ALTER TABLE budgets ADD UNIQUE (workspace_id, budget_window, agent_id, model_id)`);
    await q.query(`DROP INDEX llm_usage_metadata`);
    await q.query(`DROP INDEX llm_usage_tags`);
    await q.query(`DROP INDEX llm_usage_user`);
    await q.query(`ALTER TABLE llm_usage DROP COLUMN user_id, DROP COLUMN session_id, DROP COLUMN tags`);
  }
}
