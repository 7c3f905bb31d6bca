import { WRITE_ATTEMPTS } from '../src/db/lock-conflicts';
import { LOCK_ORDER, LockSteps } from '../src/db/lock-order';
import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // Apart from the schema's own tables, which LOCK_ORDER lists.
  await server.db.dataSource.query(`CREATE SCHEMA scratch; CREATE TABLE scratch.race_pair (id int PRIMARY KEY, writes int NOT NULL)`);
  await server.db.dataSource.query(`INSERT INTO scratch.race_pair VALUES (1, 0), (2, 0)`);
  await server.db.dataSource.query(`GRANT USAGE ON SCHEMA scratch TO tally_platform; GRANT SELECT, UPDATE ON scratch.race_pair TO tally_platform`);
});
afterAll(() => server.dispose());

/** Resolves once `count` callers have arrived. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === count) open();
    return opened;
  };
}

const failWith = (sqlstate: string) => `DO $$ BEGIN RAISE EXCEPTION 'made to fail' USING ERRCODE = '${sqlstate}'; END $$`;

describe('a write transaction (here on the platform path)', () => {
  it('runs a transaction PostgreSQL aborted to break a deadlock again, so both writers land', async () => {
    const bothHoldOne = barrier(2);
    const attempts = [0, 0];
    // Two writers lock the same two rows in opposite orders: exactly what LOCK_ORDER forbids.
    const write = (writer: number, first: number, second: number) =>
      server.db.platform.transaction(async (m) => {
        attempts[writer]++;
        await m.query(`UPDATE scratch.race_pair SET writes = writes + 1 WHERE id = $1`, [first]);
        if (attempts[writer] === 1) await bothHoldOne();
        await m.query(`UPDATE scratch.race_pair SET writes = writes + 1 WHERE id = $1`, [second]);
      });
    await Promise.all([write(0, 1, 2), write(1, 2, 1)]);
    expect(attempts.sort()).toEqual([1, 2]);
    expect(await server.db.dataSource.query(`SELECT id, writes FROM scratch.race_pair ORDER BY id`)).toEqual([
      { id: 1, writes: 2 },
      { id: 2, writes: 2 },
    ]);
  });

  it.each(['40P01', '40001'])('gives up after %s keeps coming back, passing the last one on', async (sqlstate) => {
    let attempts = 0;
    const outcome = server.db.platform.transaction(async (m) => {
      attempts++;
      await m.query(failWith(sqlstate));
    });
    await expect(outcome).rejects.toMatchObject({ code: sqlstate });
    expect(attempts).toBe(WRITE_ATTEMPTS);
  });

  it('never runs a transaction again for any other failure', async () => {
    let attempts = 0;
    const outcome = server.db.platform.transaction(async (m) => {
      attempts++;
      await m.query(failWith('23505'));
    });
    await expect(outcome).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});

describe('a request whose write meets deadlocks', () => {
  /** Makes the workspace's next `failures` raw-row inserts fail as deadlock victims (a sequence counts them; a rollback does not undo it). */
  async function deadlockInserts(workspaceId: string, failures: number): Promise<() => Promise<number>> {
    const db = server.db.dataSource;
    const name = `deadlocks_${workspaceId.slice(0, 8)}`;
    await db.query(`CREATE SEQUENCE ${name}`);
    await db.query(`
      CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
      BEGIN
        IF nextval('${name}') <= ${failures} THEN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER ${name} BEFORE INSERT ON llm_usage FOR EACH ROW WHEN (NEW.workspace_id = '${workspaceId}') EXECUTE FUNCTION ${name}()`);
    return async () => Number((await db.query(`SELECT last_value FROM ${name}`))[0].last_value);
  }

  it('is stored once the deadlocks clear within the retries', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('deadlocked twice');
    const attempts = await deadlockInserts(workspaceId, 2);
    const { data, errors } = await server.gql(TRACK_MANY, { inputs: [call({ agentId: 'writer' })] }, { key });
    expect(errors).toBeUndefined();
    expect(data!.trackLlmCalls).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await attempts()).toBe(3);
    const agents = await server.gql(`{ agents { id modelUsageStats { requests } } }`, {}, { key });
    expect(agents.data!.agents).toEqual([{ id: 'writer', modelUsageStats: [{ requests: 1 }] }]);
  });

  it('is answered UNAVAILABLE, with nothing stored, when every retry meets one', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('always deadlocked');
    const attempts = await deadlockInserts(workspaceId, 1000);
    const { data, errors } = await server.gql(TRACK_MANY, { inputs: [call()] }, { key });
    expect(data).toBeNull();
    expect(errors).toEqual([{ message: 'The database is unavailable; retry later', path: ['trackLlmCalls'], extensions: { code: 'UNAVAILABLE' } }]);
    expect(await attempts()).toBe(WRITE_ATTEMPTS);
    const [stored] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE workspace_id = $1`, [workspaceId]);
    expect(stored.n).toBe(0);
  });
});

describe('LOCK_ORDER', () => {
  it('places every table of the schema (a partitioned table stands for its partitions)', async () => {
    const tables: { name: string }[] = await server.db.dataSource.query(
      `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition
         AND relname <> 'migrations' ORDER BY 1`,
    );
    expect(tables.map((t) => t.name)).toEqual([...LOCK_ORDER].sort());
  });

  it('refuses a statement whose lock steps are out of LOCK_ORDER, naming the pair', () => {
    expect(() => new LockSteps(['llm_usage', 'agents', 'llm_usage_hourly'])).toThrow(
      'lock steps must follow LOCK_ORDER (db/lock-order.ts), but llm_usage_hourly comes after agents',
    );
  });

  it('holds each step back until the one before it has run', () => {
    const steps = new LockSteps(['llm_usage', 'llm_usage_hourly', 'agents']);
    expect([steps.after('llm_usage'), steps.after('llm_usage_hourly'), steps.after('agents')]).toEqual([
      'true',
      '(SELECT count(*) FROM locked_llm_usage) >= 0',
      '(SELECT count(*) FROM locked_llm_usage_hourly) >= 0',
    ]);
  });
});
