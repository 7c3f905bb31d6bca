import { buildTimeAxis, bucketKey } from '../../components/charts/time-axis';
import { formatCount, formatDollars, formatLatency, formatPercent, formatTokens } from '../../format';
import type { Metric, Period } from '../../gql/graphql';
import type { UsageByDimensionQuery, UserCallsQuery, UsersDailyCostQuery } from './gql/graphql';
import { periodOption } from '../../period';

type UsageRow = UsageByDimensionQuery['usageMetrics']['rows'][number];

const valueOf = (row: { values: readonly { metric: Metric; value: number }[] }, metric: Metric) => row.values.find((value) => value.metric === metric)?.value ?? 0;

/** One user or tag of a breakdown, in words. */
export interface UsageEntry {
  /** The dimension's value: a user id or a tag; "" for the calls that have none. */
  id: string;
  label: string;
  /** False for the group of calls without a user (or tag): it has no page. */
  named: boolean;
  cost: number;
  costLabel: string;
  requests: string;
  tokens: string;
  /** Cost against the costliest entry, 0 to 1: the length of its bar. */
  barShare: number;
}

/** A breakdown's rows (groupBy one dimension, costliest first) as entries, in the API's order. */
export function prepareUsageEntries(rows: readonly UsageRow[]): UsageEntry[] {
  const top = Math.max(0, ...rows.map((row) => valueOf(row, 'TOTAL_COST')));
  return rows.map((row) => {
    const dimension = row.dimensions[0];
    const cost = valueOf(row, 'TOTAL_COST');
    return {
      id: dimension?.value ?? '',
      label: dimension?.label || dimension?.value || '',
      named: Boolean(dimension?.value),
      cost,
      costLabel: formatDollars(cost),
      requests: formatCount(valueOf(row, 'REQUESTS')),
      tokens: formatTokens(valueOf(row, 'TOTAL_TOKENS')),
      barShare: top > 0 ? cost / top : 0,
    };
  });
}

/**
 * The entries whose id contains `text` (case-insensitive), or all of them for a blank search;
 * the group of calls without a user never matches a search.
 */
export function searchEntries(entries: readonly UsageEntry[], text: string): UsageEntry[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [...entries];
  return entries.filter((entry) => entry.named && (entry.id.toLowerCase().includes(needle) || entry.label.toLowerCase().includes(needle)));
}

/** Every day key ("2025-05-03") the period touches up to `now`, in `timeZone`, oldest first. */
export function periodDays(period: Period, now: Date, timeZone: string): string[] {
  const from = new Date(now.getTime() - periodOption(period).lengthMs);
  return buildTimeAxis({ unit: 'DAY', from, to: now, timeZone }).slots.map((slot) => slot.key);
}

/** Each user's cost on each of `days` (zero on a day without calls), for their trend lines. */
export function dailyCostPerUser(rows: UsersDailyCostQuery['usageMetrics']['rows'], days: readonly string[], timeZone: string): Map<string, number[]> {
  const index = new Map(days.map((day, at) => [day, at]));
  const perUser = new Map<string, number[]>();
  for (const row of rows) {
    const user = row.dimensions.find((dimension) => dimension.dimension === 'USER')?.value;
    if (user === undefined || typeof row.bucket !== 'string') continue;
    const at = index.get(bucketKey(new Date(row.bucket), 'DAY', timeZone));
    if (at === undefined) continue;
    const costs = perUser.get(user) ?? days.map(() => 0);
    costs[at] += valueOf(row, 'TOTAL_COST');
    perUser.set(user, costs);
  }
  return perUser;
}

type Call = UserCallsQuery['llmCalls'][number];

/** Calls of a user that share a session, in words. */
export interface SessionRow {
  /** The sessionId; null for the calls that name none. */
  id: string | null;
  calls: number;
  cost: string;
  tokens: string;
  firstAt: string;
  lastAt: string;
  /** Its models, most called first. */
  models: string[];
  errors: number;
}

/** Calls grouped by sessionId, the latest session first; calls without a session form one group, listed last. */
export function groupBySession(calls: readonly Call[]): SessionRow[] {
  const groups = new Map<string | null, Call[]>();
  for (const call of calls) {
    const id = call.sessionId ?? null;
    groups.set(id, [...(groups.get(id) ?? []), call]);
  }
  const rows = [...groups].map(([id, group]): SessionRow => {
    const times = group.map((call) => call.occurredAt as string).sort();
    const models = new Map<string, number>();
    for (const call of group) models.set(call.modelId, (models.get(call.modelId) ?? 0) + 1);
    return {
      id,
      calls: group.length,
      cost: formatDollars(group.reduce((sum, call) => sum + call.totalCost, 0)),
      tokens: formatTokens(group.reduce((sum, call) => sum + call.totalTokens, 0)),
      firstAt: times[0],
      lastAt: times[times.length - 1],
      models: [...models].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([model]) => model),
      errors: group.filter((call) => call.status === 'ERROR').length,
    };
  });
  return rows.sort((a, b) => (a.id === null ? 1 : b.id === null ? -1 : b.lastAt.localeCompare(a.lastAt)));
}

/** A user's headline figures. */
export function userFigures(totals: { values: readonly { metric: Metric; value: number }[] } | undefined, sessions: number | null): { label: string; value: string }[] {
  const get = (metric: Metric) => (totals ? valueOf(totals, metric) : 0);
  return [
    { label: 'Cost', value: formatDollars(get('TOTAL_COST')) },
    { label: 'Requests', value: formatCount(get('REQUESTS')) },
    { label: 'Tokens', value: formatTokens(get('TOTAL_TOKENS')) },
    { label: 'Error rate', value: formatPercent(get('ERROR_RATE')) },
    ...(sessions === null ? [] : [{ label: 'Sessions', value: formatCount(sessions) }]),
  ];
}

/** The Overview's eight figures of the filtered calls: no trends, as the filter has no previous-period figures to compare with. */
export function filteredSummaryTiles(totals: { values: readonly { metric: Metric; value: number }[] } | undefined): { id: string; label: string; value: string }[] {
  const get = (metric: Metric) => (totals ? valueOf(totals, metric) : 0);
  const requests = get('REQUESTS');
  return [
    { id: 'requests', label: 'Requests', value: formatCount(requests) },
    { id: 'tokens', label: 'Tokens', value: formatTokens(get('TOTAL_TOKENS')) },
    { id: 'cost', label: 'Cost', value: formatDollars(get('TOTAL_COST')) },
    { id: 'cost-per-call', label: 'Cost per call', value: requests > 0 ? formatDollars(get('TOTAL_COST') / requests) : '–' },
    { id: 'avg-latency', label: 'Avg latency', value: formatLatency(get('AVG_LATENCY_MS')) },
    { id: 'p95-latency', label: 'p95 latency', value: formatLatency(get('P95_LATENCY_MS')) },
    { id: 'error-rate', label: 'Error rate', value: `${formatPercent(get('ERROR_RATE'))} (${formatCount(get('ERROR_COUNT'))} failed)` },
    { id: 'unpriced', label: 'Unpriced calls', value: formatCount(get('UNPRICED_REQUESTS')) },
  ];
}
