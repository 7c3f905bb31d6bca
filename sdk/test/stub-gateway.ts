import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmCallInput } from '../src';

/** How the stub answers one request: a JSON body with a status, or a dropped connection, or no answer at all. */
export type StubAnswer = { status?: number; headers?: Record<string, string>; body: unknown } | 'drop' | 'hang';

export interface StubRequest {
  authorization: string | undefined;
  inputs: (LlmCallInput & { eventId: string; occurredAt: string })[];
  /** When it arrived (performance.now()). */
  at: number;
}

export interface StubGateway {
  url: string;
  requests: StubRequest[];
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Accepts every call of a batch, as the gateway answers. */
export const acceptAll = (request: StubRequest): StubAnswer => ({
  body: { data: { trackLlmCalls: { accepted: request.inputs.length, duplicates: 0, rejected: [] } } },
});

/**
 * A stand-in for the gateway's HTTP endpoint that answers `trackLlmCalls` as `answer` says,
 * for the tracker's own tests (retries, refusals, outages). The tracker is tested against the
 * real gateway in server/test.
 */
export async function startStubGateway(answer: (request: StubRequest, index: number) => StubAnswer): Promise<StubGateway> {
  const requests: StubRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { inputs: StubRequest['inputs'] } };
      const request = { authorization: req.headers.authorization, inputs: parsed.variables.inputs, at: performance.now() };
      requests.push(request);
      const reply = answer(request, requests.length - 1);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (reply === 'drop') return void req.socket.destroy();
      if (reply === 'hang') return void hanging.push(res);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)); // a string goes as it is, not as JSON
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (count) => (requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A call as an application would report it. */
export function sampleCall(overrides: Partial<LlmCallInput> = {}): LlmCallInput {
  return {
    modelId: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 120,
    outputTokens: 40,
    latencyMs: 350,
    status: 'SUCCESS',
    requestType: 'chat',
    ...overrides,
  };
}
