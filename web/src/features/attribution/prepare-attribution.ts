import { buildTimeAxis, bucketKey } from '../../components/charts/time-axis';
import { formatCount, formatDollars, formatPercent, formatTokens } from '../../format';
import type { Metric, Period } from '../../gql/graphql';
import type { UsageByDimensionQuery, UserSessionsQuery, UsersDailyCostQuery } from './gql/graphql';
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

type Session = UserSessionsQuery['userSessions']['sessions'][number];

/** A user's session (or the calls without one), in words. */
export interface SessionRow {
  /** The sessionId; null for the calls that name none. */
  id: string | null;
  calls: number;
  cost: string;
  firstAt: string;
  lastAt: string;
  /** Its models, most called first. */
  models: string[];
  errors: number;
}

/** Sessions as the API sums and orders them (the latest first, the calls without one last), in words. */
export function sessionRows(sessions: readonly Session[]): SessionRow[] {
  return sessions.map((session) => ({
    id: session.sessionId ?? null,
    calls: session.calls,
    cost: formatDollars(session.totalCost),
    firstAt: session.firstCallAt as string,
    lastAt: session.lastCallAt as string,
    models: session.models,
    errors: session.errors,
  }));
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

