import { MigrationInterface, QueryRunner } from 'typeorm';
import { EMPTY_HISTOGRAM_LITERAL, LATENCY_BUCKET_SQL } from './frozen-rollups';

const ROLLUP_COLUMNS = `
  workspace_id uuid NOT NULL,
  start_at timestamptz NOT NULL,
  model_id text NOT NULL,
  provider text NOT NULL,
  agent_id text NOT NULL,
  tier text NOT NULL,
  is_byok boolean NOT NULL,
  request_type text NOT NULL,
  status text NOT NULL,
  request_count bigint NOT NULL,
  input_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cache_read_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL,
  input_cost numeric NOT NULL,
  output_cost numeric NOT NULL,
  total_cost numeric NOT NULL,
  unpriced_count bigint NOT NULL,
  latency_count bigint NOT NULL,
  latency_sum bigint NOT NULL,
  latency_hist int[] NOT NULL,
  PRIMARY KEY (workspace_id, start_at, model_id, provider, agent_id, tier, is_byok, request_type, status)`;

export class Initial1764201600000 implements MigrationInterface {
  name = 'Initial1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workspaces (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        plan text NOT NULL DEFAULT 'free',
        timezone text NOT NULL DEFAULT 'UTC',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id uuid NOT NULL,
        key_hash text NOT NULL,
        prefix text NOT NULL,
        role text NOT NULL CHECK (role IN ('MEMBER', 'ADMIN')),
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, key_hash)
      )`);
    await q.query(`CREATE INDEX api_keys_hash ON api_keys (key_hash)`);
    await q.query(`
      CREATE TABLE agents (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id varchar(128) NOT NULL,
        name text NOT NULL,
        model_usage_stats jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE llm_usage (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id bigint GENERATED ALWAYS AS IDENTITY,
        event_id text,
        occurred_at timestamptz NOT NULL,
        model_id text NOT NULL,
        provider text NOT NULL,
        tier text,
        input_tokens bigint NOT NULL,
        output_tokens bigint NOT NULL,
        cache_read_tokens bigint NOT NULL DEFAULT 0,
        cache_write_tokens bigint NOT NULL DEFAULT 0,
        reasoning_tokens bigint NOT NULL DEFAULT 0,
        input_cost numeric NOT NULL,
        output_cost numeric NOT NULL,
        total_cost numeric NOT NULL,
        priced boolean NOT NULL,
        price_source text,
        latency_ms integer,
        status text NOT NULL CHECK (status IN ('SUCCESS', 'ERROR')),
        error_type text,
        is_byok boolean NOT NULL DEFAULT false,
        agent_id varchar(128),
        execution_id text,
        request_type text NOT NULL,
        request_count integer NOT NULL DEFAULT 1,
        metadata jsonb,
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, event_id)
      )`);
    await q.query(`CREATE INDEX llm_usage_time ON llm_usage (workspace_id, occurred_at)`);
    await q.query(`CREATE TABLE llm_usage_hourly (${ROLLUP_COLUMNS})`);
    await q.query(`CREATE TABLE llm_usage_daily (${ROLLUP_COLUMNS})`);
    await q.query(`
      CREATE TABLE model_price_overrides (
        workspace_id uuid NOT NULL,
        provider text NOT NULL,
        model_id text NOT NULL,
        input_per_mtok numeric NOT NULL,
        output_per_mtok numeric NOT NULL,
        cache_read_per_mtok numeric,
        cache_write_per_mtok numeric,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, provider, model_id)
      )`);

    await q.query(`
      CREATE FUNCTION tally_latency_bucket(latency integer) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${LATENCY_BUCKET_SQL('latency')} $$`);
    await q.query(`
      CREATE FUNCTION tally_hist_add(hist integer[], latency integer) RETURNS integer[]
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE i integer;
      BEGIN
        IF latency IS NULL THEN RETURN hist; END IF;
        i := tally_latency_bucket(latency) + 1;
        hist[i] := hist[i] + 1;
        RETURN hist;
      END $$`);
    await q.query(`
      CREATE AGGREGATE tally_hist(integer) (
        sfunc = tally_hist_add, stype = integer[], initcond = '${EMPTY_HISTOGRAM_LITERAL}'
      )`);
    await q.query(`
      CREATE FUNCTION tally_hist_merge(a integer[], b integer[]) RETURNS integer[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION tally_hist_merge(integer[], integer[])`);
    await q.query(`DROP AGGREGATE tally_hist(integer)`);
    await q.query(`DROP FUNCTION tally_hist_add(integer[], integer)`);
    await q.query(`DROP FUNCTION tally_latency_bucket(integer)`);
    for (const table of ['model_price_overrides', 'llm_usage_daily', 'llm_usage_hourly', 'llm_usage', 'agents', 'api_keys', 'workspaces']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
