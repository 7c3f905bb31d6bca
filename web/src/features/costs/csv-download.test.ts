import { fetchCallsCsv, filenameFromDisposition, formatBytes } from './csv-download';

describe('filenameFromDisposition', () => {
  it.each([
    ['attachment; filename="llm-calls-last_7d-2025-05-03.csv"', 'llm-calls-last_7d-2025-05-03.csv'],
    ['attachment; filename=calls.csv', 'calls.csv'],
    ["attachment; filename*=UTF-8''caf%C3%A9.csv", 'café.csv'],
    ['attachment; filename="../../etc/passwd"', '.._.._etc_passwd'],
    ['attachment', 'fallback.csv'],
    [null, 'fallback.csv'],
  ])('reads %p as %p', (header, name) => {
    expect(filenameFromDisposition(header, 'fallback.csv')).toBe(name);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [812, '812 B'],
    [48_200, '48.2 kB'],
    [3_400_000, '3.4 MB'],
  ])('writes %p bytes as %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('fetchCallsCsv', () => {
  /** A fetch answering with the given chunks as a stream, recording what it was asked. */
  function fakeFetch(answer: { status?: number; chunks?: string[]; json?: unknown; disposition?: string }) {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const impl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, headers: init?.headers as Record<string, string> });
      // ASCII bytes (jsdom has no TextEncoder).
      const chunks = (answer.chunks ?? []).map((chunk) => Uint8Array.from(chunk, (char) => char.charCodeAt(0)));
      return {
        ok: (answer.status ?? 200) < 300,
        status: answer.status ?? 200,
        headers: { get: (name: string) => (name.toLowerCase() === 'content-disposition' ? (answer.disposition ?? null) : null) },
        body: { getReader: () => ({ read: async () => (chunks.length > 0 ? { done: false, value: chunks.shift() } : { done: true, value: undefined }) }) },
        json: async () => answer.json,
      };
    }) as unknown as typeof fetch;
    return { impl, calls };
  }

  it('sends the key and the admin scope, and asks for the period', async () => {
    const { impl, calls } = fakeFetch({ chunks: ['id\n'] });
    await fetchCallsCsv({ period: 'LAST_30D', apiKey: 'k-1', workspaceId: '__all__', onProgress: () => {}, fetchImpl: impl });
    expect(calls).toEqual([{ url: '/api/export/llm-calls.csv?period=LAST_30D', headers: { authorization: 'Bearer k-1', 'x-workspace-id': '__all__' } }]);
  });

  it('asks for the calls of the attribution filter only', async () => {
    const { impl, calls } = fakeFetch({ chunks: ['id\n'] });
    await fetchCallsCsv({
      period: 'LAST_7D',
      filter: { userIds: ['u 1'], tags: ['prod', 'eu'], metadata: [{ key: 'feature', value: 'a=b' }] },
      apiKey: 'k',
      workspaceId: null,
      onProgress: () => {},
      fetchImpl: impl,
    });
    expect(calls[0].url).toBe('/api/export/llm-calls.csv?period=LAST_7D&userId=u+1&tag=prod&tag=eu&metadata=feature%3Da%3Db');
  });

  it('reports the bytes received after every chunk and names the file as the gateway does', async () => {
    const { impl } = fakeFetch({ chunks: ['id,model\n', '1,gpt-4o\n', '2,claude\n'], disposition: 'attachment; filename="llm-calls-last_7d-2025-05-03.csv"' });
    const progress: number[] = [];
    const { blob, filename } = await fetchCallsCsv({ period: 'LAST_7D', apiKey: 'k', workspaceId: null, onProgress: (bytes) => progress.push(bytes), fetchImpl: impl });
    expect(progress).toEqual([9, 18, 27]);
    expect(blob.size).toBe(27);
    expect(filename).toBe('llm-calls-last_7d-2025-05-03.csv');
  });

  it("throws the gateway's own message when it refuses", async () => {
    const { impl } = fakeFetch({ status: 401, json: { errors: [{ message: 'Unknown API key', extensions: { code: 'UNAUTHENTICATED' } }] } });
    await expect(fetchCallsCsv({ period: 'LAST_7D', apiKey: 'bad', workspaceId: null, onProgress: () => {}, fetchImpl: impl })).rejects.toThrow('Unknown API key');
  });

  it('says which HTTP status came back when the refusal is not JSON', async () => {
    const { impl } = fakeFetch({ status: 502, json: undefined });
    await expect(fetchCallsCsv({ period: 'LAST_7D', apiKey: 'k', workspaceId: null, onProgress: () => {}, fetchImpl: impl })).rejects.toThrow(
      'The gateway answered with HTTP 502.',
    );
  });
});
