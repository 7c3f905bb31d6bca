import { INGEST_STATEMENT } from '../src/ingest/ingest.service';
import { once } from 'node:events';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey } from '../src/auth/auth.service';
import { createWorkspace } from '../src/workspaces/workspaces.service';
import { call, TRACK_ONE } from './fixtures/calls';
import { createTestDatabase, type TestDatabase } from './support/database';
import { compileServer, portAccepts, postGraphql, spawnGateway, waitUntil, type CompiledServer, type GatewayProcess } from './support/processes';
import { TcpProxy } from './support/tcp-proxy';

// SIGTERM against a real gateway process, with a request held in flight by a TCP proxy in
// front of PostgreSQL.

let compiled: CompiledServer;
let db: TestDatabase;
let proxy: TcpProxy;
let gateway: GatewayProcess;
let key: string;
let ws: Client | undefined;

beforeAll(async () => {
  compiled = compileServer();
  db = await createTestDatabase();
  const workspace = await createWorkspace(db.platform, 'Shutdown', 'pro');
  key = await createApiKey(db.platform, workspace.id, 'MEMBER', null);
  const target = new URL(db.url);
  proxy = new TcpProxy(Number(target.port));
  await proxy.listen();
  target.port = String(proxy.port);
  gateway = await spawnGateway(compiled.main, { databaseUrl: target.toString() });
});

afterAll(async () => {
  await ws?.dispose();
  await gateway.stop();
  await proxy.close();
  await db.dispose();
  compiled.dispose();
});

it('on SIGTERM stops accepting, finishes the request in flight, closes WebSockets with 1001 and exits 0', async () => {
  const closed = new Promise<{ code: number }>((resolve) => {
    ws = createClient({
      url: gateway.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: (event) => resolve(event as { code: number }) },
    });
  });
  const connected = new Promise<void>((resolve) => ws!.on('connected', () => resolve()));
  ws!.subscribe({ query: 'subscription { llmCallTracked { id } }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
  await connected;

  proxy.holdFrom(INGEST_STATEMENT);
  const held = once(proxy, 'held');
  const inFlight = postGraphql(gateway.url, key, TRACK_ONE, { input: call({ eventId: 'in-flight-at-sigterm' }) });
  await held; // the request is inside its ingest, waiting on PostgreSQL

  gateway.kill('SIGTERM');
  await waitUntil('the gateway to stop accepting connections', async () => !(await portAccepts(gateway.port)));
  expect((await closed).code).toBe(1001);

  proxy.release();
  const answer = await inFlight;
  expect(answer.status).toBe(200);
  expect(answer.errors).toBeUndefined();
  expect(answer.data!.trackLlmCall.workspaceId).toBeDefined();

  // main.ts exits 1 when stopping takes more than 10 s, so 0 means it stopped in time.
  expect(await gateway.exited).toEqual({ code: 0, signal: null });
  const [{ stored }] = await db.platform.query(`SELECT count(*)::int AS stored FROM llm_usage WHERE event_id = 'in-flight-at-sigterm'`);
  expect(stored).toBe(1);
});
