import type { Db } from '../db/db';
import { listAgents, type AgentRecord } from '../agents/agents.service';
import { runMetrics, runMetricsSets } from '../metrics/metrics.service';
import type { MetricsRowValue, Scope, TimeRange } from '../metrics/metrics.model';
import { USAGE_METRICS, usageGroup, type UsageGroupValues } from '../usage/usage.service';
import { runsPerAgent } from './runs.service';

export interface DailyCostRecord {
  /** YYYY-MM-DD, UTC. */
  date: string;
  cost: number;
}

export interface AgentAnalyticsRecord {
  agent: AgentRecord;
  requests: number;
  totalCost: number;
  totalTokens: number;
  errorRate: number;
  p95LatencyMs: number;
  runs: number;
  lastCallAt: Date | null;
  models: UsageGroupValues[];
  dailyCost: DailyCostRecord[];
}

const DAY_MS = 86_400_000;

/** Every UTC day the range touches, oldest first. */
export function daysOf(range: TimeRange): string[] {
  const days: string[] = [];
  for (let t = Math.floor(range.from.getTime() / DAY_MS) * DAY_MS; t < range.to.getTime(); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const key = (workspaceId: string, agentId: string) => `${workspaceId}\u0000${agentId}`;
const rowKey = (row: MetricsRowValue) => key(row.dimensions[0].value, row.dimensions[1].value);

/**
 * Every agent of the scope with its figures over `range`: totals and per model from one pass of
 * the metrics engine, and its cost per UTC day (every day of the range present, zero when it made
 * no call) from another (rollups for long ranges), and the runs it took part in from the runs table. Costliest
 * first, then by name. Its last call is its per-model totals' latest (all time).
 */
export async function agentAnalytics(db: Db, scope: Scope, range: TimeRange): Promise<AgentAnalyticsRecord[]> {
  // The daily costs apart: summed with the percentiles' histograms, each day's groups would carry them too.
  const [agents, [totals, perModel], perDay, runs] = await Promise.all([
    listAgents(db, scope),
    runMetricsSets(db, scope, { range, timezone: 'UTC', metrics: USAGE_METRICS, groupBy: ['WORKSPACE', 'AGENT', 'MODEL'], labels: false, filter: null }, [
      { groupBy: ['WORKSPACE', 'AGENT'] },
      { groupBy: ['WORKSPACE', 'AGENT', 'MODEL'] },
    ]),
    runMetrics(db, scope, { range, timezone: 'UTC', metrics: ['TOTAL_COST'], groupBy: ['WORKSPACE', 'AGENT'], bucket: 'DAY', labels: false, filter: null }),
    runsPerAgent(db, scope, range),
  ]);
  const totalsByAgent = new Map(totals.rows.map((row) => [rowKey(row), row.values]));
  const modelsByAgent = new Map<string, UsageGroupValues[]>();
  for (const row of perModel.rows) {
    const list = modelsByAgent.get(rowKey(row)) ?? [];
    list.push(usageGroup(row.dimensions[2], row.values));
    modelsByAgent.set(rowKey(row), list);
  }
  const costByDay = new Map<string, number>();
  for (const row of perDay.rows) costByDay.set(`${rowKey(row)}\u0000${row.bucket!.toISOString().slice(0, 10)}`, row.values.TOTAL_COST);
  const days = daysOf(range);
  const records = agents.map((agent): AgentAnalyticsRecord => {
    const k = key(agent.workspaceId, agent.id);
    const v = totalsByAgent.get(k);
    const lastUsed = agent.modelUsageStats.reduce<number | null>((latest, s) => Math.max(latest ?? 0, s.lastUsedAt.getTime()), null);
    return {
      agent,
      requests: v?.REQUESTS ?? 0,
      totalCost: v?.TOTAL_COST ?? 0,
      totalTokens: v?.TOTAL_TOKENS ?? 0,
      errorRate: v?.ERROR_RATE ?? 0,
      p95LatencyMs: v?.P95_LATENCY_MS ?? 0,
      runs: runs.get(k) ?? 0,
      lastCallAt: lastUsed === null ? null : new Date(lastUsed),
      models: (modelsByAgent.get(k) ?? []).sort((a, b) => b.totalCost - a.totalCost || a.key.localeCompare(b.key)),
      dailyCost: days.map((date) => ({ date, cost: costByDay.get(`${k}\u0000${date}`) ?? 0 })),
    };
  });
  return records.sort((a, b) => b.totalCost - a.totalCost || a.agent.name.localeCompare(b.agent.name) || a.agent.id.localeCompare(b.agent.id));
}
