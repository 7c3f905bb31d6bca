import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from './support/server';

// A built dashboard as `npm run build` leaves it: pages and hashed assets, each with the brotli and
// gzip copies the build writes beside it (the stylesheet without, as a file too small to gain).
const dist = mkdtempSync(join(tmpdir(), 'tally-web-dist-'));
const INDEX = '<!doctype html><html><head><title>Tally</title><script type="module" src="/assets/dashboard-3f9a1c.js"></script></head><body><div id="root"></div></body></html>';
const GRAPHIQL = '<!doctype html><html><head><title>Tally · GraphiQL</title><script type="module" src="/assets/graphiql-77ab01.js"></script></head><body><div id="graphiql"></div></body></html>';
const SCRIPT = `export const rows = [${Array.from({ length: 300 }, (_, i) => `{ id: ${i}, label: "row ${i}" }`).join(', ')}];\n`;
const STYLE = 'body { margin: 0 }\n';

function writeBuilt(path: string, text: string, { compressed = true } = {}): void {
  const file = join(dist, path);
  writeFileSync(file, text);
  if (!compressed) return;
  writeFileSync(`${file}.br`, brotliCompressSync(text));
  writeFileSync(`${file}.gz`, gzipSync(text));
}
mkdirSync(join(dist, 'assets'));
writeBuilt('index.html', INDEX);
writeBuilt('graphiql.html', GRAPHIQL);
writeBuilt('assets/dashboard-3f9a1c.js', SCRIPT);
writeBuilt('assets/graphiql-77ab01.js', SCRIPT);
writeBuilt('assets/dashboard-90c2d4.css', STYLE, { compressed: false });

let server: TestServer;
let origin: string;
beforeAll(async () => {
  server = await startTestServer({ webDist: dist });
  origin = new URL(server.url).origin;
});
afterAll(async () => {
  await server.dispose();
  rmSync(dist, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it came over the wire, still encoded. */
  body: Buffer;
}

/** An HTTP request that sends exactly the given headers and leaves the body as it arrived (fetch would decode it). */
function raw(path: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    // The path goes as written: a URL would resolve its dot segments.
    const req = request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function decoded(response: RawResponse): string {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.body).toString();
  if (encoding === 'gzip') return gunzipSync(response.body).toString();
  if (encoding === undefined) return response.body.toString();
  throw new Error(`expected br, gzip or no Content-Encoding, but got ${encoding}`);
}

/** A Content-Security-Policy header as its directives: name -> source list. */
function directives(policy: string | undefined): Record<string, string[]> {
  expect(policy).toBeDefined();
  return Object.fromEntries(
    policy!
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .map(([name, ...sources]) => [name, sources]),
  );
}

const graphql = (query: string, acceptEncoding?: string) =>
  raw('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}`, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
    body: JSON.stringify({ query }),
  });

describe('the dashboard files', () => {
  it.each([
    ['a browser that takes brotli gets the brotli copy', 'gzip, deflate, br, zstd', 'br'],
    ['a client that takes only gzip gets the gzip copy', 'gzip', 'gzip'],
    ['a client that refuses brotli gets the gzip copy', 'br;q=0, gzip', 'gzip'],
    ['a client that takes no encoding it names gets the file itself', 'identity', undefined],
    ['a client that sends no Accept-Encoding gets the file itself', undefined, undefined],
  ])('%s', async (_case, acceptEncoding, encoding) => {
    const response = await raw('/assets/dashboard-3f9a1c.js', { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(decoded(response)).toBe(SCRIPT);
    if (encoding) expect(response.body.length).toBeLessThan(SCRIPT.length / 3);
  });

  it('sends a file without compressed copies as it is, whatever the client takes', async () => {
    const response = await raw('/assets/dashboard-90c2d4.css', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString()).toBe(STYLE);
  });

  it('lets browsers keep hashed assets for a year without asking again', async () => {
    for (const path of ['/assets/dashboard-3f9a1c.js', '/assets/dashboard-90c2d4.css']) {
      const response = await raw(path, { headers: { 'accept-encoding': 'br' } });
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['content-security-policy']).toBeUndefined();
    }
  });

  it('makes browsers revalidate the pages, and answers an unchanged page with 304', async () => {
    for (const path of ['/', '/graphiql']) {
      const first = await raw(path, { headers: { 'accept-encoding': 'br' } });
      expect(first.headers['cache-control']).toBe('no-cache');
      expect(first.headers.etag).toBeDefined();
      const again = await raw(path, { headers: { 'accept-encoding': 'br', 'if-none-match': first.headers.etag! } });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });

  it('answers a missing asset with 404, not with the page', async () => {
    const response = await raw('/assets/dashboard-000000.js', { headers: { 'accept-encoding': 'br' } });
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body.toString()).toBe('No asset at /assets/dashboard-000000.js');
    expect(response.headers['content-security-policy']).toBeUndefined();
  });

  it('never sends a page from under /assets, where it would be cached for a year without its policy', async () => {
    const response = await raw('/assets/../index.html');
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('<html');
  });

  it.each([['/'], ['/index.html'], ['/some/old/link']])('serves the dashboard page at %s, compressed when the client takes it', async (path) => {
    const response = await raw(path, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers.vary).toBe('Accept-Encoding');
    expect(decoded(response)).toBe(INDEX);
  });

  it('serves GraphiQL at /graphiql, with a shared link\'s operation in the query string', async () => {
    const response = await raw(`/graphiql?query=${encodeURIComponent('{ viewer { role } }')}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(decoded(response)).toBe(GRAPHIQL);
  });

  it('leaves the API paths to the API', async () => {
    const health = await raw('/health');
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    const unknownApi = await raw('/api/nothing-here');
    expect(unknownApi.status).toBe(404);
  });
});

describe('security headers', () => {
  it("gives the dashboard page a policy that runs the page's own scripts only and opens no frames, workers or plugins", async () => {
    const policy = directives((await raw('/')).headers['content-security-policy'] as string);
    expect(policy).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'", `ws://${new URL(origin).host}`, `wss://${new URL(origin).host}`],
      'worker-src': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it("gives GraphiQL's page its editor's workers, embedded fonts and inline styles, and still scripts from self only", async () => {
    const dashboard = directives((await raw('/')).headers['content-security-policy'] as string);
    const graphiql = directives((await raw('/graphiql')).headers['content-security-policy'] as string);
    expect(graphiql).toEqual({
      ...dashboard,
      'style-src': ["'self'", "'unsafe-inline'"],
      'font-src': ["'self'", 'data:'],
      'worker-src': ["'self'"],
    });
    expect(graphiql['script-src']).toEqual(["'self'"]);
  });

  it('names WebSocket origins from a plain Host header only, so a forged Host cannot widen the policy', async () => {
    const forged = await raw('/', { headers: { host: "evil.example script-src 'unsafe-inline' *" } });
    expect(forged.status).toBe(200);
    const policy = directives(forged.headers['content-security-policy'] as string);
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    const named = directives((await raw('/', { headers: { host: 'tally.example.com:8443' } })).headers['content-security-policy'] as string);
    expect(named['connect-src']).toEqual(["'self'", 'ws://tally.example.com:8443', 'wss://tally.example.com:8443']);
  });

  it.each([
    ['the dashboard page', () => raw('/')],
    ["GraphiQL's page", () => raw('/graphiql')],
    ['an asset', () => raw('/assets/dashboard-3f9a1c.js')],
    ['a missing asset', () => raw('/assets/missing.js')],
    ['a GraphQL answer', () => graphql('{ viewer { role } }')],
    ['/health', () => raw('/health')],
  ])('%s comes with nosniff, no referrer and no framing', async (_what, send) => {
    const { headers } = await send();
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toBeUndefined();
  });
});

describe('GraphQL answers', () => {
  // The schema's type names: an answer of several KB.
  const LARGE = '{ __schema { types { name kind description } } }';

  it.each([
    ['brotli', 'gzip, deflate, br', 'br'],
    ['gzip', 'gzip', 'gzip'],
  ])('of a kilobyte or more are compressed with %s when the client takes it', async (_name, acceptEncoding, encoding) => {
    const plain = await graphql(LARGE);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(4096);
    const compressed = await graphql(LARGE, acceptEncoding);
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe(encoding);
    expect(compressed.headers.vary).toMatch(/Accept-Encoding/);
    expect(compressed.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(decoded(compressed))).toEqual(JSON.parse(plain.body.toString()));
  });

  it('under a kilobyte go as they are', async () => {
    const small = await graphql('{ viewer { role } }', 'gzip, br');
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ data: { viewer: { role: 'ADMIN' } } });
  });
});

describe('a gateway without a built dashboard', () => {
  it('serves the API alone', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tally-web-none-'));
    const apiOnly = await startTestServer({ webDist: empty, database: server.db });
    try {
      const page = await fetch(new URL('/', apiOnly.url));
      expect(page.status).toBe(404);
      expect((await apiOnly.gql('{ viewer { role } }')).data).toEqual({ viewer: { role: 'ADMIN' } });
    } finally {
      await apiOnly.dispose();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('API tracking', () => {
  it('leaves GraphiQL, the dashboard and their assets out, found or not, and keeps the API in', async () => {
    const tracker = server.gateway.services.monitoring.tracker;
    const before = new Map(tracker.stats().map((e) => [e.key, e.callCount]));
    for (const path of ['/graphiql', '/graphiql.html', '/graphiql?query=%7B%20viewer%20%7B%20role%20%7D%20%7D', '/assets/graphiql-77ab01.js', '/assets/graphiql-gone.js', '/', '/costs', '/assets/dashboard-3f9a1c.js', '/assets/dashboard-90c2d4.css', '/assets/dashboard-gone.js']) {
      await raw(path, { headers: { 'accept-encoding': 'br' } });
    }
    await raw('/health');
    const grown = tracker.stats().filter((e) => e.callCount !== (before.get(e.key) ?? 0));
    expect(grown.map((e) => e.key)).toEqual(['GET /health']);
  });
});
