import { createWorkspace } from '../src/workspaces/workspaces.service';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { MIGRATIONS } from '../src/db/data-source';
import { TimePartitions1765100000000 } from '../src/db/migrations/1765100000000-TimePartitions';
import { createTestDatabase, type TestDatabase } from './support/database';
import { driftFromRawRows } from './support/stored-calls';

const NOW = new Date('2026-07-01T12:00:00Z');
const DAY = 86_400_000;

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.dispose());

const call = (i: number): LlmCallInputValues => ({
  modelId: 'gpt-4o',
  provider: 'openai',
  status: 'SUCCESS',
  requestType: 'chat',
  latencyMs: 400,
  inputTokens: 1000 + i,
  outputTokens: 100 + i,
  eventId: i % 3 ? `event-${i}` : null,
  occurredAt: new Date(NOW.getTime() - 1 - (i % 40) * DAY),
});

it('moves the raw calls of a database without partitions into their months, with their event ids and ids', async () => {
  const workspace = await createWorkspace(db.platform, 'Calls before', 'pro');
  expect((await ingestCalls(db.dataSource, workspace.id, Array.from({ length: 120 }, (_, i) => call(i)), NOW)).rejected).toEqual([]);
  for (let i = MIGRATIONS.indexOf(TimePartitions1765100000000); i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
  const kind = async () => (await db.dataSource.query(`SELECT relkind FROM pg_class WHERE oid = 'llm_usage'::regclass`))[0].relkind;
  expect(await kind()).toBe('r');
  const before: { id: string; event_id: string | null }[] = await db.platform.query(`SELECT id, event_id FROM llm_usage ORDER BY id`);
  expect(before).toHaveLength(120);

  await db.dataSource.runMigrations({ transaction: 'each' });
  expect(await kind()).toBe('p');
  expect(await db.platform.query(`SELECT id, event_id FROM llm_usage ORDER BY id`)).toEqual(before);
  const months: { month: string; n: number }[] = await db.platform.query(
    `SELECT tableoid::regclass::text AS month, count(*)::int AS n FROM llm_usage GROUP BY 1 ORDER BY 1`,
  );
  expect(months.map((m) => m.month)).toEqual(['llm_usage_y2026m05', 'llm_usage_y2026m06', 'llm_usage_y2026m07']);
  const [{ n }] = await db.platform.query(`SELECT count(*)::int AS n FROM llm_usage_event_ids`);
  expect(n).toBe(before.filter((row) => row.event_id !== null).length);
  expect(await driftFromRawRows(db.platform, workspace.id)).toEqual([]);

  const resent = await ingestCalls(db.dataSource, workspace.id, [call(1), { ...call(1000), eventId: 'new' }], NOW);
  expect(resent).toMatchObject({ accepted: 1, duplicates: 1 });
  expect(Number(resent.stored[0].id)).toBeGreaterThan(Math.max(...before.map((row) => Number(row.id))));
});
