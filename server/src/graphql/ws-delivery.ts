import type { Duplex } from 'node:stream';
import { MessageType } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { DirectDelivery } from './shared-subscribe';

/** A subscriber whose socket holds more unsent bytes than this cannot keep up: it is closed (it may reconnect). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
/** "Try Again Later": the client library reconnects. */
const TOO_SLOW = 1013;

/**
 * How long a connection's writes are held after an event for it: the messages of events landing
 * together (a batch of calls) then leave in one write, one system call, instead of one each.
 */
const HOLD_MS = 25;

const held = new Set<Duplex>();

function holdBriefly(connection: Duplex): void {
  if (held.has(connection)) return;
  if (held.size === 0) setTimeout(releaseAll, HOLD_MS);
  connection.cork();
  held.add(connection);
}

function releaseAll(): void {
  for (const connection of held) connection.uncork();
  held.clear();
}

export interface WsDeliveryTarget {
  socket: WebSocket;
  /** The connection the socket was upgraded from (the HTTP server's `upgrade` event gives it): its writes are held briefly. */
  connection?: Duplex;
  /** The subscription's id in graphql-transport-ws. */
  id: string;
  maxBufferedBytes?: number;
}

/**
 * Writes a subscription's `next` messages (graphql-transport-ws) straight to its socket; a socket
 * more than `maxBufferedBytes` behind is closed with 1013 instead. The payload arrives already
 * serialized, once for every subscriber of a shared subscription, so the message is put around it
 * here: graphql-ws would serialize the whole result again for each (1.5 µs against 0.07 µs a
 * message for the live feed's call, a hundred thousand times a second with 1,000 subscribers),
 * and Node 20 has no JSON.rawJSON to hand it the serialized part.
 */
export function wsDelivery({ socket, connection, id, maxBufferedBytes = MAX_BUFFERED_BYTES }: WsDeliveryTarget): DirectDelivery {
  const prefix = `{"id":${JSON.stringify(id)},"type":"${MessageType.Next}","payload":`;
  return {
    next(payloadJson) {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > maxBufferedBytes) return socket.close(TOO_SLOW, 'Subscriber too slow: reconnect');
      if (connection) holdBriefly(connection);
      socket.send(`${prefix}${payloadJson}}`);
    },
  };
}
