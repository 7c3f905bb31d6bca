import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { secretRing } from '../src/keys/provider-key-cipher';
import { readProviderKey } from '../src/keys/provider-keys.service';
import { startStandIn, type StandIn } from './support/stand-in';
import { startTestServer, type GqlResult, type TestServer } from './support/server';

const SET_KEY = `mutation S($provider: String!, $key: String!) { setProviderKey(provider: $provider, key: $key) { provider last4 isActive createdAt } }`;
const DELETE_KEY = `mutation D($provider: String!) { deleteProviderKey(provider: $provider) }`;
const KEYS = `{ providerKeys { provider last4 isActive createdAt } }`;
const CREDITS = `{ openRouterCredits { totalCredits } }`;

/** Everything the gateway logs, at every level. */
const logLines: string[] = [];
/** Every answer the gateway gave, as text. */
const answers: string[] = [];

let upstream: StandIn;
let server: TestServer;

beforeAll(async () => {
  upstream = await startStandIn((request) =>
    request.path === '/api/v1/credits' ? { json: { data: { total_credits: 10, total_usage: 1 } } } : { status: 404 },
  );
  const logger = pino({ level: 'trace', base: undefined }, { write: (line: string) => void logLines.push(line) });
  server = await startTestServer({ logger, env: { OPENROUTER_BASE_URL: `${upstream.url}/api/v1` } });
});
afterAll(async () => {
  await server.dispose();
  await upstream.close();
});

/** A request whose answer is kept for the leak check. */
async function gql(query: string, variables: Record<string, unknown>, options: { key?: string; workspace?: string } = {}): Promise<GqlResult> {
  const result = await server.gql(query, variables, options);
  answers.push(JSON.stringify(result));
  return result;
}

const ring = () => secretRing(server.gateway.services.config.secretKey);
const plaintext = (label: string) => `sk-${label}-${randomBytes(12).toString('hex')}`;

describe('setProviderKey and providerKeys', () => {
  it('stores a key and shows only its last four characters, provider names lower-cased', async () => {
    const { key } = await server.workspaceWithKey('keys-set');
    const secret = plaintext('set');
    const result = await gql(SET_KEY, { provider: ' OpenAI ', key: secret }, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.setProviderKey).toMatchObject({ provider: 'openai', last4: secret.slice(-4), isActive: true });
    const list = await gql(KEYS, {}, { key });
    expect(list.data!.providerKeys).toEqual([result.data!.setProviderKey]);
  });

  it('lists a workspace’s keys by provider name', async () => {
    const { key } = await server.workspaceWithKey('keys-list');
    for (const provider of ['openrouter', 'anthropic', 'openai']) await gql(SET_KEY, { provider, key: plaintext(provider) }, { key });
    const list = await gql(KEYS, {}, { key });
    expect(list.data!.providerKeys.map((k: { provider: string }) => k.provider)).toEqual(['anthropic', 'openai', 'openrouter']);
  });

  it('replaces the key of a provider that has one', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('keys-replace');
    await gql(SET_KEY, { provider: 'openai', key: plaintext('old') }, { key });
    const newer = plaintext('new');
    await gql(SET_KEY, { provider: 'OPENAI', key: newer }, { key });
    const list = await gql(KEYS, {}, { key });
    expect(list.data!.providerKeys).toHaveLength(1);
    expect(list.data!.providerKeys[0].last4).toBe(newer.slice(-4));
    expect(await readProviderKey(server.db.platform, ring(), workspaceId, 'openai')).toEqual({ state: 'found', key: newer });
  });

  it.each([
    ['a provider with spaces', { provider: 'open ai', key: 'sk-valid-key-123' }, 'provider must be 1 to 64 letters, digits, ".", "_" or "-" (starting with a letter or digit), but got "open ai"'],
    ['an empty provider', { provider: '', key: 'sk-valid-key-123' }, 'provider must be 1 to 64 letters, digits, ".", "_" or "-" (starting with a letter or digit), but got ""'],
    ['a key of 5 characters', { provider: 'openai', key: 'sk-ab' }, 'key must be 8 to 512 characters with no spaces, but got 5 characters'],
    ['a key with a space', { provider: 'openai', key: 'sk-abc def-ghi' }, 'key must be 8 to 512 characters with no spaces, but got 14 characters with spaces'],
    ['a key of 513 characters', { provider: 'openai', key: 'k'.repeat(513) }, 'key must be 8 to 512 characters with no spaces, but got 513 characters'],
  ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_name, variables, message) => {
    const { key } = await server.workspaceWithKey('keys-bad');
    const result = await gql(SET_KEY, variables, { key });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toBe(message);
    expect((await gql(KEYS, {}, { key })).data!.providerKeys).toEqual([]);
  });
});

describe('deleteProviderKey', () => {
  it('removes the key and answers true', async () => {
    const { key } = await server.workspaceWithKey('keys-delete');
    await gql(SET_KEY, { provider: 'anthropic', key: plaintext('del') }, { key });
    expect((await gql(DELETE_KEY, { provider: 'Anthropic' }, { key })).data!.deleteProviderKey).toBe(true);
    expect((await gql(KEYS, {}, { key })).data!.providerKeys).toEqual([]);
  });

  it('answers false when there is no key to remove', async () => {
    const { key } = await server.workspaceWithKey('keys-delete-none');
    expect((await gql(DELETE_KEY, { provider: 'anthropic' }, { key })).data!.deleteProviderKey).toBe(false);
  });

  it('refuses a malformed provider name', async () => {
    const { key } = await server.workspaceWithKey('keys-delete-bad');
    const result = await gql(DELETE_KEY, { provider: 'a b' }, { key });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('encryption at rest', () => {
  async function storedRow(workspaceId: string, provider: string) {
    const [row] = await server.db.platform.query(
      `SELECT key_version, iv, ciphertext, auth_tag, last4 FROM provider_keys WHERE workspace_id = $1 AND provider = $2`,
      [workspaceId, provider],
    );
    return row as { key_version: number; iv: Buffer; ciphertext: Buffer; auth_tag: Buffer; last4: string };
  }

  it('stores AES-256-GCM ciphertext with a 12-byte IV, a 16-byte tag and key version 1, never the key', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('at-rest');
    const secret = plaintext('rest');
    await gql(SET_KEY, { provider: 'openai', key: secret }, { key });
    const row = await storedRow(workspaceId, 'openai');
    expect(row.key_version).toBe(1);
    expect(row.iv).toHaveLength(12);
    expect(row.auth_tag).toHaveLength(16);
    expect(row.ciphertext).toHaveLength(Buffer.byteLength(secret));
    const [dump] = await server.db.platform.query(`SELECT row_to_json(k)::text AS text FROM provider_keys k WHERE workspace_id = $1`, [workspaceId]);
    expect(dump.text).not.toContain(secret);
    expect(dump.text).not.toContain(Buffer.from(secret).toString('hex'));
  });

  it('uses a new random IV each time, so the same key never gives the same ciphertext', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('at-rest-iv');
    const secret = plaintext('iv');
    await gql(SET_KEY, { provider: 'openai', key: secret }, { key });
    const first = await storedRow(workspaceId, 'openai');
    await gql(SET_KEY, { provider: 'openai', key: secret }, { key });
    const second = await storedRow(workspaceId, 'openai');
    expect(second.iv.equals(first.iv)).toBe(false);
    expect(second.ciphertext.equals(first.ciphertext)).toBe(false);
  });

  it('fails to open a ciphertext copied to another workspace, and says so instead of using it', async () => {
    const alpha = await server.workspaceWithKey('copy-alpha');
    const beta = await server.workspaceWithKey('copy-beta');
    await gql(SET_KEY, { provider: 'openrouter', key: plaintext('copy') }, { key: alpha.key });
    await server.db.platform.query(
      `INSERT INTO provider_keys (workspace_id, provider, key_version, iv, ciphertext, auth_tag, last4)
       SELECT $2, provider, key_version, iv, ciphertext, auth_tag, last4 FROM provider_keys WHERE workspace_id = $1 AND provider = 'openrouter'`,
      [alpha.workspaceId, beta.workspaceId],
    );
    expect(await readProviderKey(server.db.platform, ring(), beta.workspaceId, 'openrouter')).toEqual({ state: 'unreadable' });
    const before = upstream.seen.length;
    const result = await gql(CREDITS, {}, { key: beta.key });
    expect(result.errors?.[0].extensions?.code).toBe('NOT_CONFIGURED');
    expect(result.errors?.[0].message).toBe(
      `This workspace's stored OpenRouter key cannot be decrypted with this server's TALLY_SECRET_KEY; set one with setProviderKey(provider: "openrouter", key: …) in Settings → Provider keys again`,
    );
    expect(upstream.seen.length).toBe(before);
  });

  it('fails to open a ciphertext copied to another provider', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('copy-provider');
    await gql(SET_KEY, { provider: 'openai', key: plaintext('prov') }, { key });
    await server.db.platform.query(
      `INSERT INTO provider_keys (workspace_id, provider, key_version, iv, ciphertext, auth_tag, last4)
       SELECT workspace_id, 'anthropic', key_version, iv, ciphertext, auth_tag, last4 FROM provider_keys WHERE workspace_id = $1`,
      [workspaceId],
    );
    expect(await readProviderKey(server.db.platform, ring(), workspaceId, 'anthropic')).toEqual({ state: 'unreadable' });
  });

  it('opens a key only with the server secret of its version', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('other-secret');
    const secret = plaintext('ring');
    await gql(SET_KEY, { provider: 'openai', key: secret }, { key });
    expect(await readProviderKey(server.db.platform, ring(), workspaceId, 'openai')).toEqual({ state: 'found', key: secret });
    expect(await readProviderKey(server.db.platform, secretRing(randomBytes(32)), workspaceId, 'openai')).toEqual({ state: 'unreadable' });
    await server.db.platform.query(`UPDATE provider_keys SET key_version = 2 WHERE workspace_id = $1`, [workspaceId]);
    expect(await readProviderKey(server.db.platform, ring(), workspaceId, 'openai')).toEqual({ state: 'unreadable' });
  });

  it('sends the decrypted key to OpenRouter, and only there', async () => {
    const { key } = await server.workspaceWithKey('upstream-use');
    const secret = plaintext('or');
    await gql(SET_KEY, { provider: 'openrouter', key: secret }, { key });
    expect((await gql(CREDITS, {}, { key })).data!.openRouterCredits.totalCredits).toBe(10);
    expect(upstream.seen.at(-1)!.authorization).toBe(`Bearer ${secret}`);
  });
});

describe('the plaintext never leaves', () => {
  it('appears in no answer and no log line, through every operation and failure', async () => {
    const { key } = await server.workspaceWithKey('no-leak');
    const secrets = [plaintext('leak-a'), plaintext('leak-b'), plaintext('leak-c')];
    await gql(SET_KEY, { provider: 'openai', key: secrets[0] }, { key });
    await gql(SET_KEY, { provider: 'openai', key: secrets[1] }, { key });
    await gql(SET_KEY, { provider: 'openrouter', key: secrets[2] }, { key });
    await gql(KEYS, {}, { key });
    // OpenRouter refuses the key and repeats it in its error text
    upstream.answer(() => ({ status: 401, json: { error: { message: `Invalid key ${secrets[2]}` } } }));
    const refused = await gql(CREDITS, {}, { key });
    expect(refused.errors?.[0].message).toBe(
      'OpenRouter refused the API key for GET /credits (HTTP 401: Invalid key [key]); set a valid key in Settings → Provider keys',
    );
    await gql(`mutation { syncOpenRouterActivity { inserted } }`, {}, { key });
    await gql(DELETE_KEY, { provider: 'openai' }, { key });
    await gql(SET_KEY, { provider: 'bad provider', key: secrets[0] }, { key });
    await gql(KEYS, {}, { key: 'not-a-key' });

    expect(answers.length).toBeGreaterThan(8);
    expect(logLines.some((l) => l.includes('"msg":"provider key stored"') && l.includes(secrets[2].slice(-4)))).toBe(true);
    expect(logLines.some((l) => l.includes('"msg":"OpenRouter request failed"') && l.includes('Invalid key [key]'))).toBe(true);
    for (const secret of secrets) {
      for (const text of [...answers, ...logLines]) expect(text).not.toContain(secret);
    }
  });
});

describe('workspace isolation', () => {
  it("shows a member its own workspace's keys and never another's", async () => {
    const alpha = await server.workspaceWithKey('iso-keys-alpha');
    const beta = await server.workspaceWithKey('iso-keys-beta');
    await gql(SET_KEY, { provider: 'alpha-only', key: plaintext('alpha') }, { key: alpha.key });
    await gql(SET_KEY, { provider: 'beta-only', key: plaintext('beta') }, { key: beta.key });
    expect((await gql(KEYS, {}, { key: alpha.key })).data!.providerKeys.map((k: { provider: string }) => k.provider)).toEqual(['alpha-only']);
    expect((await gql(KEYS, {}, { key: beta.key })).data!.providerKeys.map((k: { provider: string }) => k.provider)).toEqual(['beta-only']);
  });

  it("never replaces or deletes another workspace's key", async () => {
    const alpha = await server.workspaceWithKey('iso-write-alpha');
    const beta = await server.workspaceWithKey('iso-write-beta');
    const alphaSecret = plaintext('alpha-write');
    await gql(SET_KEY, { provider: 'openai', key: alphaSecret }, { key: alpha.key });
    await gql(SET_KEY, { provider: 'openai', key: plaintext('beta-write') }, { key: beta.key });
    expect((await gql(DELETE_KEY, { provider: 'openai' }, { key: beta.key })).data!.deleteProviderKey).toBe(true);
    expect((await gql(DELETE_KEY, { provider: 'openai' }, { key: beta.key })).data!.deleteProviderKey).toBe(false);
    expect(await readProviderKey(server.db.platform, ring(), alpha.workspaceId, 'openai')).toEqual({ state: 'found', key: alphaSecret });
  });

  it('lets an admin who names a workspace manage exactly that workspace’s keys', async () => {
    const gamma = await server.workspaceWithKey('iso-admin');
    await gql(SET_KEY, { provider: 'mistral', key: plaintext('admin') }, { workspace: gamma.workspaceId });
    expect((await gql(KEYS, {}, { key: gamma.key })).data!.providerKeys.map((k: { provider: string }) => k.provider)).toEqual(['mistral']);
    expect((await gql(KEYS, {}, {})).data!.providerKeys.map((k: { provider: string }) => k.provider)).not.toContain('mistral');
  });

  it('is UNAUTHENTICATED without a key, for the query and both mutations', async () => {
    for (const [query, variables] of [
      [KEYS, {}],
      [SET_KEY, { provider: 'openai', key: 'sk-some-key-123' }],
      [DELETE_KEY, { provider: 'openai' }],
    ] as const) {
      const result = await server.gql(query, variables, { key: null });
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
