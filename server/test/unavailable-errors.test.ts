import { Client } from 'pg';
import { isDatabaseUnavailable } from '../src/db/unavailable';
import { asSuperuser, createTestDatabase, type TestDatabase } from './support/database';

// The errors a real connection raises when it is cut, closed or given back mid-transaction are
// classified as UNAVAILABLE (a client retries them); the errors of a statement are not.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(() => db.dispose());

/** The error `work` rejects with; fails the test when it resolves. */
async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

it('classifies the next statement of a transaction whose connection was cut as unavailable', async () => {
  const runner = db.dataSource.createQueryRunner();
  await runner.connect();
  await runner.startTransaction();
  const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
  await asSuperuser('SELECT pg_terminate_backend($1)', [pid]);
  const cut = await errorOf(() => runner.query('SELECT 1'));
  const afterCut = await errorOf(() => runner.query('SELECT 1'));
  await runner.release();
  const released = await errorOf(() => runner.query('SELECT 1'));
  expect([cut, afterCut, released].map(isDatabaseUnavailable)).toEqual([true, true, true]);
  expect((released as Error).name).toBe('QueryRunnerAlreadyReleasedError');
});

it('classifies a statement sent on a closed client as unavailable', async () => {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  await client.end();
  const closed = await errorOf(() => client.query('SELECT 1'));
  expect((closed as Error).message).toMatch(/not queryable/);
  expect(isDatabaseUnavailable(closed)).toBe(true);
});

it('classifies the errors of a statement itself, and an error that wraps one, as not unavailable', async () => {
  const syntax = await errorOf(() => db.dataSource.query('SELEC 1'));
  const division = await errorOf(() => db.dataSource.query('SELECT 1 / 0'));
  const wrapped = new Error('could not store the batch', { cause: division });
  expect([syntax, division, wrapped].map(isDatabaseUnavailable)).toEqual([false, false, false]);
  const wrappedCut = new Error('could not store the batch', { cause: Object.assign(new Error('terminating connection'), { code: '57P01' }) });
  expect(isDatabaseUnavailable(wrappedCut)).toBe(true);
});
