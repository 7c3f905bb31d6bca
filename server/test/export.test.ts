import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

let server: TestServer;
let a: { key: string; workspaceId: string };
let b: { key: string; workspaceId: string };
const EXPORT = (s: TestServer) => s.url.replace('/graphql', '/api/export/llm-calls.csv');

async function download(query: string, headers: Record<string, string>): Promise<{ status: number; text: string; type: string | null }> {
  const response = await fetch(`${EXPORT(server)}${query}`, { headers });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

beforeAll(async () => {
  server = await startTestServer();
  a = await server.workspaceWithKey('export-a');
  b = await server.workspaceWithKey('export-b');
  const recent = new Date(Date.now() - 3_600_000).toISOString();
  const many = Array.from({ length: 1000 }, (_, i) => call({ occurredAt: recent, eventId: `a-${i}` }));
  for (let batch = 0; batch < 2; batch++) {
    await server.gql(TRACK_MANY, { inputs: many.map((c, i) => ({ ...c, eventId: `a-${batch}-${i}` })) }, { key: a.key });
  }
  await server.gql(TRACK_MANY, { inputs: [call({ occurredAt: recent, modelId: '=HYPERLINK("x")', provider: 'evil, inc' })] }, { key: a.key });
  await server.gql(TRACK_MANY, { inputs: [call({ occurredAt: recent, modelId: 'b-only-model' })] }, { key: b.key });
});
afterAll(() => server.dispose());

describe('GET /api/export/llm-calls.csv', () => {
  it('streams every call of the caller’s workspace with a header row, and nothing of another workspace', async () => {
    const { status, text, type } = await download('?period=LAST_24H', { authorization: `Bearer ${a.key}` });
    expect(status).toBe(200);
    expect(type).toContain('text/csv');
    const lines = text.trimEnd().split('\n');
    expect(lines[0].split(',').slice(0, 4)).toEqual(['id', 'occurred_at', 'workspace_id', 'model_id']);
    expect(lines).toHaveLength(1 + 2001);
    expect(text).not.toContain('b-only-model');
    expect(text).not.toContain(b.workspaceId);
  });

  it('quotes commas and defuses spreadsheet formulas', async () => {
    const { text } = await download('?period=LAST_24H', { authorization: `Bearer ${a.key}` });
    expect(text).toContain(`"'=HYPERLINK(""x"")"`);
    expect(text).toContain('"evil, inc"');
  });

  it('keeps costs exact as stored', async () => {
    // gpt-4o: 1000 input tokens at $2.50/M + 200 output tokens at $10/M
    const { text } = await download('?period=LAST_24H', { authorization: `Bearer ${a.key}` });
    const [header, row] = text.trimEnd().split('\n');
    const total = row.split(',')[header.split(',').indexOf('total_cost')];
    expect(total).toBe('0.004500000000');
  });

  it('gives an admin in scope __all__ every workspace', async () => {
    const { text } = await download('?period=LAST_24H', { authorization: `Bearer ${server.adminKey}`, 'x-workspace-id': '__all__' });
    expect(text.trimEnd().split('\n')).toHaveLength(1 + 2002);
  });

  it.each([
    ['no key', {}, 401, 'UNAUTHENTICATED'],
    ['a wrong key', { authorization: 'Bearer wrong' }, 401, 'UNAUTHENTICATED'],
  ])('refuses %s', async (_name, headers, status, code) => {
    const response = await download('', headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(JSON.parse(response.text).errors[0].extensions.code).toBe(code);
  });

  it('refuses a member naming another workspace', async () => {
    const response = await download('', { authorization: `Bearer ${a.key}`, 'x-workspace-id': b.workspaceId });
    expect(response.status).toBe(403);
    expect(response.text).not.toContain('b-only-model');
  });

  it('refuses an unknown period, listing the valid ones', async () => {
    const response = await download('?period=LAST_2Y', { authorization: `Bearer ${a.key}` });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).errors[0].message).toBe(
      'period must be one of LAST_1H, LAST_24H, LAST_7D, LAST_30D, LAST_90D, but got "LAST_2Y"',
    );
  });
});
