import { MigrationInterface, QueryRunner } from 'typeorm';

export class Budgets1764202000000 implements MigrationInterface {
  name = 'Budgets1764202000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE budgets (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        amount numeric NOT NULL CHECK (amount > 0),
        budget_window text NOT NULL CHECK (budget_window IN ('DAY', 'WEEK', 'MONTH')),
        agent_id varchar(128) NOT NULL DEFAULT '',
        model_id text NOT NULL DEFAULT '',
        thresholds numeric[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, budget_window, agent_id, model_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE budgets`);
  }
}
