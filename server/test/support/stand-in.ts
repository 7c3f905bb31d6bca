import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stand-in received. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
}

/** How the stand-in answers one request: a status and a JSON body (or raw text), or never. */
export type StandInAnswer = { status?: number; json?: unknown; text?: string; headers?: Record<string, string> } | 'hang';

export interface StandIn {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Every request received, oldest first. */
  seen: SeenRequest[];
  /** Replaces how requests are answered. */
  answer(handler: (request: SeenRequest) => StandInAnswer): void;
  close(): Promise<void>;
}

/**
 * A small local HTTP server that stands in for an upstream API (OpenRouter, Mem0): it
 * answers as the test tells it to, including never (to exercise timeouts).
 */
export async function startStandIn(handler: (request: SeenRequest) => StandInAnswer = () => ({ status: 404 })): Promise<StandIn> {
  let current = handler;
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const request: SeenRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
    };
    seen.push(request);
    const answer = current(request);
    if (answer === 'hang') return;
    const body = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json));
    res.writeHead(answer.status ?? 200, { 'content-type': answer.text === undefined ? 'application/json' : 'text/plain', ...answer.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
