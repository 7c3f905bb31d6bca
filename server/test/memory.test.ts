import { startStandIn, type SeenRequest, type StandIn, type StandInAnswer } from './support/stand-in';
import { startTestServer, type TestServer } from './support/server';

const RECORD = `mutation R($input: MemoryInput!) {
  recordMemory(input: $input) { id agentId memoryType memoryLevel importance accessCount preview createdAt }
}`;
const STATS = `{ memoryStats { source totalMemories byType { key count } byLevel { key count } avgImportance totalAccessCount agentsWithMemories } }`;
const AGENT_STATS = `{ agentMemoryStats { agentId agentName memoryCount avgImportance lastCreatedAt } }`;
const RECENT = `query Recent($limit: Int) { recentMemories(limit: $limit) { id agentId memoryType memoryLevel importance accessCount preview createdAt } }`;

/** A clock that moves one second each time it is read, so every memory has its own creation time. */
function tickingClock(start: string): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

const memory = (overrides: Record<string, unknown> = {}) => ({
  memoryType: 'semantic',
  importance: 0.5,
  content: 'The user prefers concise answers.',
  ...overrides,
});

describe('the local table (no MEM0_URL)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ now: tickingClock('2025-06-15T12:00:00.000Z') });
  });
  afterAll(() => server.dispose());

  async function record(key: string, input: Record<string, unknown>) {
    const result = await server.gql(RECORD, { input }, { key });
    expect(result.errors).toBeUndefined();
    return result.data!.recordMemory;
  }

  describe('recordMemory', () => {
    it('stores a memory and answers with it, created now, never accessed', async () => {
      const { key } = await server.workspaceWithKey('memory-record');
      const item = await record(key, memory({ agentId: 'planner', memoryLevel: 'long_term', importance: 0.9 }));
      expect(item).toMatchObject({
        agentId: 'planner',
        memoryType: 'semantic',
        memoryLevel: 'long_term',
        importance: 0.9,
        accessCount: 0,
        preview: 'The user prefers concise answers.',
      });
      expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(item.createdAt)).toBeGreaterThan(Date.parse('2025-06-15T12:00:00.000Z'));
    });

    it('previews at most 200 characters, never cutting a character in half', async () => {
      const { key } = await server.workspaceWithKey('memory-preview');
      const long = await record(key, memory({ content: 'x'.repeat(500) }));
      expect(long.preview).toBe('x'.repeat(200));
      const emoji = await record(key, memory({ content: '🧠'.repeat(300) }));
      expect(emoji.preview).toBe('🧠'.repeat(200));
    });

    it('creates an unknown agent named after its id', async () => {
      const { key } = await server.workspaceWithKey('memory-agent');
      await record(key, memory({ agentId: 'archivist' }));
      expect((await server.gql(`{ agents { id name } }`, {}, { key })).data!.agents).toEqual([{ id: 'archivist', name: 'archivist' }]);
    });

    it.each([
      ['importance above 1', { importance: 1.5 }, 'importance must be a number from 0 to 1, but got 1.5'],
      ['importance below 0', { importance: -0.1 }, 'importance must be a number from 0 to 1, but got -0.1'],
      ['empty content', { content: '   ' }, 'content must be 1 to 20000 characters (not only spaces), but got 3'],
      ['content over 20000 characters', { content: 'y'.repeat(20_001) }, 'content must be 1 to 20000 characters (not only spaces), but got 20001'],
      ['an empty type', { memoryType: '' }, 'memoryType must be 1 to 64 characters, but got 0'],
      ['an empty level', { memoryLevel: ' ' }, 'memoryLevel must be 1 to 64 characters or left out, but got 0'],
      ['an agent id with spaces', { agentId: 'my agent' }, 'agentId must be 1 to 128 letters, digits or ._:@/- characters, but got "my agent"'],
    ])('refuses %s with BAD_USER_INPUT and stores nothing', async (_name, bad, message) => {
      const { key } = await server.workspaceWithKey('memory-bad');
      const result = await server.gql(RECORD, { input: memory(bad) }, { key });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toBe(message);
      expect((await server.gql(STATS, {}, { key })).data!.memoryStats.totalMemories).toBe(0);
    });
  });

  describe('memoryStats', () => {
    it('totals the memories by type and level, with importance, accesses and agents', async () => {
      const { key, workspaceId } = await server.workspaceWithKey('memory-stats');
      await record(key, memory({ agentId: 'a1', memoryType: 'episodic', memoryLevel: 'short_term', importance: 0.2 }));
      await record(key, memory({ agentId: 'a1', memoryType: 'semantic', memoryLevel: 'long_term', importance: 0.6 }));
      await record(key, memory({ agentId: 'a2', memoryType: 'semantic', importance: 1 }));
      await record(key, memory({ memoryType: 'procedural', importance: 0.2 }));
      await server.db.platform.query(`UPDATE memory_items SET access_count = 3 WHERE workspace_id = $1 AND memory_type = 'semantic'`, [workspaceId]);
      const result = await server.gql(STATS, {}, { key });
      expect(result.errors).toBeUndefined();
      expect(result.data!.memoryStats).toEqual({
        source: 'LOCAL',
        totalMemories: 4,
        byType: [
          { key: 'semantic', count: 2 },
          { key: 'episodic', count: 1 },
          { key: 'procedural', count: 1 },
        ],
        byLevel: [
          { key: 'long_term', count: 1 },
          { key: 'short_term', count: 1 },
        ],
        avgImportance: expect.closeTo(0.5, 10),
        totalAccessCount: 6,
        agentsWithMemories: 2,
      });
    });

    it('answers zeros for a workspace without memories', async () => {
      const { key } = await server.workspaceWithKey('memory-empty');
      expect((await server.gql(STATS, {}, { key })).data!.memoryStats).toEqual({
        source: 'LOCAL',
        totalMemories: 0,
        byType: [],
        byLevel: [],
        avgImportance: 0,
        totalAccessCount: 0,
        agentsWithMemories: 0,
      });
    });
  });

  describe('agentMemoryStats', () => {
    it('gives each agent its name, count, average importance and newest memory, the most first', async () => {
      const { key } = await server.workspaceWithKey('memory-agents');
      await server.gql(`mutation { upsertAgent(input: { id: "a1", name: "Planner" }) { id } }`, {}, { key });
      await record(key, memory({ agentId: 'a1', importance: 0.2 }));
      const last = await record(key, memory({ agentId: 'a1', importance: 0.4 }));
      const other = await record(key, memory({ agentId: 'b2', importance: 1 }));
      await record(key, memory({ importance: 0.1 }));
      const result = await server.gql(AGENT_STATS, {}, { key });
      expect(result.data!.agentMemoryStats).toEqual([
        { agentId: 'a1', agentName: 'Planner', memoryCount: 2, avgImportance: expect.closeTo(0.3, 10), lastCreatedAt: last.createdAt },
        { agentId: 'b2', agentName: 'b2', memoryCount: 1, avgImportance: 1, lastCreatedAt: other.createdAt },
      ]);
    });
  });

  describe('recentMemories', () => {
    it('answers the 10 newest by default, newest first', async () => {
      const { key } = await server.workspaceWithKey('memory-recent');
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push((await record(key, memory({ content: `memory ${i}` }))).id);
      const result = await server.gql(RECENT, {}, { key });
      expect(result.data!.recentMemories.map((m: { id: string }) => m.id)).toEqual(ids.slice(2).reverse());
      const three = await server.gql(RECENT, { limit: 3 }, { key });
      expect(three.data!.recentMemories.map((m: { preview: string }) => m.preview)).toEqual(['memory 11', 'memory 10', 'memory 9']);
    });

    it.each([0, -1, 101])('refuses limit %s with BAD_USER_INPUT, saying what arrived', async (limit) => {
      const result = await server.gql(RECENT, { limit });
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toBe(`limit must be a whole number from 1 to 100, but got ${limit}`);
    });

    it('takes a limit of 100', async () => {
      expect((await server.gql(RECENT, { limit: 100 })).errors).toBeUndefined();
    });
  });

  describe('workspace isolation', () => {
    interface Tenant {
      workspaceId: string;
      key: string;
      marker: string;
    }
    let alpha: Tenant;
    let beta: Tenant;

    /** Each workspace's memories carry a type, content and agent name used nowhere else, under a shared agent id. */
    async function tenant(label: string): Promise<Tenant> {
      const { workspaceId, key } = await server.workspaceWithKey(`memory-iso-${label}`);
      const marker = `iso-${label}`;
      await server.gql(`mutation { upsertAgent(input: { id: "shared", name: "${marker} agent" }) { id } }`, {}, { key });
      await record(key, memory({ agentId: 'shared', memoryType: `${marker}-type`, memoryLevel: `${marker}-level`, content: `${marker} secret` }));
      return { workspaceId, key, marker };
    }
    const shows = (answer: unknown, t: Tenant) => JSON.stringify(answer).includes(t.marker);

    beforeAll(async () => {
      alpha = await tenant('alpha');
      beta = await tenant('beta');
    });

    it.each([
      ['memoryStats', STATS],
      ['agentMemoryStats', AGENT_STATS],
      ['recentMemories', RECENT],
    ])("%s shows a member its own workspace's memories and never another's", async (_name, query) => {
      for (const [own, other] of [
        [alpha, beta],
        [beta, alpha],
      ]) {
        const result = await server.gql(query, {}, { key: own.key });
        expect(result.errors).toBeUndefined();
        expect(shows(result.data, own)).toBe(true);
        expect(shows(result.data, other)).toBe(false);
      }
    });

    it('shows an admin naming one workspace exactly that workspace', async () => {
      for (const query of [STATS, AGENT_STATS, RECENT]) {
        const result = await server.gql(query, {}, { workspace: beta.workspaceId });
        expect(shows(result.data, beta)).toBe(true);
        expect(shows(result.data, alpha)).toBe(false);
      }
    });

    it('shows an admin in scope __all__ every workspace', async () => {
      for (const query of [STATS, AGENT_STATS, RECENT]) {
        const result = await server.gql(query, { limit: 100 }, { workspace: '__all__' });
        expect(shows(result.data, alpha)).toBe(true);
        expect(shows(result.data, beta)).toBe(true);
      }
    });

    it("records a member's memory in its own workspace", async () => {
      await record(alpha.key, memory({ content: 'only alpha knows this' }));
      const betaRecent = await server.gql(RECENT, { limit: 100 }, { key: beta.key });
      expect(JSON.stringify(betaRecent.data)).not.toContain('only alpha knows this');
    });

    it('is UNAUTHENTICATED without a key, for every query and the mutation', async () => {
      for (const [query, variables] of [
        [STATS, {}],
        [AGENT_STATS, {}],
        [RECENT, {}],
        [RECORD, { input: memory() }],
      ] as const) {
        const result = await server.gql(query, variables, { key: null });
        expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      }
    });
  });
});

describe('with MEM0_URL set', () => {
  const TIMEOUT_MS = 300;
  /** Each Mem0 user's memories, as OpenMemory lists them (newest first). */
  const memoriesByUser = new Map<string, Record<string, unknown>[]>();
  let mem0: StandIn;
  let server: TestServer;

  /** Answers GET /api/v1/memories/ as OpenMemory does: one page of a user's memories. */
  function openMemory(request: SeenRequest): StandInAnswer {
    if (request.path !== '/api/v1/memories/') return { status: 404, json: { detail: 'Not Found' } };
    const userId = request.query.get('user_id');
    if (!userId) return { status: 422, json: { detail: 'user_id is required' } };
    const all = memoriesByUser.get(userId) ?? [];
    const page = Number(request.query.get('page') ?? 1);
    const size = Number(request.query.get('size') ?? 50);
    return {
      json: { items: all.slice((page - 1) * size, page * size), total: all.length, page, size, pages: Math.max(1, Math.ceil(all.length / size)) },
    };
  }

  function mem0Memory(i: number, overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      content: `remembered thing ${i}`,
      created_at: 1_750_000_000 - i * 60,
      state: 'active',
      app_id: '11111111-1111-4111-8111-111111111111',
      app_name: 'openmemory',
      categories: ['preferences'],
      metadata_: metadata,
      ...overrides,
    };
  }

  beforeAll(async () => {
    mem0 = await startStandIn(openMemory);
    server = await startTestServer({ env: { MEM0_URL: mem0.url, MEM0_TIMEOUT_MS: String(TIMEOUT_MS) } });
  });
  afterAll(async () => {
    await server.dispose();
    await mem0.close();
  });
  beforeEach(() => mem0.answer(openMemory));

  it("answers memoryStats from Mem0, asking for the workspace's memories as its user", async () => {
    const { key, workspaceId } = await server.workspaceWithKey('mem0-stats');
    memoriesByUser.set(workspaceId, [
      mem0Memory(1, {}, { agent_id: 'a1', memory_type: 'episodic', memory_level: 'short_term', importance: 0.8, access_count: 4 }),
      mem0Memory(2, {}, { agent_id: 'a1', memory_type: 'episodic', importance: 0.4 }),
      mem0Memory(3, { app_name: 'cursor', categories: ['work'] }),
    ]);
    const result = await server.gql(STATS, {}, { key });
    expect(result.errors).toBeUndefined();
    expect(result.data!.memoryStats).toEqual({
      source: 'MEM0',
      totalMemories: 3,
      byType: [
        { key: 'episodic', count: 2 },
        { key: 'work', count: 1 },
      ],
      byLevel: [{ key: 'short_term', count: 1 }],
      avgImportance: expect.closeTo(0.6, 10),
      totalAccessCount: 4,
      agentsWithMemories: 2,
    });
    expect(mem0.seen.at(-1)!.query.get('user_id')).toBe(workspaceId);
  });

  it('reads every page of a long listing and keeps Mem0’s own total', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('mem0-pages');
    memoriesByUser.set(
      workspaceId,
      Array.from({ length: 150 }, (_, i) => mem0Memory(i, {}, { memory_type: i < 100 ? 'semantic' : 'episodic' })),
    );
    const before = mem0.seen.length;
    const stats = (await server.gql(STATS, {}, { key })).data!.memoryStats;
    expect(stats.totalMemories).toBe(150);
    expect(stats.byType).toEqual([
      { key: 'semantic', count: 100 },
      { key: 'episodic', count: 50 },
    ]);
    expect(mem0.seen.slice(before).map((r) => r.query.get('page'))).toEqual(['1', '2']);
  });

  it('asks Mem0 once for a request that wants both stats and agent stats', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('mem0-once');
    memoriesByUser.set(workspaceId, [mem0Memory(1, {}, { agent_id: 'a1' })]);
    const before = mem0.seen.length;
    const result = await server.gql(`{ memoryStats { source } agentMemoryStats { agentId } }`, {}, { key });
    expect(result.data).toEqual({ memoryStats: { source: 'MEM0' }, agentMemoryStats: [{ agentId: 'a1' }] });
    expect(mem0.seen.length - before).toBe(1);
  });

  it("answers agentMemoryStats from Mem0, with the agents' names from the gateway", async () => {
    const { key, workspaceId } = await server.workspaceWithKey('mem0-agents');
    await server.gql(`mutation { upsertAgent(input: { id: "a1", name: "Planner" }) { id } }`, {}, { key });
    memoriesByUser.set(workspaceId, [
      mem0Memory(1, {}, { agent_id: 'a1', importance: 0.2 }),
      mem0Memory(2, {}, { agent_id: 'a1', importance: 0.6 }),
      mem0Memory(3, { app_name: 'cursor' }),
    ]);
    const result = await server.gql(AGENT_STATS, {}, { key });
    expect(result.data!.agentMemoryStats).toEqual([
      { agentId: 'a1', agentName: 'Planner', memoryCount: 2, avgImportance: expect.closeTo(0.4, 10), lastCreatedAt: new Date(1_750_000_000_000 - 60_000).toISOString() },
      { agentId: 'cursor', agentName: 'cursor', memoryCount: 1, avgImportance: 0, lastCreatedAt: new Date(1_750_000_000_000 - 180_000).toISOString() },
    ]);
  });

  it('answers recentMemories from Mem0: the first page of `limit`, previews of 200 characters', async () => {
    const { key, workspaceId } = await server.workspaceWithKey('mem0-recent');
    memoriesByUser.set(workspaceId, [
      mem0Memory(1, { content: 'z'.repeat(450) }, { agent_id: 'a1', memory_type: 'semantic', memory_level: 'long_term', importance: 0.7, access_count: 2 }),
      mem0Memory(2),
      mem0Memory(3),
    ]);
    const result = await server.gql(RECENT, { limit: 2 }, { key });
    expect(result.data!.recentMemories).toEqual([
      {
        id: '00000000-0000-4000-8000-000000000001',
        agentId: 'a1',
        memoryType: 'semantic',
        memoryLevel: 'long_term',
        importance: 0.7,
        accessCount: 2,
        preview: 'z'.repeat(200),
        createdAt: new Date(1_750_000_000_000 - 60_000).toISOString(),
      },
      expect.objectContaining({ id: '00000000-0000-4000-8000-000000000002', memoryType: 'preferences', agentId: 'openmemory' }),
    ]);
    expect(mem0.seen.at(-1)!.query.get('size')).toBe('2');
  });

  describe.each<[string, StandInAnswer]>([
    ['does not answer in time', 'hang'],
    ['fails (HTTP 500)', { status: 500, text: 'Internal Server Error' }],
    ['answers malformed JSON', { text: '{"items": [' }],
    ['answers another shape', { json: { results: [] } }],
  ])('when Mem0 %s', (_name, answer) => {
    it('answers every memory query from the local table, saying LOCAL', async () => {
      const { key, workspaceId } = await server.workspaceWithKey('mem0-down');
      memoriesByUser.set(workspaceId, [mem0Memory(1, { content: 'only in mem0' })]);
      const recorded = await server.gql(RECORD, { input: memory({ agentId: 'local-agent', content: 'only in the local table' }) }, { key });
      expect(recorded.errors).toBeUndefined();
      mem0.answer(() => answer);
      const result = await server.gql(`{ memoryStats { source totalMemories } agentMemoryStats { agentId } recentMemories { preview } }`, {}, { key });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({
        memoryStats: { source: 'LOCAL', totalMemories: 1 },
        agentMemoryStats: [{ agentId: 'local-agent' }],
        recentMemories: [{ preview: 'only in the local table' }],
      });
    });
  });

  it('answers an admin in scope __all__ from the local table without asking Mem0', async () => {
    const before = mem0.seen.length;
    const result = await server.gql(STATS, {}, { workspace: '__all__' });
    expect(result.data!.memoryStats.source).toBe('LOCAL');
    expect(mem0.seen.length).toBe(before);
  });

  it("never shows one workspace's Mem0 memories to another", async () => {
    const alpha = await server.workspaceWithKey('mem0-iso-alpha');
    const beta = await server.workspaceWithKey('mem0-iso-beta');
    memoriesByUser.set(alpha.workspaceId, [mem0Memory(1, { content: 'alpha mem0 memory' }, { agent_id: 'alpha-agent', memory_type: 'alpha-type' })]);
    memoriesByUser.set(beta.workspaceId, [mem0Memory(2, { content: 'beta mem0 memory' }, { agent_id: 'beta-agent', memory_type: 'beta-type' })]);
    for (const query of [STATS, AGENT_STATS, RECENT]) {
      const alphaAnswer = JSON.stringify((await server.gql(query, {}, { key: alpha.key })).data);
      const betaAnswer = JSON.stringify((await server.gql(query, {}, { key: beta.key })).data);
      expect(alphaAnswer).toContain('alpha');
      expect(alphaAnswer).not.toContain('beta');
      expect(betaAnswer).toContain('beta');
      expect(betaAnswer).not.toContain('alpha');
    }
  });
});
