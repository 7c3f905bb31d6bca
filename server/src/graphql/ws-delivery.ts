import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { DirectDelivery } from './shared-subscribe';

/** A subscriber whose socket holds more unsent bytes than this cannot keep up: it is closed (it may reconnect). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** "Try Again Later": the client library reconnects. */
const TOO_SLOW = 1013;

/**
 * How long a socket's writes are held after an event for it: the messages of events landing
 * together (a batch of calls) then leave in one write, one system call, instead of one each.
 */
const HOLD_MS = 25;

const held = new Set<Duplex>();

function holdBriefly(socket: WebSocket): void {
  const stream = (socket as unknown as { _socket?: Duplex })._socket;
  if (!stream || held.has(stream)) return;
  if (held.size === 0) setTimeout(releaseAll, HOLD_MS);
  stream.cork();
  held.add(stream);
}

function releaseAll(): void {
  for (const stream of held) stream.uncork();
  held.clear();
}

/**
 * Writes a subscription's `next` messages (graphql-transport-ws) straight to its socket; a socket
 * more than `maxBufferedBytes` behind is closed with 1013 instead.
 */
export function wsDelivery(socket: WebSocket, id: string, maxBufferedBytes = MAX_BUFFERED_BYTES): DirectDelivery {
  const prefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  return {
    next(payloadJson) {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > maxBufferedBytes) return socket.close(TOO_SLOW, 'Subscriber too slow: reconnect');
      holdBriefly(socket);
      socket.send(`${prefix}${payloadJson}}`);
    },
  };
}
