import type { AgentAnalyticsQuery, AgentCostByModelQuery, AgentHeartbeatsQuery } from '../../gql/graphql';
import { agentCostByModel, agentFigures, agentHeartbeat, modelMix, prepareAgentCalls, prepareAgentRows } from './prepare-agents';

type Analytics = AgentAnalyticsQuery['agentAnalytics'][number];
type Model = Analytics['models'][number];
const NOW = new Date('2025-06-15T12:00:00.000Z');

const model = (key: string, requests: number, totalCost: number): Model => ({ __typename: 'UsageGroup', key, label: key, requests, totalCost, errorRate: 0, p95LatencyMs: 800 });

const agent = (overrides: Partial<Analytics> = {}): Analytics => ({
  __typename: 'AgentAnalytics',
  agent: { __typename: 'Agent', id: 'support-bot', name: 'Support bot' },
  requests: 1234,
  totalCost: 12.5,
  totalTokens: 2_400_000,
  errorRate: 0.08,
  p95LatencyMs: 2300,
  runs: 41,
  lastCallAt: '2025-06-15T11:55:00.000Z',
  dailyCost: [
    { __typename: 'DailyCost', date: '2025-06-14', cost: 4 },
    { __typename: 'DailyCost', date: '2025-06-15', cost: 8.5 },
  ],
  models: [model('gpt-4o', 1000, 10), model('claude-3-5-haiku', 234, 2.5)],
  tools: [],
  memory: null,
  ...overrides,
});

describe('modelMix', () => {
  it('names the costliest models with their share of the cost, and counts the rest', () => {
    expect(modelMix([model('a', 1, 6), model('b', 1, 2), model('c', 1, 1), model('d', 1, 1)])).toBe('a 60% · b 20% · c 10% · 1 more');
  });

  it('falls back to the share of requests when nothing was priced, and says when there were no calls', () => {
    expect(modelMix([model('a', 3, 0), model('b', 1, 0)])).toBe('a 75% · b 25%');
    expect(modelMix([])).toBe('no calls');
  });
});

describe('prepareAgentRows', () => {
  it('writes each agent’s figures, its daily costs for the sparkline and its last call', () => {
    expect(prepareAgentRows([agent(), agent({ agent: { __typename: 'Agent', id: 'idle', name: 'idle' }, errorRate: 0, lastCallAt: null, models: [] })], NOW)).toEqual([
      {
        id: 'support-bot',
        name: 'Support bot',
        dailyCosts: [4, 8.5],
        requests: '1,234',
        cost: '$12.50',
        errorRate: '8.0%',
        failing: true,
        p95: '2.30 s',
        runs: '41',
        modelMix: 'gpt-4o 80% · claude-3-5-haiku 20%',
        lastCallAt: '2025-06-15T11:55:00.000Z',
        lastCall: '5 min ago',
      },
      expect.objectContaining({ id: 'idle', failing: false, modelMix: 'no calls', lastCallAt: null, lastCall: 'never' }),
    ]);
  });
});

describe('agentFigures', () => {
  it('gives the agent’s headline figures in words', () => {
    expect(agentFigures(agent(), NOW).map((figure) => `${figure.label}: ${figure.value}`)).toEqual([
      'Cost: $12.50',
      'Requests: 1,234',
      'Tokens: 2.4M',
      'Error rate: 8.0%',
      'p95 latency: 2.30 s',
      'Runs: 41',
      'Last call: 5 min ago',
    ]);
  });
});

describe('agentCostByModel', () => {
  type Row = AgentCostByModelQuery['usageMetrics']['rows'][number];
  const row = (bucket: string, modelId: string, cost: number): Row => ({
    __typename: 'MetricsRow',
    bucket,
    dimensions: [{ __typename: 'DimensionValue', dimension: 'MODEL', value: modelId }],
    values: [{ __typename: 'MetricValue', metric: 'TOTAL_COST', value: cost }],
  });

  it('puts every model’s cost on every day of the period, costliest model first, zero where it had none', () => {
    const data = agentCostByModel(['2025-06-13', '2025-06-14', '2025-06-15'], [row('2025-06-14T00:00:00.000Z', 'small', 1), row('2025-06-15T00:00:00.000Z', 'big', 5), row('2025-06-14T00:00:00.000Z', 'big', 2)]);
    expect(data.models).toEqual(['big', 'small']);
    expect(data.series.map((day) => [day.date, day.total, day.costs.map((entry) => entry.cost)])).toEqual([
      ['2025-06-13', 0, [0, 0]],
      ['2025-06-14', 3, [2, 1]],
      ['2025-06-15', 5, [5, 0]],
    ]);
  });

  it('leaves out rows outside the days given', () => {
    expect(agentCostByModel(['2025-06-15'], [row('2025-06-01T00:00:00.000Z', 'old', 9)])).toMatchObject({ models: [], series: [{ date: '2025-06-15', total: 0, costs: [] }] });
  });
});

describe('agentHeartbeat', () => {
  type Beat = AgentHeartbeatsQuery['heartbeats'][number];
  const beat = (service: string, instanceId: string, status: Beat['status'], secondsAgo: number): Beat => ({
    __typename: 'Heartbeat',
    service,
    instanceId,
    status,
    lastBeatAt: new Date(NOW.getTime() - secondsAgo * 1000).toISOString(),
  });
  const supportBot = { id: 'support-bot', name: 'Support bot' };

  it('is null when no worker beats under the agent’s id or name', () => {
    expect(agentHeartbeat([beat('ingest-worker', 'a', 'ALIVE', 3)], supportBot, NOW)).toBeNull();
  });

  it('matches the agent’s id or name in any case and gives the latest beat', () => {
    expect(agentHeartbeat([beat('Support Bot', 'a', 'ALIVE', 12)], supportBot, NOW)).toEqual({ status: 'ALIVE', label: 'Alive · beat 12 s ago', tone: 'ok' });
  });

  it('gives the worst state among several instances, with how many are in it', () => {
    const beats = [beat('support-bot', 'a', 'ALIVE', 10), beat('support-bot', 'b', 'STALE', 600)];
    expect(agentHeartbeat(beats, supportBot, NOW)).toEqual({ status: 'STALE', label: 'Stale, 1 of 2 instances · beat 10 s ago', tone: 'error' });
  });
});

describe('prepareAgentCalls', () => {
  it('writes each call with its tokens, cost, latency, outcome and run', () => {
    const rows = prepareAgentCalls(
      [
        { __typename: 'LlmCall', id: '7', occurredAt: '2025-06-15T11:59:00.000Z', modelId: 'gpt-4o', inputTokens: 1200, outputTokens: 300, totalCost: 0.0123, latencyMs: 850, status: 'ERROR', errorType: 'timeout', executionId: 'run-1' },
        { __typename: 'LlmCall', id: '6', occurredAt: '2025-06-15T11:00:00.000Z', modelId: 'gpt-4o-mini', inputTokens: 10, outputTokens: 5, totalCost: 0.0001, latencyMs: 120, status: 'SUCCESS', errorType: null, executionId: null },
      ],
      NOW,
    );
    expect(rows.map((r) => [r.when, r.model, r.failed, r.outcome, r.runId])).toEqual([
      ['1 min ago', 'gpt-4o', true, 'timeout', 'run-1'],
      ['1 h ago', 'gpt-4o-mini', false, 'OK', null],
    ]);
    expect(rows[0].tokens).toContain('in');
  });
});
