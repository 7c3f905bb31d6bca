// The shape of the generated traffic, shared by the benchmarks: six priced models from three
// providers, ten agents that each lean on one model, a few BYOK calls and errors.

/** Model, provider, registry rates ($ per million tokens), typical latency, share of calls. */
export const MODELS = [
  { modelId: 'gpt-4o', provider: 'openai', input: 2.5, output: 10, cacheRead: 1.25, latencyMs: 1400, weight: 3 },
  { modelId: 'gpt-4o-mini', provider: 'openai', input: 0.15, output: 0.6, cacheRead: 0.075, latencyMs: 700, weight: 5 },
  { modelId: 'claude-sonnet-4-20250514', provider: 'anthropic', input: 3, output: 15, cacheRead: 0.3, latencyMs: 2200, weight: 3 },
  { modelId: 'claude-3-5-haiku-20241022', provider: 'anthropic', input: 0.8, output: 4, cacheRead: 0.08, latencyMs: 900, weight: 2 },
  { modelId: 'gemini-2.5-flash', provider: 'google', input: 0.3, output: 2.5, cacheRead: 0.03, latencyMs: 800, weight: 4 },
  { modelId: 'gemini-2.0-flash', provider: 'google', input: 0.1, output: 0.4, cacheRead: 0.025, latencyMs: 500, weight: 3 },
];

export const AGENT_IDS = Array.from({ length: 10 }, (_, i) => `agent-${String(i + 1).padStart(2, '0')}`);

/** Shares, as probabilities. */
export const SHARES = {
  /** a call from no agent */
  noAgent: 0.1,
  /** an agent's call goes to its own model (agent i uses MODELS[i % 6]); otherwise any model by weight */
  agentOwnModel: 0.7,
  byok: 0.2,
  error: 0.03,
  completion: 0.1,
  cacheRead: 0.3,
};

/** A small fast seeded generator (mulberry32), so every run sends the same calls. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOTAL_WEIGHT = MODELS.reduce((s, m) => s + m.weight, 0);

/** `count` trackLlmCalls inputs that happened in the last `spreadMs` before `now`. */
const RUNS_OF = Number(process.env.BENCH_RUNS_OF ?? 0);
const WORKFLOWS = ['nightly report', 'ticket triage', 'research'];

export function makeCalls(random, count, now, spreadMs, eventPrefix) {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const weightedModel = () => {
    let r = random() * TOTAL_WEIGHT;
    for (const m of MODELS) if ((r -= m.weight) < 0) return m;
    return MODELS[MODELS.length - 1];
  };
  return Array.from({ length: count }, (_, i) => {
    const agentIndex = random() < SHARES.noAgent ? -1 : Math.floor(random() * AGENT_IDS.length);
    const model = agentIndex >= 0 && random() < SHARES.agentOwnModel ? MODELS[agentIndex % MODELS.length] : weightedModel();
    const inputTokens = Math.min(100_000, Math.max(1, Math.round(Math.exp(Math.log(1500) + 0.8 * normal()))));
    const outputTokens = Math.min(16_000, Math.max(1, Math.round(Math.exp(Math.log(300) + 0.7 * normal()))));
    const status = random() < SHARES.error ? 'ERROR' : 'SUCCESS';
    return {
      eventId: `${eventPrefix}-${i}`,
      occurredAt: new Date(now.getTime() - Math.floor(random() * spreadMs)).toISOString(),
      modelId: model.modelId,
      provider: model.provider,
      inputTokens,
      outputTokens,
      cacheReadTokens: random() < SHARES.cacheRead ? Math.floor(inputTokens * random() * 0.5) : 0,
      latencyMs: Math.max(1, Math.round(model.latencyMs * Math.exp(0.5 * normal()))),
      status,
      errorType: status === 'ERROR' ? 'rate_limit' : null,
      isByok: random() < SHARES.byok,
      agentId: agentIndex >= 0 ? AGENT_IDS[agentIndex] : null,
      requestType: random() < SHARES.completion ? 'completion' : 'chat',
      // BENCH_RUNS_OF=10: ten calls in a row make a run of a workflow (what the runs table costs ingest).
      ...(RUNS_OF > 0 ? { executionId: `${eventPrefix}-run-${Math.floor(i / RUNS_OF)}`, workflow: WORKFLOWS[Math.floor(i / RUNS_OF) % WORKFLOWS.length] } : {}),
    };
  });
}
