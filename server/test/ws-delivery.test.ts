import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { wsDelivery } from '../src/graphql/ws-delivery';

// A subscriber that stops reading is closed with 1013 once its socket is too far behind, and
// what was sent before reaches it in order; one that keeps up is never closed.

/** A socket pair, the server side with the connection it was upgraded from, as the gateway has them. */
async function connectedPair(): Promise<{ server: WebSocket; connection: Duplex; client: WebSocket; close: () => void }> {
  const http = createServer();
  const wss = new WebSocketServer({ noServer: true });
  const serverSide = new Promise<[WebSocket, Duplex]>((resolve) =>
    http.on('upgrade', (request, connection, head) => wss.handleUpgrade(request, connection, head, (ws) => resolve([ws, connection]))),
  );
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  const [server, connection] = await serverSide;
  await once(client, 'open');
  return { server, connection, client, close: () => (client.terminate(), wss.close(), http.close()) };
}

const LIMIT = 256 * 1024;
const payload = JSON.stringify({ data: { llmCallTracked: { note: 'x'.repeat(64 * 1024) } } });

it('closes a subscriber that stopped reading with 1013, after delivering in order what it was sent', async () => {
  const { server, connection, client, close } = await connectedPair();
  try {
    const received: number[] = [];
    client.on('message', () => received.push(received.length));
    const rawClient = (client as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    rawClient.pause();
    const delivery = wsDelivery({ socket: server, connection, id: 'sub-1', maxBufferedBytes: LIMIT });
    let sent = 0;
    // 400 messages are 25 MB: far past the limit even once the kernel's buffers have taken their share.
    while (server.readyState === server.OPEN && sent < 400) {
      delivery.next(payload);
      if (server.readyState === server.OPEN) sent++;
      // Let the writes reach the kernel so its buffers fill and the rest stays in the process.
      if (sent % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.readyState).not.toBe(server.OPEN);
    expect(server.bufferedAmount).toBeGreaterThan(LIMIT);
    const closed = once(client, 'close');
    rawClient.resume();
    const [code, reason] = (await closed) as [number, Buffer];
    expect(code).toBe(1013);
    expect(reason.toString()).toMatch(/too slow/);
    expect(received.length).toBe(sent);
  } finally {
    close();
  }
});

it('never closes a subscriber that keeps up, however much it is sent over time', async () => {
  const { server, connection, client, close } = await connectedPair();
  try {
    const delivery = wsDelivery({ socket: server, connection, id: 'sub-1', maxBufferedBytes: LIMIT });
    // 40 messages of 64 KB: ten times the limit in all, each read before the next is sent.
    for (let i = 0; i < 40; i++) {
      const read = once(client, 'message');
      delivery.next(payload);
      await read;
    }
    expect(server.readyState).toBe(server.OPEN);
  } finally {
    close();
  }
});

it('sends graphql-transport-ws next messages around the serialized payload, in order', async () => {
  const { server, connection, client, close } = await connectedPair();
  try {
    const messages: unknown[] = [];
    const two = new Promise<void>((resolve) => client.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())) === 2 && resolve()));
    const delivery = wsDelivery({ socket: server, connection, id: 'sub "7"', maxBufferedBytes: LIMIT });
    delivery.next('{"data":{"n":1}}');
    delivery.next('{"data":{"n":2}}');
    await two;
    expect(messages).toEqual([
      { id: 'sub "7"', type: 'next', payload: { data: { n: 1 } } },
      { id: 'sub "7"', type: 'next', payload: { data: { n: 2 } } },
    ]);
  } finally {
    close();
  }
});
