import type { SparklineWords } from '../../components/charts/sparkline';
import { formatAgo, formatCount, formatDollars, formatLatency, formatPercent, formatTokens } from '../../format';
import type { AgentAnalyticsQuery, AgentCostByModelQuery, AgentHeartbeatsQuery, AgentRecentCallsQuery } from '../../gql/graphql';
import { dailyCostFromMetrics, type DailyCostData } from '../costs/prepare-daily-cost';

type Analytics = AgentAnalyticsQuery['agentAnalytics'][number];

/** A day's cost in a sparkline's words. */
export const DAILY_COST_WORDS: SparklineWords = {
  empty: 'No days',
  count: (values) => (values === 1 ? 'One day' : `The last ${values} days`),
  format: formatDollars,
  lowest: 'cheapest',
  highest: 'costliest',
};

/** One agent's row of the Agents table, in words. */
export interface AgentRow {
  id: string;
  name: string;
  dailyCosts: number[];
  requests: string;
  cost: string;
  errorRate: string;
  /** More than one call in twenty failing is worth a colour. */
  failing: boolean;
  p95: string;
  runs: string;
  /** Its models, costliest first, with their share of its cost: "gpt-4o 72% · claude-3-5-haiku 28%". */
  modelMix: string;
  lastCallAt: string | null;
  lastCall: string;
}

/** The model mix of an agent: at most `top` models by their share of its cost, the rest counted. */
export function modelMix(models: Analytics['models'], top = 3): string {
  if (models.length === 0) return 'no calls';
  const total = models.reduce((sum, model) => sum + model.totalCost, 0);
  const requests = models.reduce((sum, model) => sum + model.requests, 0);
  const share = (model: Analytics['models'][number]) => (total > 0 ? model.totalCost / total : requests > 0 ? model.requests / requests : 0);
  const shown = models.slice(0, top).map((model) => `${model.label} ${Math.round(share(model) * 100)}%`);
  const rest = models.length - top;
  return rest > 0 ? `${shown.join(' · ')} · ${rest} more` : shown.join(' · ');
}

/** Every agent as the Agents table writes it, in the API's order (costliest first). */
export function prepareAgentRows(agents: readonly Analytics[], now: Date): AgentRow[] {
  return agents.map((agent) => ({
    id: agent.agent.id,
    name: agent.agent.name,
    dailyCosts: agent.dailyCost.map((day) => day.cost),
    requests: formatCount(agent.requests),
    cost: formatDollars(agent.totalCost),
    errorRate: formatPercent(agent.errorRate),
    failing: agent.errorRate > 0.05,
    p95: formatLatency(agent.p95LatencyMs),
    runs: formatCount(agent.runs),
    modelMix: modelMix(agent.models),
    lastCallAt: (agent.lastCallAt as string | null) ?? null,
    lastCall: agent.lastCallAt ? formatAgo(agent.lastCallAt as string, now) : 'never',
  }));
}

/** The figures at the top of an agent's page. */
export interface AgentFigures {
  label: string;
  value: string;
}

/** An agent's headline figures. */
export function agentFigures(agent: Analytics, now: Date): AgentFigures[] {
  return [
    { label: 'Cost', value: formatDollars(agent.totalCost) },
    { label: 'Requests', value: formatCount(agent.requests) },
    { label: 'Tokens', value: formatTokens(agent.totalTokens) },
    { label: 'Error rate', value: formatPercent(agent.errorRate) },
    { label: 'p95 latency', value: formatLatency(agent.p95LatencyMs) },
    { label: 'Runs', value: formatCount(agent.runs) },
    { label: 'Last call', value: agent.lastCallAt ? formatAgo(agent.lastCallAt as string, now) : 'never' },
  ];
}

/** An agent's cost per model and UTC day in the shape of the Costs page's daily chart, over the days its `dailyCost` lists. */
export function agentCostByModel(days: readonly string[], rows: AgentCostByModelQuery['usageMetrics']['rows']): DailyCostData {
  return dailyCostFromMetrics(days, rows, 'UTC');
}

/** An agent's service as its heartbeats tell it: the worst state among its instances, and the latest beat. */
export interface AgentHeartbeat {
  status: 'ALIVE' | 'STALE' | 'STOPPED';
  /** "Alive", "Stale, 1 of 2 instances", with the latest beat: "Alive · beat 12s ago". */
  label: string;
  /** A stale service is worth a colour; a stopped one stopped on purpose. */
  tone: 'ok' | 'error' | 'muted';
}

const HEARTBEAT_RANK = { STALE: 0, ALIVE: 1, STOPPED: 2 } as const;
const HEARTBEAT_WORDS = { ALIVE: 'Alive', STALE: 'Stale', STOPPED: 'Stopped' } as const;

/**
 * The heartbeat of an agent's service: the workers whose service is the agent's id or name (any
 * case). Null when none beats under either, so the page says nothing rather than "down".
 */
export function agentHeartbeat(heartbeats: AgentHeartbeatsQuery['heartbeats'], agent: { id: string; name: string }, now: Date): AgentHeartbeat | null {
  const names = new Set([agent.id.toLowerCase(), agent.name.toLowerCase()]);
  const own = heartbeats.filter((beat) => names.has(beat.service.toLowerCase()));
  if (own.length === 0) return null;
  const status = own.map((beat) => beat.status).reduce((worst, next) => (HEARTBEAT_RANK[next] < HEARTBEAT_RANK[worst] ? next : worst));
  const latest = own.map((beat) => beat.lastBeatAt as string).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  const count = own.filter((beat) => beat.status === status).length;
  const instances = own.length > 1 ? `, ${count} of ${own.length} instances` : '';
  return {
    status,
    label: `${HEARTBEAT_WORDS[status]}${instances} · beat ${formatAgo(latest, now)}`,
    tone: status === 'ALIVE' ? 'ok' : status === 'STALE' ? 'error' : 'muted',
  };
}

/** One call in an agent's recent calls, in words. */
export interface AgentCallRow {
  id: string;
  occurredAt: string;
  when: string;
  model: string;
  tokens: string;
  cost: string;
  latency: string;
  failed: boolean;
  /** Its error type, or "OK". */
  outcome: string;
  /** The run it belongs to, if any. */
  runId: string | null;
}

/** An agent's latest calls as its page lists them, newest first (the API's order). */
export function prepareAgentCalls(calls: AgentRecentCallsQuery['llmCalls'], now: Date): AgentCallRow[] {
  return calls.map((call) => ({
    id: call.id,
    occurredAt: call.occurredAt as string,
    when: formatAgo(call.occurredAt as string, now),
    model: call.modelId,
    tokens: `${formatTokens(call.inputTokens)} in · ${formatTokens(call.outputTokens)} out`,
    cost: formatDollars(call.totalCost),
    latency: formatLatency(call.latencyMs),
    failed: call.status === 'ERROR',
    outcome: call.status === 'ERROR' ? (call.errorType ?? 'Error') : 'OK',
    runId: call.executionId ?? null,
  }));
}
