import { startTestServer, type TestServer } from './support/server';

// Attacks in the spirit of graphql-cop that the limits suite does not already cover.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

interface ErrorBody {
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; json: ErrorBody }> {
  const response = await fetch(server.url, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as ErrorBody };
}

const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

describe('attacks on the API', () => {
  it('refuses array batching', async () => {
    const { status } = await post(JSON.stringify([{ query: '{ viewer { scope } }' }, { query: '{ viewer { scope } }' }]), {
      'content-type': 'application/json',
      authorization: `Bearer ${server.adminKey}`,
    });
    expect(status).toBe(400);
  });

  it('refuses a repeated non-repeatable directive and a flood of directives', async () => {
    const repeated = await server.gql(`{ viewer @include(if: true) @include(if: true) { scope } }`);
    expect(repeated.errors![0].message).toBe('The directive "@include" can only be used once at this location.');
    const flood = `{ viewer { ${Array.from({ length: 60 }, (_, i) => `s${i}: scope @skip(if: false)`).join(' ')} } }`;
    const flooded = await server.gql(flood);
    expect(flooded.errors!.map((e) => e.message)).toContain('A document may use at most 50 directives, but this one uses 60');
  });

  it('refuses a GET query without a CSRF preflight header, and a text/plain POST', async () => {
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ viewer { scope } }')}`, { headers: { authorization: `Bearer ${server.adminKey}` } });
    expect(get.status).toBe(400);
    expect(await get.text()).toContain('CSRF');
    const plain = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${server.adminKey}` },
      body: JSON.stringify({ query: '{ viewer { scope } }' }),
    });
    expect(plain.status).toBe(400);
  });

  it('refuses a mutation sent with GET', async () => {
    const response = await fetch(`${server.url}?query=${encodeURIComponent('mutation { upsertAgent(input: { name: "x" }) { id } }')}`, {
      headers: { authorization: `Bearer ${server.adminKey}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    const [row] = await server.db.platform.query(`SELECT count(*)::int AS n FROM agents WHERE id = 'x'`);
    expect(row.n).toBe(0);
  });

  it('refuses introspection without a key and answers it with one', async () => {
    const anonymous = await server.gql(INTROSPECTION, {}, { key: null });
    expect(anonymous.data ?? null).toBeNull();
    expect(anonymous.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(anonymous.errors![0].message).toBe('Introspection needs an API key: send "Authorization: Bearer <key>", or read schema.graphql');
    const keyed = await server.gql(INTROSPECTION);
    expect(keyed.data!.__schema.queryType.name).toBe('Query');
  });

  it('gives field suggestions to keyed callers only', async () => {
    const anonymous = await server.gql('{ viewr { scope } }', {}, { key: null });
    expect(anonymous.errors![0].message).toBe('Cannot query field "viewr" on type "Query".');
    const keyed = await server.gql('{ viewr { scope } }');
    expect(keyed.errors![0].message).toContain('Did you mean "viewer"?');
  });

  it('never sends a stack trace or exception details', async () => {
    const cases = [
      await server.gql('{ viewer { nope } }'),
      await server.gql('{ usageMetrics(query: { metrics: [], period: LAST_1H }) { source } }'),
      await server.gql('{ llmCalls(before: "99999999999999999999") { id } }'),
      await server.gql('{', {}),
    ];
    for (const answer of cases) {
      expect(answer.errors!.length).toBeGreaterThan(0);
      for (const error of answer.errors!) {
        expect(JSON.stringify(error)).not.toMatch(/stacktrace|exception|at .*\.ts:\d+|node_modules/i);
      }
    }
  });

  it('refuses huge variables with a JSON error and stays up', async () => {
    const huge = JSON.stringify({ query: 'query Q($v: JSON) { viewer { scope } }', variables: { v: 'x'.repeat(6 * 1024 * 1024) } });
    const { status, json } = await post(huge, { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` });
    expect(status).toBe(413);
    expect(json.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const health = await fetch(server.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
  });
});
