import { EventEmitter, once } from 'node:events';
import net from 'node:net';

/** Which way bytes flow: from the client to the server, or back. */
export type Direction = 'upstream' | 'downstream';

interface Link {
  client: net.Socket;
  server: net.Socket;
  held: { upstream: Buffer[]; downstream: Buffer[] };
}

/**
 * A TCP proxy for fault tests, between the gateway and PostgreSQL (or a client and the
 * gateway): it can add latency, hold traffic, hold from a chosen byte pattern on, reset every
 * connection, and stop answering new ones. Emits `held` (direction) when it first holds bytes
 * of a connection, so a test knows a statement is in flight.
 */
export class TcpProxy extends EventEmitter {
  /** Added before each chunk is passed on, both ways, in ms. */
  latencyMs = 0;
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private holding: Record<Direction, boolean> = { upstream: false, downstream: false };
  private holdFrom: { direction: Direction; pattern: Buffer } | null = null;
  private blackhole = false;
  private readonly swallowed = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {
    super();
    this.server = net.createServer((client) => this.accept(client));
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Open connections. */
  get connections(): number {
    return this.links.size;
  }

  /** Holds every byte going `direction` until `release()`. */
  hold(direction: Direction): void {
    this.holding[direction] = true;
  }

  /** Holds bytes going `direction` from the first chunk that contains `pattern` on (that chunk included). */
  holdWhenSeen(direction: Direction, pattern: string): void {
    this.holdFrom = { direction, pattern: Buffer.from(pattern) };
  }

  /** Passes on everything held and stops holding. */
  release(): void {
    this.holding = { upstream: false, downstream: false };
    this.holdFrom = null;
    for (const link of this.links) {
      for (const direction of ['upstream', 'downstream'] as const) {
        const target = direction === 'upstream' ? link.server : link.client;
        for (const chunk of link.held[direction].splice(0)) target.write(chunk);
      }
    }
  }

  /** New connections are accepted and then get nothing, ever (a host that went away); `heal()` ends that for later ones. */
  swallowNewConnections(): void {
    this.blackhole = true;
  }

  heal(): void {
    this.blackhole = false;
  }

  /** Resets every open connection (TCP RST both ways). */
  resetAll(): void {
    for (const link of [...this.links]) this.drop(link, true);
  }

  async close(): Promise<void> {
    this.resetAll();
    for (const socket of this.swallowed) socket.destroy();
    const closed = once(this.server, 'close');
    this.server.close();
    await closed;
  }

  private accept(client: net.Socket): void {
    client.on('error', () => undefined);
    if (this.blackhole) {
      this.swallowed.add(client);
      client.on('close', () => this.swallowed.delete(client));
      return;
    }
    const server = net.connect(this.targetPort, this.targetHost);
    server.on('error', () => undefined);
    const link: Link = { client, server, held: { upstream: [], downstream: [] } };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => this.pass(link, 'upstream', chunk));
    server.on('data', (chunk: Buffer) => this.pass(link, 'downstream', chunk));
    client.on('close', () => this.drop(link, false));
    server.on('close', () => this.drop(link, false));
  }

  private pass(link: Link, direction: Direction, chunk: Buffer): void {
    if (this.holdFrom?.direction === direction && chunk.includes(this.holdFrom.pattern)) {
      this.holdFrom = null;
      this.holding[direction] = true;
    }
    const target = direction === 'upstream' ? link.server : link.client;
    if (this.holding[direction]) {
      if (link.held[direction].length === 0) this.emit('held', direction);
      link.held[direction].push(chunk);
      return;
    }
    if (this.latencyMs > 0) {
      // Pausing the source keeps chunks in order while one waits.
      const source = direction === 'upstream' ? link.client : link.server;
      source.pause();
      setTimeout(() => {
        if (!target.destroyed) target.write(chunk);
        source.resume();
      }, this.latencyMs);
      return;
    }
    target.write(chunk);
  }

  private drop(link: Link, reset: boolean): void {
    if (!this.links.delete(link)) return;
    link.held = { upstream: [], downstream: [] };
    if (reset) {
      link.client.resetAndDestroy();
      link.server.resetAndDestroy();
    } else {
      link.client.destroy();
      link.server.destroy();
    }
  }
}
