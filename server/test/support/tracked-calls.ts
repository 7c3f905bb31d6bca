import type { LlmCallInput } from '../../../sdk/src';

const MODELS = [
  { modelId: 'gpt-4o', provider: 'openai' },
  { modelId: 'gpt-4o-mini', provider: 'openai' },
  { modelId: 'claude-3-5-haiku-latest', provider: 'anthropic' },
];
const AGENTS = ['researcher', 'writer', null];

/**
 * `count` varied calls as an application would report them: three models, two agents and
 * none, one error in 33, spread over the last two days (so over many hourly and a few daily
 * rollup rows). Deterministic for a given count.
 */
export function trackedCalls(count: number, now = Date.now()): LlmCallInput[] {
  return Array.from({ length: count }, (_, i) => ({
    ...MODELS[i % MODELS.length],
    agentId: AGENTS[i % AGENTS.length],
    occurredAt: new Date(now - ((i * 7919) % (47 * 3600)) * 1000),
    inputTokens: 100 + ((i * 37) % 4000),
    outputTokens: 10 + ((i * 13) % 900),
    latencyMs: 50 + ((i * 31) % 3000),
    status: i % 33 === 0 ? 'ERROR' : 'SUCCESS',
    errorType: i % 33 === 0 ? 'rate_limit' : null,
    requestType: 'chat',
  }));
}
