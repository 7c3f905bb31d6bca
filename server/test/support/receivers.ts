import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Hands out items one at a time, in arrival order, as a test asks for them. */
class Arrivals<T> {
  readonly all: T[] = [];
  private readonly queued: T[] = [];
  private readonly waiting: ((item: T) => void)[] = [];

  push(item: T): void {
    this.all.push(item);
    const waiter = this.waiting.shift();
    if (waiter) waiter(item);
    else this.queued.push(item);
  }

  next(): Promise<T> {
    const item = this.queued.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status it was answered with. */
  status: number;
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  /** The next request (already received, or the next to come). */
  next(): Promise<ReceivedRequest>;
  received: ReceivedRequest[];
  /** How the following requests are answered (their number, from 1, is passed). @default 200 */
  answerWith(status: (count: number) => number): void;
  close(): Promise<void>;
}

/** A local HTTP server standing in for a webhook or Slack endpoint; `port` reopens a closed one on its old port. */
export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const arrivals = new Arrivals<ReceivedRequest>();
  let status: (count: number) => number = () => 200;
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = status(++count);
      res.writeHead(answer, { 'content-type': 'text/plain' });
      res.end(answer < 300 ? 'ok' : 'failing on purpose');
      arrivals.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: answer });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    next: () => arrivals.next(),
    received: arrivals.all,
    answerWith: (next) => {
      status = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as sent (headers and body). */
  raw: string;
}

export interface SmtpReceiver {
  /** smtp://127.0.0.1:{port}, for SMTP_URL. */
  url: string;
  next(): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** A local SMTP server (the smtp-server package) that keeps every message it is sent. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const arrivals = new Arrivals<ReceivedMail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        arrivals.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return { url: `smtp://127.0.0.1:${port}`, next: () => arrivals.next(), close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
