import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { MIGRATIONS } from '../src/db/data-source';

/**
 * What each migration sends, up and down, on a database that answers every query with no rows,
 * hashed. A released migration has already run on installs that will never run it again, so it
 * must send the same statements forever; a new migration adds its line here.
 */
const SENT: Record<string, string> = {
  Initial1764201600000: 'f66b6e0b08dfe059',
  Integrations1764201800000: '081f24b47e938f56',
  Monitoring1764201900000: '65dbae993080eac6',
  Budgets1764202000000: '7e0fa685a2d1f380',
  RowLevelSecurity1764202100000: 'af9f3a0d4e9c0734',
  CompactRollups1764202200000: '9aa3fce98d80553e',
  CountedHistograms1764202300000: 'ef0c7f603ab7406f',
  DailyModelRollup1764202400000: '2c8cec399b8d4dd2',
  PlatformRole1764203000000: 'c6fdc9b8ec1757d7',
  WideDailyHistograms1764204000000: 'f4cac96c4d8ba7bc',
  KeysAudit1764206000000: '3c1a0311a9845120',
  AlertRules1764209000000: '6ff7c645c5044476',
  OncePerStatementPolicies1764215000000: '9ce1ae2fdd9a5a58',
  EstimablePolicies1764218000000: '142b62a47739e469',
  Runs1764500000000: '9d854bc6587ffbd5',
  WorkflowRollups1764500100000: '8560166b6aa85952',
  Retention1764600000000: '0f1c7f8f8de7e39c',
  Attribution1764700000000: 'eafca35cb37a1a08',
  AttributionRollups1764700100000: 'c22d4bff8cb88b93',
  NarrowWorkflowRollups1764900000000: 'cf94077432a06c0e',
  WorkflowRunDays1764900100000: '233d5d18c7e0a37e',
  UserTotals1765000000000: 'ca10f5b9dad43927',
  TimePartitions1765100000000: 'aebc59e2855a8336',
};

async function sent(migration: (typeof MIGRATIONS)[number]): Promise<string> {
  const statements: string[] = [];
  const recorder = {
    query: async (sql: string, params?: unknown[]) => {
      statements.push(params ? `${sql} ${JSON.stringify(params)}` : sql);
      return [];
    },
  } as unknown as QueryRunner;
  const instance = new migration();
  await instance.up(recorder);
  statements.push('-- down');
  await instance.down(recorder);
  return createHash('sha256').update(statements.join('\n;\n')).digest('hex').slice(0, 16);
}

describe('migrations', () => {
  it('send the same statements as when they were released', async () => {
    const now: Record<string, string> = {};
    for (const migration of MIGRATIONS) now[new migration().name!] = await sent(migration);
    expect(now).toEqual(SENT);
  });
});
