import { MigrationInterface, QueryRunner } from 'typeorm';

/** Months created ahead of the current one here; the gateway keeps as many ahead every hour. */
const MONTHS_AHEAD = 2;

/**
 * Raw calls partitioned by month of `occurred_at` (UTC), so that retention drops a month whole
 * when every workspace in it is past its cut, instead of deleting its rows one by one, and reads
 * of a range touch only its months.
 *
 * A unique key of a partitioned table must hold its partition key, so `(workspace_id, event_id)`
 * moves to a narrow table of its own, `llm_usage_event_ids`: ingest inserts a call's event id
 * there first and stores the call only when the id is new, whatever month a resend is dated.
 * The primary key becomes `(workspace_id, id, occurred_at)`.
 *
 * `tally_ensure_partitions(from, to)` (run as its owner, by the request and platform roles)
 * creates the months from `from` to `to` that are missing:
 * each as a table of its own, attached (which takes a lock that ingest and reads do not wait
 * for, unlike CREATE TABLE … PARTITION OF) and protected like every tenant table; a month's
 * table that exists detached is attached again.
 */
export class TimePartitions1765100000000 implements MigrationInterface {
  name = 'TimePartitions1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
    await q.query(`ALTER TABLE llm_usage RENAME TO llm_usage_unpartitioned`);
    await q.query(`
      CREATE TABLE llm_usage (LIKE llm_usage_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)
      PARTITION BY RANGE (occurred_at)`);
    await q.query(`
      CREATE FUNCTION tally_ensure_partitions(first_at timestamptz, last_at timestamptz) RETURNS integer LANGUAGE plpgsql
      SECURITY DEFINER SET search_path = public AS $fn$
      DECLARE
        month timestamptz := date_trunc('month', first_at, 'UTC');
        next_month timestamptz;
        partition_name text;
        created integer := 0;
      BEGIN
        -- Two gateways creating the same month: the second finds it made.
        PERFORM pg_advisory_xact_lock(hashtext('tally_ensure_partitions'));
        WHILE month <= last_at LOOP
          next_month := (month AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
          partition_name := 'llm_usage_' || to_char(month AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
          IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I (LIKE llm_usage INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', partition_name);
            EXECUTE format('ALTER TABLE llm_usage ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', partition_name, month, next_month);
            PERFORM tally_protect(partition_name::regclass);
            created := created + 1;
          ELSIF NOT (SELECT relispartition FROM pg_class WHERE oid = to_regclass(partition_name)) THEN
            -- A month retention detached and did not drop: it holds calls, so it goes back.
            EXECUTE format('ALTER TABLE llm_usage ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', partition_name, month, next_month);
            created := created + 1;
          END IF;
          month := next_month;
        END LOOP;
        RETURN created;
      END $fn$`);
    // Run as its owner (only the owner may attach), by the two request roles: a serving role that
    // owns nothing (DATABASE_MIGRATION_URL apart) still makes the months its calls need.
    await q.query(`REVOKE EXECUTE ON FUNCTION tally_ensure_partitions(timestamptz, timestamptz) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION tally_ensure_partitions(timestamptz, timestamptz) TO tally_app, tally_platform`);
    await q.query(`
      SELECT tally_ensure_partitions(least(min(occurred_at), now()), greatest(max(occurred_at), now() + interval '${MONTHS_AHEAD} months'))
      FROM llm_usage_unpartitioned`);
    await q.query(`INSERT INTO llm_usage OVERRIDING SYSTEM VALUE SELECT * FROM llm_usage_unpartitioned`);
    await q.query(`SELECT setval(pg_get_serial_sequence('llm_usage', 'id'), coalesce(max(id), 0) + 1, false) FROM llm_usage`);

    await q.query(`
      CREATE TABLE llm_usage_event_ids (
        workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        event_id text NOT NULL,
        occurred_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, event_id)
      )`);
    await q.query(`CREATE INDEX llm_usage_event_ids_at ON llm_usage_event_ids (workspace_id, occurred_at)`);
    await q.query(`
      INSERT INTO llm_usage_event_ids (workspace_id, event_id, occurred_at)
      SELECT workspace_id, event_id, occurred_at FROM llm_usage_unpartitioned WHERE event_id IS NOT NULL`);
    await q.query(`DROP TABLE llm_usage_unpartitioned`);
    // Keys and indexes once the rows are in (and the old table's names are free): each partition gets its own.
    await q.query(`ALTER TABLE llm_usage ADD PRIMARY KEY (workspace_id, id, occurred_at)`);
    await q.query(`ALTER TABLE llm_usage ADD FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX llm_usage_time ON llm_usage (workspace_id, occurred_at)`);
    await q.query(`CREATE INDEX llm_usage_user ON llm_usage (workspace_id, user_id, occurred_at) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX llm_usage_tags ON llm_usage USING gin (tags)`);
    await q.query(`CREATE INDEX llm_usage_metadata ON llm_usage USING gin (metadata jsonb_path_ops) WHERE metadata IS NOT NULL`);
    await q.query(`SELECT tally_protect('llm_usage')`);
    await q.query(`SELECT tally_protect('llm_usage_event_ids')`);
    await q.query(`ANALYZE llm_usage, llm_usage_event_ids`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT set_config('app.all_workspaces', 'on', true)`);
    await q.query(`ALTER TABLE llm_usage RENAME TO llm_usage_partitioned`);
    await q.query(`CREATE TABLE llm_usage (LIKE llm_usage_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)`);
    await q.query(`INSERT INTO llm_usage OVERRIDING SYSTEM VALUE SELECT * FROM llm_usage_partitioned`);
    await q.query(`SELECT setval(pg_get_serial_sequence('llm_usage', 'id'), coalesce(max(id), 0) + 1, false) FROM llm_usage`);
    await q.query(`DROP TABLE llm_usage_partitioned, llm_usage_event_ids`);
    await q.query(`ALTER TABLE llm_usage ADD PRIMARY KEY (workspace_id, id)`);
    await q.query(`ALTER TABLE llm_usage ADD FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE llm_usage ADD UNIQUE (workspace_id, event_id)`);
    await q.query(`DROP FUNCTION tally_ensure_partitions(timestamptz, timestamptz)`);
    await q.query(`CREATE INDEX llm_usage_time ON llm_usage (workspace_id, occurred_at)`);
    await q.query(`CREATE INDEX llm_usage_user ON llm_usage (workspace_id, user_id, occurred_at) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX llm_usage_tags ON llm_usage USING gin (tags)`);
    await q.query(`CREATE INDEX llm_usage_metadata ON llm_usage USING gin (metadata jsonb_path_ops) WHERE metadata IS NOT NULL`);
    await q.query(`SELECT tally_protect('llm_usage')`);
  }
}
