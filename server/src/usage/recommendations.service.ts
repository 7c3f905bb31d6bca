import type { Db } from '../db/db';
import { runMetrics } from '../metrics/metrics.service';
import { periodLengthMs, periodRange, type Period, type Scope } from '../metrics/metrics.model';
import { registryModel, registryModelsOf, type RegistryModel } from '../pricing/pricing.service';

export type RecommendationKind = 'SWITCH_MODEL' | 'REDUCE_ERRORS' | 'ENABLE_CACHING' | 'USE_BYOK' | 'REDUCE_LATENCY' | 'BUDGET';
export type Impact = 'HIGH' | 'MEDIUM' | 'LOW';

export interface RecommendationValues {
  id: string;
  kind: RecommendationKind;
  impact: Impact;
  title: string;
  description: string;
  estimatedMonthlySavings: number | null;
  modelId: string | null;
  agentId: string | null;
}

/** One model's figures in the period (per provider). */
export interface ModelFigures {
  modelId: string;
  provider: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  totalCost: number;
  errorRate: number;
  errorCost: number;
  p95LatencyMs: number;
}

export interface AgentFigures {
  agentId: string;
  label: string;
  requests: number;
  errorRate: number;
  errorCost: number;
}

export interface ProviderFigures {
  provider: string;
  platformCost: number;
}

export interface RecommendationInput {
  models: ModelFigures[];
  agents: AgentFigures[];
  providers: ProviderFigures[];
  /** Providers the workspace holds an active BYOK key for. */
  byokProviders: Set<string>;
  /** Length of the period in days, to scale its money to a month. */
  days: number;
  registry: (modelId: string, provider: string) => RegistryModel | null;
  cheaperCandidates: (provider: string) => RegistryModel[];
}

/** The thresholds the rules use; named so the product can explain them. */
export const RULES = {
  shortOutputTokens: 200,
  minCallsForSwitch: 10,
  switchSavesAtLeast: 0.5,
  errorRateAbove: 0.05,
  minCallsForErrors: 20,
  longPromptTokens: 2000,
  cachedShareBelow: 0.1,
  assumedCacheableShare: 0.5,
  minCallsForCaching: 10,
  byokSpendAtLeast: 20,
  latencyTimesPeers: 2,
  minCallsForLatency: 20,
};

const money = (dollars: number): string => `$${dollars.toFixed(dollars < 10 ? 2 : 0)}`;

function impactOf(monthlySavings: number | null, fallback: Impact = 'LOW'): Impact {
  if (monthlySavings === null) return fallback;
  if (monthlySavings >= 100) return 'HIGH';
  if (monthlySavings >= 10) return 'MEDIUM';
  return 'LOW';
}

function costAt(rates: NonNullable<RegistryModel['rates']>, m: ModelFigures): number {
  const uncached = Math.max(0, m.inputTokens - m.cacheReadTokens);
  return (uncached * rates.inputPerMTok + m.cacheReadTokens * (rates.cacheReadPerMTok ?? rates.inputPerMTok) + m.outputTokens * rates.outputPerMTok) / 1e6;
}

function switchModel(m: ModelFigures, input: RecommendationInput): RecommendationValues | null {
  if (m.requests < RULES.minCallsForSwitch || m.outputTokens / m.requests >= RULES.shortOutputTokens || m.totalCost <= 0) return null;
  const current = input.registry(m.modelId, m.provider);
  if (!current) return null;
  const needed = new Set(current.capabilities);
  const options = input
    .cheaperCandidates(m.provider)
    .filter((c) => c.modelId !== m.modelId && c.rates && [...needed].every((cap) => c.capabilities.includes(cap)))
    .map((c) => ({ model: c, cost: costAt(c.rates!, m) }))
    .filter((o) => o.cost <= m.totalCost * (1 - RULES.switchSavesAtLeast))
    // The dearest of the options that still halve the cost is the closest in quality.
    .sort((a, b) => b.cost - a.cost || a.model.modelId.localeCompare(b.model.modelId));
  const best = options[0];
  if (!best) return null;
  const monthly = ((m.totalCost - best.cost) * 30) / input.days;
  const avgOutput = Math.round(m.outputTokens / m.requests);
  return {
    id: `SWITCH_MODEL:${m.provider}:${m.modelId}`,
    kind: 'SWITCH_MODEL',
    impact: impactOf(monthly),
    title: `Switch short answers from ${m.modelId} to ${best.model.modelId}`,
    description: `${m.requests} calls to ${m.modelId} averaged ${avgOutput} output tokens. ${best.model.modelId} (${m.provider}) has the same capabilities and would have cost ${money(best.cost)} instead of ${money(m.totalCost)} in this period.`,
    estimatedMonthlySavings: monthly,
    modelId: m.modelId,
    agentId: null,
  };
}

function reduceErrors(
  subject: { id: string; name: string; requests: number; errorRate: number; errorCost: number },
  which: 'model' | 'agent',
  days: number,
): RecommendationValues | null {
  if (subject.requests < RULES.minCallsForErrors || subject.errorRate <= RULES.errorRateAbove) return null;
  const monthly = (subject.errorCost * 30) / days;
  return {
    id: `REDUCE_ERRORS:${which}:${subject.id}`,
    kind: 'REDUCE_ERRORS',
    impact: subject.errorRate > 0.2 ? 'HIGH' : impactOf(monthly, 'MEDIUM'),
    title: `Reduce errors on ${which} ${subject.name}`,
    description: `${(subject.errorRate * 100).toFixed(1)}% of ${subject.requests} calls failed (above ${RULES.errorRateAbove * 100}%); failed calls cost ${money(subject.errorCost)} in this period.`,
    estimatedMonthlySavings: monthly,
    modelId: which === 'model' ? subject.id : null,
    agentId: which === 'agent' ? subject.id : null,
  };
}

function enableCaching(m: ModelFigures, input: RecommendationInput): RecommendationValues | null {
  if (m.requests < RULES.minCallsForCaching || m.inputTokens / m.requests < RULES.longPromptTokens) return null;
  if (m.cacheReadTokens / Math.max(1, m.inputTokens) >= RULES.cachedShareBelow) return null;
  const rates = input.registry(m.modelId, m.provider)?.rates;
  if (!rates || rates.cacheReadPerMTok === null || rates.cacheReadPerMTok >= rates.inputPerMTok) return null;
  const cacheable = (m.inputTokens - m.cacheReadTokens) * RULES.assumedCacheableShare;
  const monthly = ((cacheable * (rates.inputPerMTok - rates.cacheReadPerMTok)) / 1e6) * (30 / input.days);
  return {
    id: `ENABLE_CACHING:${m.provider}:${m.modelId}`,
    kind: 'ENABLE_CACHING',
    impact: impactOf(monthly),
    title: `Enable prompt caching for ${m.modelId}`,
    description: `Prompts to ${m.modelId} average ${Math.round(m.inputTokens / m.requests)} tokens and almost none are cache reads. Cache reads cost $${rates.cacheReadPerMTok}/M instead of $${rates.inputPerMTok}/M; if half the prompt tokens repeat, caching saves about ${money(monthly)} a month.`,
    estimatedMonthlySavings: monthly,
    modelId: m.modelId,
    agentId: null,
  };
}

function useByok(p: ProviderFigures, input: RecommendationInput): RecommendationValues | null {
  if (p.platformCost < RULES.byokSpendAtLeast || input.byokProviders.has(p.provider)) return null;
  const monthly = (p.platformCost * 30) / input.days;
  return {
    id: `USE_BYOK:${p.provider}`,
    kind: 'USE_BYOK',
    impact: impactOf(monthly),
    title: `Bring your own ${p.provider} key`,
    description: `${money(p.platformCost)} of ${p.provider} calls in this period ran on platform keys, and this workspace has no ${p.provider} key. With your own key those calls are billed by ${p.provider} directly.`,
    estimatedMonthlySavings: monthly,
    modelId: null,
    agentId: null,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function reduceLatency(m: ModelFigures, peersMedian: number): RecommendationValues | null {
  if (m.requests < RULES.minCallsForLatency || peersMedian <= 0 || m.p95LatencyMs <= RULES.latencyTimesPeers * peersMedian) return null;
  const times = m.p95LatencyMs / peersMedian;
  return {
    id: `REDUCE_LATENCY:${m.provider}:${m.modelId}`,
    kind: 'REDUCE_LATENCY',
    impact: times > 4 ? 'HIGH' : times > 3 ? 'MEDIUM' : 'LOW',
    title: `${m.modelId} is slow`,
    description: `p95 latency of ${m.modelId} is ${Math.round(m.p95LatencyMs)} ms, ${times.toFixed(1)} times the median p95 of the other models (${Math.round(peersMedian)} ms). Consider a faster model, streaming, or shorter prompts.`,
    estimatedMonthlySavings: null,
    modelId: m.modelId,
    agentId: null,
  };
}

const IMPACT_ORDER: Record<Impact, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/** The rules over a period's figures; pure, so each rule is tested without a database. */
export function recommend(input: RecommendationInput): RecommendationValues[] {
  const found: (RecommendationValues | null)[] = [];
  for (const m of input.models) {
    found.push(switchModel(m, input), enableCaching(m, input));
    found.push(reduceErrors({ id: m.modelId, name: m.modelId, requests: m.requests, errorRate: m.errorRate, errorCost: m.errorCost }, 'model', input.days));
    const peers = input.models.filter((o) => o !== m && o.requests > 0).map((o) => o.p95LatencyMs);
    if (peers.length > 0) found.push(reduceLatency(m, median(peers)));
  }
  for (const a of input.agents) {
    if (a.agentId === '') continue;
    found.push(reduceErrors({ id: a.agentId, name: a.label, requests: a.requests, errorRate: a.errorRate, errorCost: a.errorCost }, 'agent', input.days));
  }
  for (const p of input.providers) found.push(useByok(p, input));
  return found
    .filter((r): r is RecommendationValues => r !== null)
    .sort(
      (a, b) =>
        IMPACT_ORDER[a.impact] - IMPACT_ORDER[b.impact] ||
        (b.estimatedMonthlySavings ?? 0) - (a.estimatedMonthlySavings ?? 0) ||
        a.id.localeCompare(b.id),
    );
}

/** Gathers a period's figures through the metrics engine and applies the rules. */
export async function recommendations(db: Db, scope: Scope, period: Period, now: Date): Promise<RecommendationValues[]> {
  const range = periodRange(period, now);
  const base = { range, timezone: 'UTC' };
  const [models, modelErrors, agents, agentErrors, providers, byokKeys] = await Promise.all([
    runMetrics(db, scope, {
      ...base,
      metrics: ['REQUESTS', 'INPUT_TOKENS', 'OUTPUT_TOKENS', 'CACHE_READ_TOKENS', 'TOTAL_COST', 'ERROR_RATE', 'P95_LATENCY_MS'],
      groupBy: ['MODEL', 'PROVIDER'],
    }),
    runMetrics(db, scope, { ...base, metrics: ['TOTAL_COST'], groupBy: ['MODEL', 'PROVIDER'], filter: { status: 'ERROR' } }),
    runMetrics(db, scope, { ...base, metrics: ['REQUESTS', 'ERROR_RATE'], groupBy: ['AGENT'] }),
    runMetrics(db, scope, { ...base, metrics: ['TOTAL_COST'], groupBy: ['AGENT'], filter: { status: 'ERROR' } }),
    runMetrics(db, scope, { ...base, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'], filter: { isByok: false } }),
    scope.kind === 'workspace'
      ? (db.query(`SELECT provider FROM provider_keys WHERE workspace_id = $1 AND is_active`, [scope.workspaceId]) as Promise<{ provider: string }[]>)
      : Promise.resolve([] as { provider: string }[]),
  ]);
  const key = (dims: { value: string }[]): string => dims.map((d) => d.value).join('\u0000');
  const modelErrorCost = new Map(modelErrors.rows.map((r) => [key(r.dimensions), r.values.TOTAL_COST]));
  const agentErrorCost = new Map(agentErrors.rows.map((r) => [key(r.dimensions), r.values.TOTAL_COST]));
  return recommend({
    days: periodLengthMs(period) / 86_400_000,
    byokProviders: new Set(byokKeys.map((k) => k.provider)),
    registry: (modelId, provider) => registryModel(modelId, provider),
    cheaperCandidates: registryModelsOf,
    models: models.rows.map((r) => ({
      modelId: r.dimensions[0].value,
      provider: r.dimensions[1].value,
      requests: r.values.REQUESTS,
      inputTokens: r.values.INPUT_TOKENS,
      outputTokens: r.values.OUTPUT_TOKENS,
      cacheReadTokens: r.values.CACHE_READ_TOKENS,
      totalCost: r.values.TOTAL_COST,
      errorRate: r.values.ERROR_RATE,
      errorCost: modelErrorCost.get(key(r.dimensions)) ?? 0,
      p95LatencyMs: r.values.P95_LATENCY_MS,
    })),
    agents: agents.rows.map((r) => ({
      agentId: r.dimensions[0].value,
      label: r.dimensions[0].label,
      requests: r.values.REQUESTS,
      errorRate: r.values.ERROR_RATE,
      errorCost: agentErrorCost.get(key(r.dimensions)) ?? 0,
    })),
    providers: providers.rows.map((r) => ({ provider: r.dimensions[0].value, platformCost: r.values.TOTAL_COST })),
  });
}
