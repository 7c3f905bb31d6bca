import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { wsDelivery } from '../src/graphql/ws-delivery';

// A subscriber that stops reading is closed with 1013 once its socket is too far behind, and
// what was sent before reaches it in order; one that keeps up is never closed.

async function connectedPair(): Promise<{ server: WebSocket; client: WebSocket; close: () => void }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const serverSide = once(wss, 'connection');
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const [server] = (await serverSide) as [WebSocket];
  await once(client, 'open');
  return { server, client, close: () => (client.terminate(), wss.close()) };
}

const LIMIT = 256 * 1024;
const payload = JSON.stringify({ data: { llmCallTracked: { note: 'x'.repeat(64 * 1024) } } });

it('closes a subscriber that stopped reading with 1013, after delivering in order what it was sent', async () => {
  const { server, client, close } = await connectedPair();
  try {
    const received: number[] = [];
    client.on('message', () => received.push(received.length));
    const rawClient = (client as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    rawClient.pause();
    const delivery = wsDelivery(server, 'sub-1', LIMIT);
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
  const { server, client, close } = await connectedPair();
  try {
    const delivery = wsDelivery(server, 'sub-1', LIMIT);
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
