import { bucketKey } from '../../components/charts/time-axis';
import type { SeriesColors } from '../../components/series-colors';
import type { FeedCallFragment } from '../../gql/graphql';
import { formatClockTime, formatDateTime, formatDollars, formatLatency, formatTokens } from '../../format';

/** A row of the live feed, every text already written. */
export interface FeedRow {
  id: string;
  /** "14:05:09" today, "3 May, 14:05" before. */
  time: string;
  /** The full instant, for the cell's title and a <time> element. */
  occurredAt: string;
  model: string;
  modelColor: string;
  provider: string;
  agent: string;
  /** "1.2k in · 340 out". */
  tokens: string;
  /** "$0.0123", or "unpriced" when neither the registry nor the caller knew a price. */
  cost: string;
  latency: string;
  /** The status in words, never colour alone: "OK", or "Error" with its type. */
  status: { ok: boolean; text: string; detail: string | null };
}

/** Options of prepareFeedRows. */
export interface FeedRowOptions {
  timeZone: string;
  now: Date;
  colors: SeriesColors;
}

/** Writes calls as feed rows, in the order given (newest first). */
export function prepareFeedRows(calls: readonly FeedCallFragment[], { timeZone, now, colors }: FeedRowOptions): FeedRow[] {
  const today = bucketKey(now, 'DAY', timeZone);
  return calls.map((call) => {
    const sameDay = bucketKey(new Date(call.occurredAt), 'DAY', timeZone) === today;
    return {
      id: call.id,
      time: sameDay ? formatClockTime(call.occurredAt, timeZone) : formatDateTime(call.occurredAt, timeZone),
      occurredAt: call.occurredAt,
      model: call.modelId,
      modelColor: colors.colorFor(call.modelId),
      provider: call.provider,
      agent: call.agent?.name ?? '—',
      tokens: `${formatTokens(call.inputTokens)} in · ${formatTokens(call.outputTokens)} out`,
      cost: call.priced ? formatDollars(call.totalCost) : 'unpriced',
      latency: formatLatency(call.latencyMs),
      status: call.status === 'SUCCESS' ? { ok: true, text: 'OK', detail: null } : { ok: false, text: 'Error', detail: call.errorType },
    };
  });
}

/** The most calls the feed keeps; older ones fall off the bottom. */
export const FEED_MAX_ROWS = 100;

/**
 * The feed after calls arrive: the new ones on top in arrival order (newest first), a call
 * already in the feed not repeated, at most `max` rows.
 */
export function mergeFeedCalls<T extends { id: string }>(current: readonly T[], arrived: readonly T[], max = FEED_MAX_ROWS): T[] {
  const seen = new Set<string>();
  const merged: T[] = [];
  for (const call of [...[...arrived].reverse(), ...current]) {
    if (seen.has(call.id)) continue;
    seen.add(call.id);
    merged.push(call);
    if (merged.length === max) break;
  }
  return merged;
}
