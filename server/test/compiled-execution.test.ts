import { startTestServer, type GqlResult, type TestServer } from './support/server';

/**
 * A document runs on graphql-js the first time it arrives and compiled (graphql-jit) from the
 * second: each request below is sent three times, and every answer must be the one graphql-js
 * gave the first time, errors and their codes included.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { LIMIT_REQUESTS_PER_SECOND: '0' } });
});
afterAll(() => server.dispose());

const thrice = async (send: () => Promise<GqlResult>): Promise<GqlResult[]> => [await send(), await send(), await send()];

const TRACK = `mutation Track($inputs: [LlmCallInput!]!) { trackLlmCalls(inputs: $inputs) { accepted rejected { index message } } }`;
const call = (modelId: string, inputTokens: number, latencyMs: number) => ({
  modelId,
  provider: 'openai',
  requestType: 'chat',
  inputTokens,
  outputTokens: 10,
  latencyMs,
  status: 'SUCCESS',
  reportedCost: inputTokens / 1000,
});

it('answers the same figures, by hand, on every send', async () => {
  const { key } = await server.workspaceWithKey('compiled figures');
  const calls = [call('gpt-4o', 100, 200), call('gpt-4o', 300, 400), call('gpt-4o-mini', 50, 100)];
  expect((await server.gql(TRACK, { inputs: calls }, { key })).data!.trackLlmCalls).toEqual({ accepted: 3, rejected: [] });
  const query = `query Usage($withCost: Boolean!, $hide: Boolean!) {
    llmUsage(period: LAST_24H, groupBy: MODEL) { ...Figures totalCost @include(if: $withCost) avgLatencyMs @skip(if: $hide) }
  }
  fragment Figures on UsageGroup { key requests inputTokens outputTokens }`;
  const answers = await thrice(() => server.gql(query, { withCost: true, hide: true }, { key }));
  for (const answer of answers) {
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.llmUsage).toEqual([
      { key: 'gpt-4o', requests: 2, inputTokens: 400, outputTokens: 20, totalCost: 0.4 },
      { key: 'gpt-4o-mini', requests: 1, inputTokens: 50, outputTokens: 10, totalCost: 0.05 },
    ]);
  }
  const other = await thrice(() => server.gql(query, { withCost: false, hide: false }, { key }));
  for (const answer of other) expect(answer.data!.llmUsage[0]).toEqual({ key: 'gpt-4o', requests: 2, inputTokens: 400, outputTokens: 20, avgLatencyMs: 300 });
});

it('keeps an error thrown by a resolver, its code and message, on every send', async () => {
  const { key } = await server.workspaceWithKey('compiled refusal');
  const answers = await thrice(() => server.gql(`query List { workspaces { id } }`, {}, { key }));
  for (const answer of answers) {
    expect(answer.errors).toEqual([expect.objectContaining({ message: 'This needs an admin key, but this request uses a member key', extensions: { code: 'FORBIDDEN' } })]);
  }
});

it('refuses a variable of the wrong value alike on every send', async () => {
  const answers = await thrice(() => server.gql(`query Summary($p: Period!) { llmSummary(period: $p) { totalRequests } }`, { p: 'LAST_YEAR' }));
  expect(answers[0].errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(answers[0].errors?.[0].message).toContain('LAST_YEAR');
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);
});

it('runs the operation each request names, of a document holding two', async () => {
  const query = `query Role { viewer { role } } query Scope { viewer { scope } }`;
  const send = async (operationName: string): Promise<Record<string, unknown>> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminKey}` },
      body: JSON.stringify({ query, operationName }),
    });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  };
  for (let i = 0; i < 3; i++) {
    expect(await send('Role')).toEqual({ viewer: { role: 'ADMIN' } });
    expect(await send('Scope')).toEqual({ viewer: { scope: server.mainWorkspaceId } });
  }
});
