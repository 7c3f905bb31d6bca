import { once } from 'node:events';
import type { Client as WsClient } from 'graphql-ws';
import { GraphQLError } from 'graphql';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { createDataSource } from '../src/db/data-source';
import { platformDb } from '../src/db/platform-db';
import { formatError } from '../src/graphql/errors';
import { createLogger } from '../src/logger';
import { asSuperuser, createTestDatabase, type TestDatabase } from './support/database';
import { waitUntil } from './support/processes';
import { startTestServer, type TestServer } from './support/server';
import { TcpProxy } from './support/tcp-proxy';

// Every failure that means "the database cannot serve right now" is UNAVAILABLE (HTTP 503 with
// Retry-After), which clients retry; a checkout of a pooled connection waits a while for the
// database to come back first. Checked class by class, then against a real PostgreSQL that
// refuses its connections.

const UNAVAILABLE = { message: 'The database is unavailable; retry later', extensions: { code: 'UNAVAILABLE' } };
const USAGE = `query { llmUsage(period: LAST_24H, groupBy: MODEL) { key requests } }`;
const logger = createLogger('silent');

const failure = (code: string | undefined, message: string): Error => Object.assign(new Error(message), code ? { code } : {});

const codeOf = (error: unknown): unknown => formatError({ message: 'raw' }, new GraphQLError('wrapped', { originalError: error as Error }), logger).extensions?.code;

describe('what counts as the database being unavailable', () => {
  it.each<[string, unknown]>([
    ['a refused connection', failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', failure('ECONNRESET', 'read ECONNRESET')],
    ['a connection that timed out', failure('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:5432')],
    ['refusals from every address of a host', Object.assign(new AggregateError([failure('ECONNREFUSED', 'a'), failure('ECONNREFUSED', 'b')]), { code: 'ECONNREFUSED' })],
    ['08000 connection_exception', failure('08000', 'connection exception')],
    ['08001 sqlclient_unable_to_establish_sqlconnection', failure('08001', 'could not connect')],
    ['08003 connection_does_not_exist', failure('08003', 'connection does not exist')],
    ['08004 sqlserver_rejected_establishment_of_sqlconnection', failure('08004', 'rejected')],
    ['08006 connection_failure', failure('08006', 'connection failure')],
    ['08P01 protocol_violation', failure('08P01', 'protocol violation')],
    ['57P01 admin_shutdown', failure('57P01', 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown', failure('57P02', 'terminating connection because of crash of another server process')],
    ['57P03 cannot_connect_now', failure('57P03', 'the database system is starting up')],
    ['53000 insufficient_resources', failure('53000', 'insufficient resources')],
    ['53100 disk_full', failure('53100', 'could not extend file: No space left on device')],
    ['53200 out_of_memory', failure('53200', 'out of memory')],
    ['53300 too_many_connections', failure('53300', 'sorry, too many clients already')],
    ['53400 configuration_limit_exceeded', failure('53400', 'configuration limit exceeded')],
    ['55000 not accepting connections', failure('55000', 'database "tally" is not currently accepting connections')],
    ['a pool checkout timeout', failure(undefined, 'timeout exceeded when trying to connect')],
    ['a connect timeout', failure(undefined, 'Connection terminated due to connection timeout')],
    ['a connection ended under a statement', failure(undefined, 'Connection terminated unexpectedly')],
    ['a statement with no answer (query timeout)', failure(undefined, 'Query read timeout')],
    ['40001 serialization_failure, once the gateway stopped retrying', failure('40001', 'could not serialize access due to concurrent update')],
    ['40P01 deadlock_detected, once the gateway stopped retrying', failure('40P01', 'deadlock detected')],
    ['a socket error graphql-js wrapped as a non-error', { message: 'Unexpected error value', thrownValue: failure('ECONNRESET', 'read ECONNRESET') }],
  ])('%s is UNAVAILABLE', (_name, error) => {
    expect(codeOf(error)).toBe('UNAVAILABLE');
  });

  it.each<[string, unknown]>([
    ['23505 unique_violation', failure('23505', 'duplicate key value violates unique constraint')],
    ['42P01 undefined_table', failure('42P01', 'relation "agents" does not exist')],
    ['22P02 invalid_text_representation', failure('22P02', 'invalid input syntax for type uuid')],
    ['55000 for anything but refused connections', failure('55000', 'cannot alter type of a column used by a view')],
    ['a plain error', new Error('boom')],
  ])('%s stays an internal error', (_name, error) => {
    expect(codeOf(error)).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('a real PostgreSQL that refuses connections', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;

  const databaseName = (): string => new URL(database.url).pathname.slice(1);

  /** A gateway whose pool reaches the database through the proxy and waits `recoveryWaitMs` for it to come back. */
  async function gatewayWaiting(recoveryWaitMs: number): Promise<TestServer> {
    const target = new URL(database.url);
    target.port = String(proxy.port);
    const dataSource = createDataSource(target.toString(), 5, { connectTimeoutMs: 2000, recoveryWaitMs });
    await dataSource.initialize();
    return startTestServer({ database: { url: target.toString(), dataSource, platform: platformDb(dataSource), dispose: () => dataSource.destroy() } });
  }

  /** Makes the database refuse new connections as `how` says, and ends the ones open, so the pool must connect anew. */
  async function refuse(server: TestServer, how: string): Promise<void> {
    await asSuperuser(`ALTER DATABASE ${databaseName()} ${how}`);
    await asSuperuser(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [databaseName()]);
    const pool = (server.gateway.services.dataSource.driver as PostgresDriver).master as { totalCount: number };
    await waitUntil('the pool to drop its ended connections', () => pool.totalCount === 0);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = new TcpProxy(Number(new URL(database.url).port));
    await proxy.listen();
  });
  afterAll(async () => {
    await proxy.close();
    await database.dispose();
  });

  describe.each([
    ['refuses connections (55000)', 'ALLOW_CONNECTIONS false', 'ALLOW_CONNECTIONS true'],
    ['has no connection slot left for it (53300)', 'CONNECTION LIMIT 0', 'CONNECTION LIMIT -1'],
  ])('when it %s', (_name, refusal, restore) => {
    let server: TestServer;
    let key: string;
    let unusedKey: string;
    const clients: WsClient[] = [];

    beforeAll(async () => {
      server = await gatewayWaiting(300);
      ({ key } = await server.workspaceWithKey('Refused'));
      ({ key: unusedKey } = await server.workspaceWithKey('Refused, never signed in'));
      expect((await server.gql(USAGE, {}, { key })).errors).toBeUndefined(); // the key is known now
      await refuse(server, refusal);
    });
    afterAll(async () => {
      await asSuperuser(`ALTER DATABASE ${databaseName()} ${restore}`);
      await Promise.all(clients.map((c) => c.dispose()));
      await server.dispose();
      await server.db.dispose();
    });

    it('answers HTTP requests with 503, Retry-After and UNAVAILABLE', async () => {
      const answer = await server.gql(USAGE, {}, { key });
      expect(answer).toMatchObject({ status: 503, retryAfter: '2', errors: [expect.objectContaining(UNAVAILABLE)] });
    });

    it('answers a request whose key cannot be looked up with 503 and UNAVAILABLE too', async () => {
      const answer = await server.gql(USAGE, {}, { key: unusedKey });
      expect(answer).toMatchObject({ status: 503, retryAfter: '2', errors: [expect.objectContaining(UNAVAILABLE)] });
    });

    it('answers an operation over WebSocket with UNAVAILABLE', async () => {
      const client = server.wsClient({ authorization: `Bearer ${key}` });
      clients.push(client);
      const result = await new Promise<unknown>((resolve, reject) =>
        client.subscribe({ query: USAGE }, { next: resolve, error: reject, complete: () => undefined }),
      );
      expect(result).toMatchObject({ errors: [expect.objectContaining(UNAVAILABLE)] });
    });

    it('closes a WebSocket whose key cannot be looked up with 1013, try again later', async () => {
      const closed = new Promise<{ code: number; reason: string }>((resolve) => clients.push(server.wsClient({ authorization: `Bearer ${unusedKey}` }, resolve)));
      expect(await closed).toEqual(expect.objectContaining({ code: 1013, reason: UNAVAILABLE.message }));
    });
  });

  it('holds a request while the database refuses connections, and answers it once the database takes them again', async () => {
    const server = await gatewayWaiting(60_000);
    try {
      const { key } = await server.workspaceWithKey('Waited');
      expect((await server.gql(USAGE, {}, { key })).errors).toBeUndefined();
      await refuse(server, 'ALLOW_CONNECTIONS false');
      const attempts = once(proxy, 'accepted').then(() => once(proxy, 'accepted'));
      const answer = server.gql(USAGE, {}, { key });
      await attempts; // refused once, and tried again
      await asSuperuser(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
      expect(await answer).toMatchObject({ status: 200, data: { llmUsage: [] } });
      expect((await answer).errors).toBeUndefined();
    } finally {
      await asSuperuser(`ALTER DATABASE ${databaseName()} ALLOW_CONNECTIONS true`);
      await server.dispose();
      await server.db.dispose();
    }
  });
});
