import { serverAudits } from 'graphql-http';
import { call } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';
import { runOver, type OperationAnswer as Answer } from './support/sockets';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

/** Runs an operation over graphql-ws with the admin key; errors arrive as a list. */
function overWebSocket(query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  return runOver(server.wsClient({ authorization: `Bearer ${server.adminKey}` }), query, variables);
}

const TRANSPORTS: [string, (query: string, variables?: Record<string, unknown>) => Promise<Answer>][] = [
  ['HTTP', (query, variables) => server.gql(query, variables)],
  ['WebSocket', overWebSocket],
];

/** Every limited document is a mutation that would store a call with this model if any resolver ran. */
const PROBE_MODEL = 'limits-probe-model';
const PROBE_INPUT = { input: call({ modelId: PROBE_MODEL }) };
const HEAD = 'mutation Probe($input: LlmCallInput!)';
const TRACK = 'trackLlmCall(input: $input)';

async function probeCallsStored(): Promise<number> {
  const [row] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE model_id = $1`, [PROBE_MODEL]);
  return row.n;
}

const range = (n: number): number[] => [...Array(n).keys()];

const LIMITED_DOCUMENTS: { name: string; document: string; codes: string[]; message: string | RegExp }[] = [
  {
    name: '101 aliases',
    document: `${HEAD} { ${range(101)
      .map((i) => `a${i}: ${TRACK} { id }`)
      .join(' ')} }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A document may use at most 50 aliases, but this one uses 101',
  },
  {
    // The schema nests at most three real fields (trackLlmCall > agent > modelUsageStats), so
    // the rest of the 20 levels are fields it does not have: the depth rule still counts them.
    name: 'a query 20 fields deep',
    document: `${HEAD} { ${TRACK} { agent { modelUsageStats { ${'deeper { '.repeat(16)} modelId ${'} '.repeat(16)} } } } }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A query may nest at most 15 fields deep, but this one goes 20 deep',
  },
  {
    name: '500 duplicate fields',
    document: `${HEAD} { ${TRACK} { ${'id '.repeat(500)} } }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A query may select at most 300 fields (repeats count), but this one selects 501',
  },
  {
    name: 'circular fragments',
    document: `${HEAD} { ...Track } fragment Track on Mutation { ${TRACK} { id } ...Again } fragment Again on Mutation { ...Track }`,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
    message: 'Cannot spread fragment "Track" within itself via "Again".',
  },
  {
    // Armor's max-depth once skipped any node named __schema, not only the introspection field.
    name: 'an operation named __schema 20 fields deep',
    document: `mutation __schema($input: LlmCallInput!) { ${TRACK} { agent { modelUsageStats { ${'deeper { '.repeat(16)} modelId ${'} '.repeat(16)} } } } }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A query may nest at most 15 fields deep, but this one goes 20 deep',
  },
  {
    name: 'a query 20 fields deep through a fragment named __schema',
    document: `${HEAD} { ${TRACK} { agent { ...__schema } } } fragment __schema on Agent { modelUsageStats { ${'deeper { '.repeat(16)} modelId ${'} '.repeat(16)} } }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A query may nest at most 15 fields deep, but this one goes 20 deep',
  },
  {
    // Fragments add no level: the same fields written inline would be 16 deep too.
    name: 'a query 16 fields deep through fragments',
    document: `${HEAD} { ...Track } fragment Track on Mutation { ${TRACK} { ...Agent } } fragment Agent on LlmCall { agent { modelUsageStats { ${'deeper { '.repeat(12)} modelId ${'} '.repeat(12)} } } }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A query may nest at most 15 fields deep, but this one goes 16 deep',
  },
  {
    name: 'a fragment with 30 aliases spread twice',
    document: `${HEAD} { ...Aliased ...Aliased } fragment Aliased on Mutation { ${range(30)
      .map((i) => `a${i}: ${TRACK} { id }`)
      .join(' ')} }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A document may use at most 50 aliases, but this one uses 60',
  },
  {
    name: '51 aliases of __typename',
    document: `${HEAD} { ${TRACK} { id } ${range(51)
      .map((i) => `t${i}: __typename`)
      .join(' ')} }`,
    codes: ['QUERY_TOO_COMPLEX'],
    message: 'A document may use at most 50 aliases, but this one uses 51',
  },
  {
    name: 'a token flood',
    document: `${HEAD} { ${TRACK} { id ${'__typename '.repeat(5000)} } }`,
    codes: ['GRAPHQL_PARSE_FAILED'],
    // graphql-js's own wording, typo included.
    message: 'Syntax Error: Document contains more that 5000 tokens. Parsing aborted.',
  },
];

describe.each(TRANSPORTS)('limits over %s', (_transport, run) => {
  it.each(LIMITED_DOCUMENTS)('rejects $name with a clear error before any resolver runs', async ({ document, codes, message }) => {
    const answer = await run(document, PROBE_INPUT);
    expect(answer.data ?? null).toBeNull();
    const limitError = answer.errors?.find((e) => e.message === message);
    expect(limitError).toBeDefined();
    expect(codes).toContain(limitError!.extensions?.code);
    expect(await probeCallsStored()).toBe(0);
  });

  it('accepts the same mutation within the limits (so the probe would have shown a resolver running)', async () => {
    const answer = await run(`${HEAD} { a: ${TRACK} { id } b: ${TRACK} { id } }`, { input: call({ modelId: 'limits-within-model' }) });
    expect(answer.errors).toBeUndefined();
    const [row] = await server.db.platform.query(`SELECT count(*)::int AS n FROM llm_usage WHERE model_id = 'limits-within-model'`);
    expect(row.n).toBeGreaterThan(0);
  });
});

describe.each(TRANSPORTS)('introspection over %s', (_transport, run) => {
  it('is not held to the depth limit under __schema', async () => {
    const typeRef = `${'ofType { '.repeat(14)} name ${'} '.repeat(14)}`;
    const answer = await run(`{ __schema { types { fields { type { ${typeRef} } } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.__schema).toBeDefined();
  });
});

describe('request size', () => {
  it('answers a body over 5 MB with 413 and a JSON error', async () => {
    const body = JSON.stringify({ query: '{ health { status } }', variables: { padding: 'x'.repeat(5 * 1024 * 1024 + 1) } });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
      body,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body may be at most 5mb', extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });

  it('closes a WebSocket that sends a message over 5 MB with 1009 (message too big)', async () => {
    // graphql-ws reports the refused frame on console.error; that report is expected here.
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const closed = new Promise<{ code: number }>((resolve) => {
      const client = server.wsClient({ authorization: `Bearer ${server.adminKey}` }, resolve);
      client.subscribe({ query: `{ health { status } } # ${'x'.repeat(5 * 1024 * 1024 + 1)}` }, { next: () => {}, error: () => {}, complete: () => {} });
    });
    try {
      expect((await closed).code).toBe(1009);
    } finally {
      quiet.mockRestore();
    }
  });

  it('answers a body that is not JSON with 400 and a JSON error', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: 'The request body must be valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
  });
});

describe.each(TRANSPORTS)('internal errors over %s', (_transport, run) => {
  // A table the agents query reads is renamed away, so PostgreSQL fails with a message naming it.
  it('are answered as "Internal server error" with no stack, SQL or table names', async () => {
    await server.db.dataSource.query(`ALTER TABLE agents RENAME TO agents_moved_away`);
    let answer: Answer;
    try {
      answer = await run(`{ agents { id name } }`);
    } finally {
      await server.db.dataSource.query(`ALTER TABLE agents_moved_away RENAME TO agents`);
    }
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].message).toBe('Internal server error');
    expect(answer.errors![0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const text = JSON.stringify(answer);
    for (const secret of ['agents_moved_away', 'relation', 'SELECT', 'stacktrace', '.ts:', 'node_modules']) expect(text).not.toContain(secret);
  });
});

describe('a cursor beyond any call id', () => {
  it('is BAD_USER_INPUT saying what arrived, not an internal error', async () => {
    const answer = await server.gql(`{ llmCalls(before: "9999999999999999999") { id } }`);
    expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0].message).toBe('before must be the id of a call, but got "9999999999999999999"');
  });
});

describe('GraphQL over HTTP', () => {
  const withAdminKey = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${server.adminKey}`);
    return fetch(input, { ...init, headers });
  };

  it('fails none of the spec audits that MUST pass', async () => {
    const audits = serverAudits({ url: server.url, fetchFn: withAdminKey });
    expect(audits.filter((a) => a.name.startsWith('MUST')).length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const audit of audits) {
      const result = await audit.fn();
      if (audit.name.startsWith('MUST') && result.status !== 'ok') failures.push(`${audit.name}: ${'reason' in result ? result.reason : ''}`);
    }
    expect(failures).toEqual([]);
  });
});
