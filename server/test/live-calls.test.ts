import { Client as PgClient } from 'pg';
import { call, TRACK_MANY, TRACK_ONE } from './fixtures/calls';
import { events } from './support/events';
import { startTestServer, type TestServer } from './support/server';
import { countReaches } from './support/live-counts';

// llmCallTracked with its agent, as the dashboard's live feed asks for it, to many subscribers.

const FEED = `subscription { llmCallTracked { eventId agent { id name } } }`;
type FeedEvent = { llmCallTracked: { eventId: string; agent: { id: string; name: string } | null } };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

/** `count` subscribers of the live feed, each handing out its events one at a time. */
function subscribers(key: string, count: number): (() => Promise<FeedEvent>)[] {
  return Array.from({ length: count }, () => events<FeedEvent>(server.wsClient({ authorization: `Bearer ${key}` }), FEED));
}

/** Counts the statements that read agents while `work` runs, at the driver's client. */
async function agentReads(work: () => Promise<void>): Promise<number> {
  const prototype = PgClient.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let reads = 0;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (text && /FROM agents a JOIN unnest/.test(text)) reads += 1;
    return original.apply(this, args);
  };
  try {
    await work();
    return reads;
  } finally {
    prototype.query = original;
  }
}

it('reads a call’s agent once for all its subscribers, not once per subscriber', async () => {
  const { key } = await server.workspaceWithKey('Live feed crowd');
  const feeds = subscribers(key, 25);
  await countReaches(server.gateway.services.subscriptions.live, 'llmCallTracked', 25);
  const reads = await agentReads(async () => {
    await server.gql(TRACK_MANY, { inputs: [call({ eventId: 'crowd-1', agentId: 'planner' })] }, { key });
    const events = await Promise.all(feeds.map((next) => next()));
    expect(events.every((e) => e.llmCallTracked.agent?.id === 'planner')).toBe(true);
  });
  expect(reads).toBe(1);
});

it('shows an agent’s new name on the next call after it was renamed', async () => {
  const { key } = await server.workspaceWithKey('Live feed rename');
  const [next] = subscribers(key, 1);
  await countReaches(server.gateway.services.pubsub.subscribers, 'LLM_CALL_TRACKED');
  await server.gql(TRACK_ONE, { input: call({ eventId: 'rename-1', agentId: 'scribe' }) }, { key });
  expect((await next()).llmCallTracked.agent).toEqual({ id: 'scribe', name: 'scribe' });
  const renamed = await server.gql(`mutation { upsertAgent(input: { id: "scribe", name: "Scribe v2" }) { id } }`, {}, { key });
  expect(renamed.errors).toBeUndefined();
  await server.gql(TRACK_ONE, { input: call({ eventId: 'rename-2', agentId: 'scribe' }) }, { key });
  expect((await next()).llmCallTracked.agent).toEqual({ id: 'scribe', name: 'Scribe v2' });
});
