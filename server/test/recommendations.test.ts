import { recommend, type ModelFigures, type RecommendationInput } from '../src/usage/recommendations.service';
import type { RegistryModel } from '../src/pricing/pricing.service';
import { call, TRACK_MANY } from './fixtures/calls';
import { startTestServer, type TestServer } from './support/server';

const registryEntry = (modelId: string, input: number, output: number, cacheRead: number | null, capabilities = ['text']): RegistryModel => ({
  modelId,
  provider: 'acme',
  displayName: modelId,
  contextWindow: 128_000,
  capabilities,
  rates: { inputPerMTok: input, outputPerMTok: output, cacheReadPerMTok: cacheRead, cacheWritePerMTok: null },
});
const BIG = registryEntry('big', 10, 30, 1, ['text', 'vision']);
const MID = registryEntry('mid', 4, 12, 0.4, ['text', 'vision']);
const SMALL = registryEntry('small', 0.5, 1.5, 0.05, ['text', 'vision']);
const TEXT_ONLY = registryEntry('text-only', 0.1, 0.2, null, ['text']);
const REGISTRY = new Map([BIG, MID, SMALL, TEXT_ONLY].map((m) => [m.modelId, m]));

function figures(overrides: Partial<ModelFigures>): ModelFigures {
  return {
    modelId: 'big',
    provider: 'acme',
    requests: 100,
    inputTokens: 100_000,
    outputTokens: 10_000,
    cacheReadTokens: 0,
    totalCost: 1.3,
    errorRate: 0,
    errorCost: 0,
    p95LatencyMs: 1000,
    ...overrides,
  };
}

function input(overrides: Partial<RecommendationInput>): RecommendationInput {
  return {
    models: [],
    agents: [],
    providers: [],
    byokProviders: new Set(),
    days: 30,
    registry: (id) => REGISTRY.get(id) ?? null,
    cheaperCandidates: () => [...REGISTRY.values()],
    ...overrides,
  };
}

describe('recommendation rules', () => {
  it('suggests the dearest same-provider model with the needed capabilities that at least halves the cost of short answers', () => {
    // 100 calls, 100k input + 10k output: big costs $1.30, mid $0.52, small $0.065; text-only lacks vision.
    const [r] = recommend(input({ models: [figures({})] }));
    expect(r).toMatchObject({ id: 'SWITCH_MODEL:acme:big', kind: 'SWITCH_MODEL', modelId: 'big', impact: 'LOW' });
    expect(r.title).toBe('Switch short answers from big to mid');
    expect(r.estimatedMonthlySavings).toBeCloseTo(1.3 - 0.52, 10);
  });

  it('does not suggest a switch for long answers or too few calls', () => {
    expect(recommend(input({ models: [figures({ outputTokens: 100 * 250 })] }))).toEqual([]);
    expect(recommend(input({ models: [figures({ requests: 9 })] }))).toEqual([]);
  });

  it('flags an error rate above 5% with the money lost on failed calls, scaled to a month', () => {
    const [r] = recommend(input({ days: 7, models: [figures({ modelId: 'text-only', errorRate: 0.12, errorCost: 7 })] }));
    expect(r).toMatchObject({ kind: 'REDUCE_ERRORS', id: 'REDUCE_ERRORS:model:text-only', impact: 'MEDIUM' });
    expect(r.estimatedMonthlySavings).toBeCloseTo(30, 10);
  });

  it('flags an agent with many failures, and leaves calls without an agent alone', () => {
    const found = recommend(
      input({
        agents: [
          { agentId: 'support-bot', label: 'Support bot', requests: 50, errorRate: 0.3, errorCost: 2 },
          { agentId: '', label: 'No agent', requests: 50, errorRate: 0.9, errorCost: 2 },
        ],
      }),
    );
    expect(found.map((r) => r.id)).toEqual(['REDUCE_ERRORS:agent:support-bot']);
    expect(found[0]).toMatchObject({ impact: 'HIGH', agentId: 'support-bot', title: 'Reduce errors on agent Support bot' });
  });

  it('suggests caching for long prompts on a model whose cache reads are cheaper', () => {
    // 20 calls x 5,000 tokens = 100k uncached; half cacheable at $10 - $1 per million = $0.45 in 30 days.
    const [r] = recommend(input({ models: [figures({ requests: 20, inputTokens: 100_000, outputTokens: 20 * 500, totalCost: 1.3 })] }));
    expect(r).toMatchObject({ kind: 'ENABLE_CACHING', id: 'ENABLE_CACHING:acme:big' });
    expect(r.estimatedMonthlySavings).toBeCloseTo(0.45, 10);
  });

  it('suggests BYOK for heavy platform spend only where the workspace has no key', () => {
    const providers = [
      { provider: 'openai', platformCost: 300 },
      { provider: 'anthropic', platformCost: 300 },
      { provider: 'google', platformCost: 5 },
    ];
    const found = recommend(input({ providers, byokProviders: new Set(['anthropic']) }));
    expect(found.map((r) => r.id)).toEqual(['USE_BYOK:openai']);
    expect(found[0]).toMatchObject({ impact: 'HIGH', estimatedMonthlySavings: 300 });
  });

  it('flags a model whose p95 is far above its peers, with no money figure', () => {
    const models = [
      figures({ modelId: 'text-only', p95LatencyMs: 9000, outputTokens: 100 * 400 }),
      figures({ modelId: 'a', p95LatencyMs: 1000, outputTokens: 100 * 400 }),
      figures({ modelId: 'b', p95LatencyMs: 2000, outputTokens: 100 * 400 }),
    ];
    const found = recommend(input({ models, registry: () => null }));
    expect(found.map((r) => r.id)).toEqual(['REDUCE_LATENCY:acme:text-only']);
    expect(found[0]).toMatchObject({ impact: 'HIGH', estimatedMonthlySavings: null });
  });

  it('sorts by impact, then savings, then id', () => {
    const found = recommend(
      input({
        providers: [
          { provider: 'p1', platformCost: 50 },
          { provider: 'p2', platformCost: 500 },
          { provider: 'p3', platformCost: 20 },
        ],
      }),
    );
    expect(found.map((r) => `${r.impact}:${r.id}`)).toEqual(['HIGH:USE_BYOK:p2', 'MEDIUM:USE_BYOK:p1', 'MEDIUM:USE_BYOK:p3']);
  });
});

describe('llmRecommendations', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.dispose());

  it('finds a cheaper model for short gpt-4o answers and failing calls, with ids stable across calls', async () => {
    const { key } = await server.workspaceWithKey('recommend');
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const short = Array.from({ length: 12 }, () => call({ modelId: 'gpt-4o', outputTokens: 50, occurredAt: at }));
    const failing = Array.from({ length: 20 }, (_, i) =>
      call({ modelId: 'claude-3-5-haiku', provider: 'anthropic', agentId: 'flaky-bot', outputTokens: 600, occurredAt: at, status: i < 6 ? 'ERROR' : 'SUCCESS' }),
    );
    await server.gql(TRACK_MANY, { inputs: [...short, ...failing] }, { key });
    const QUERY = `{ llmRecommendations(period: LAST_7D) { id kind impact title estimatedMonthlySavings modelId agentId } }`;
    const first = await server.gql(QUERY, {}, { key });
    const second = await server.gql(QUERY, {}, { key });
    const found = first.data!.llmRecommendations as { id: string; kind: string; estimatedMonthlySavings: number }[];
    expect(found.map((r) => r.id)).toEqual(second.data!.llmRecommendations.map((r: { id: string }) => r.id));
    const ids = found.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['SWITCH_MODEL:openai:gpt-4o', 'REDUCE_ERRORS:model:claude-3-5-haiku', 'REDUCE_ERRORS:agent:flaky-bot']));
    expect(found.find((r) => r.kind === 'SWITCH_MODEL')!.estimatedMonthlySavings).toBeGreaterThan(0);
  });
});
