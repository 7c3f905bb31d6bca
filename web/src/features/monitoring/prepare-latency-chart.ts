import type { LineChartSeries } from '../../components/charts/LineChart';
import type { TimeAxis } from '../../components/charts/time-axis';
import type { SeriesColors } from '../../components/series-colors';
import { formatClockTime } from '../../format';

/** What the latency chart keeps of each snapshot: per key, the running call count and total time. */
export interface LatencySnapshot {
  at: string;
  endpoints: readonly { key: string; callCount: number; totalTimeMs: number }[];
}

/** Snapshots the chart keeps: two minutes at the default 2 s interval. */
export const LATENCY_WINDOW = 60;

/** The history with a new snapshot at the end, at most `max` long. */
export function appendSnapshot(history: readonly LatencySnapshot[], snapshot: LatencySnapshot, max = LATENCY_WINDOW): LatencySnapshot[] {
  const kept = history.length >= max ? history.slice(history.length - max + 1) : history;
  return [...kept, { at: snapshot.at, endpoints: snapshot.endpoints.map(({ key, callCount, totalTimeMs }) => ({ key, callCount, totalTimeMs })) }];
}

/** The series id of the line over every key. */
export const ALL_REQUESTS_ID = '(all requests)';
const ALL_REQUESTS_COLOR = '#6b7280';

export interface LatencyChart {
  axis: TimeAxis;
  series: LineChartSeries[];
  /** True until two snapshots with calls between them have arrived. */
  isEmpty: boolean;
  /** "4 of 17 keys" when the chart leaves keys out. */
  keysNote: string | null;
}

export interface LatencyChartOptions {
  colors: SeriesColors;
  timeZone: string;
  /** Lines for the busiest keys besides the line over all of them. @default 4 */
  maxKeys?: number;
}

/**
 * The mean time of the calls made between each snapshot and the one before, for all requests
 * and for the busiest keys of the window. An interval with no calls to a key is a gap in its
 * line, not a zero: nothing was measured. A count that went down (the gateway restarted)
 * starts over rather than drawing a negative time.
 */
export function prepareLatencyChart(history: readonly LatencySnapshot[], { colors, timeZone, maxKeys = 4 }: LatencyChartOptions): LatencyChart {
  const intervals = history.slice(1).map((snapshot, i) => {
    const before = new Map(history[i].endpoints.map((e) => [e.key, e]));
    const deltas = new Map<string, { calls: number; timeMs: number }>();
    for (const e of snapshot.endpoints) {
      const previous = before.get(e.key) ?? { callCount: 0, totalTimeMs: 0 };
      const calls = e.callCount - previous.callCount;
      if (calls > 0) deltas.set(e.key, { calls, timeMs: e.totalTimeMs - previous.totalTimeMs });
    }
    return { at: snapshot.at, deltas };
  });

  const callsByKey = new Map<string, number>();
  for (const { deltas } of intervals) for (const [key, d] of deltas) callsByKey.set(key, (callsByKey.get(key) ?? 0) + d.calls);
  const busiest = [...callsByKey].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, maxKeys).map(([key]) => key);

  const mean = (d: { calls: number; timeMs: number } | undefined): number | null => (d && d.calls > 0 ? d.timeMs / d.calls : null);
  const all: LineChartSeries = {
    id: ALL_REQUESTS_ID,
    label: 'All requests',
    color: ALL_REQUESTS_COLOR,
    values: intervals.map(({ deltas }) => {
      let calls = 0;
      let timeMs = 0;
      for (const d of deltas.values()) {
        calls += d.calls;
        timeMs += d.timeMs;
      }
      return mean({ calls, timeMs });
    }),
  };
  const perKey = busiest.map((key) => ({ id: key, label: key, color: colors.colorFor(key), values: intervals.map(({ deltas }) => mean(deltas.get(key))) }));

  const slots = intervals.map(({ at }) => {
    const time = formatClockTime(at, timeZone);
    return { key: at, tickLabel: time, fullLabel: time };
  });
  return {
    axis: { unit: 'HOUR', timeZone, slots, tickKeys: slots.map((s) => s.key) },
    series: [all, ...perKey],
    isEmpty: all.values.every((v) => v === null),
    keysNote: callsByKey.size > busiest.length ? `the busiest ${busiest.length} of ${callsByKey.size} keys` : null,
  };
}
