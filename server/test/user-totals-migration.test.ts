import { createWorkspace } from '../src/workspaces/workspaces.service';
import { ingestCalls } from '../src/ingest/ingest.service';
import type { LlmCallInputValues } from '../src/ingest/validate-call';
import { MIGRATIONS } from '../src/db/data-source';
import { UserTotals1765000000000 } from '../src/db/migrations/1765000000000-UserTotals';
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
  modelId: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
  provider: 'openai',
  userId: i % 7 ? `user-${i % 5}` : null,
  status: 'SUCCESS',
  requestType: 'chat',
  latencyMs: 400,
  inputTokens: 1000 + i,
  outputTokens: 100 + i,
  occurredAt: new Date(NOW.getTime() - 1 - (i % 40) * DAY),
});

it("fills each user's totals over all time from the daily per-user rollup of a database that had none", async () => {
  const workspace = await createWorkspace(db.platform, 'Users before', 'pro');
  expect((await ingestCalls(db.dataSource, workspace.id, Array.from({ length: 200 }, (_, i) => call(i)), NOW)).rejected).toEqual([]);
  for (let i = MIGRATIONS.indexOf(UserTotals1765000000000); i < MIGRATIONS.length; i++) await db.dataSource.undoLastMigration({ transaction: 'each' });
  const [{ present }] = await db.dataSource.query(`SELECT to_regclass('user_totals') IS NOT NULL AS present`);
  expect(present).toBe(false);

  await db.dataSource.runMigrations({ transaction: 'each' });
  expect(await driftFromRawRows(db.platform, workspace.id)).toEqual([]);
  const users = await db.platform.query(`SELECT user_id FROM user_totals WHERE workspace_id = $1 ORDER BY user_id`, [workspace.id]);
  expect(users.map((u: { user_id: string }) => u.user_id)).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
});
