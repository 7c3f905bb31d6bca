import { EventEmitter, once } from 'node:events';
import net from 'node:net';

/** Which way bytes flow: from the client to the server, or back. */
export type Direction = 'upstream' | 'downstream';

interface Link {
  client: net.Socket;
  server: net.Socket;
  held: { upstream: Buffer[]; downstream: Buffer[] };
  /** This connection alone holds these directions (see holdAfter). */
  holding: Record<Direction, boolean>;
  /** The connection sent the marker of the armed holdAfter. */
  marked: boolean;
}

interface HoldAfter {
  /** Null: the trigger alone decides. */
  marker: Buffer | null;
  trigger: Buffer;
  direction: Direction;
}

/**
 * A TCP proxy for fault tests, between the gateway and PostgreSQL (or a client and the
 * gateway): it can add latency, hold traffic, hold from a chosen byte pattern on, reset every
 * connection, and stop answering new ones. Emits `held` (direction) when it first holds bytes
 * of a connection, so a test knows a statement is in flight, and `accepted` on every new connection.
 */
export class TcpProxy extends EventEmitter {
  /** Added before each chunk is passed on, both ways, in ms. */
  latencyMs = 0;
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private holding: Record<Direction, boolean> = { upstream: false, downstream: false };
  private holdAfterRule: HoldAfter | null = null;
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

  /** Resolves once no connection is open (say, after the client process died): nothing held can reach the server any more. */
  async idle(): Promise<void> {
    while (this.links.size > 0) await once(this, 'closed');
  }

  /** Holds every byte going `direction` until `release()`. */
  hold(direction: Direction): void {
    this.holding[direction] = true;
  }

  /**
   * On the first connection that sends `marker` (from now on) and then `trigger` (client to server), holds
   * that connection's traffic from the trigger on: `upstream` holds the trigger itself (the
   * server never gets it), `downstream` passes the trigger on and holds the server's answer.
   * For PostgreSQL, `holdAfter(INGEST_STATEMENT, 'COMMIT', …)` stops one ingest either
   * just before its commit or just after it.
   */
  /** Holds, on the first connection that sends `trigger` (client to server), everything it sends from that chunk on. */
  holdFrom(trigger: string): void {
    this.holdAfterRule = { marker: null, trigger: Buffer.from(trigger), direction: 'upstream' };
  }

  holdAfter(marker: string, trigger: string, direction: Direction): void {
    this.holdAfterRule = { marker: Buffer.from(marker), trigger: Buffer.from(trigger), direction };
    for (const link of this.links) link.marked = false; // only a marker sent from now on counts
  }

  /** Passes on everything held and stops holding. */
  release(): void {
    this.holding = { upstream: false, downstream: false };
    this.holdAfterRule = null;
    for (const link of this.links) {
      link.holding = { upstream: false, downstream: false };
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
    this.emit('accepted');
    client.on('error', () => undefined);
    if (this.blackhole) {
      this.swallowed.add(client);
      client.on('close', () => this.swallowed.delete(client));
      return;
    }
    const server = net.connect(this.targetPort, this.targetHost);
    server.on('error', () => undefined);
    const link: Link = { client, server, held: { upstream: [], downstream: [] }, holding: { upstream: false, downstream: false }, marked: false };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => this.pass(link, 'upstream', chunk));
    server.on('data', (chunk: Buffer) => this.pass(link, 'downstream', chunk));
    client.on('close', () => this.drop(link, false));
    server.on('close', () => this.drop(link, false));
  }

  private pass(link: Link, direction: Direction, chunk: Buffer): void {
    const rule = this.holdAfterRule;
    if (rule && direction === 'upstream') {
      if (rule.marker && !link.marked) link.marked = chunk.includes(rule.marker);
      else if (chunk.includes(rule.trigger)) {
        this.holdAfterRule = null;
        link.holding[rule.direction] = true;
      }
    }
    const target = direction === 'upstream' ? link.server : link.client;
    if (this.holding[direction] || link.holding[direction]) {
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
    this.emit('closed');
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
