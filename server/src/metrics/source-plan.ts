import type { TimeRange } from './metrics.model';

/** Which table answers which part of a range: raw rows for the edges, rollups in between. */
export interface SourcePlan {
  raw: TimeRange[];
  hourly: TimeRange[];
  daily: TimeRange[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const floorTo = (t: number, unit: number): number => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number): number => Math.ceil(t / unit) * unit;
const span = (from: number, to: number): TimeRange[] => (from < to ? [{ from: new Date(from), to: new Date(to) }] : []);

export interface PlanOptions {
  /** Read raw rows only (short ranges, exact percentiles, zones that split hours). */
  rawOnly: boolean;
  /** UTC-day rollups may answer whole days (no hour bucket, and local days are UTC days). */
  allowDaily: boolean;
}

/**
 * Splits [from, to) into the partial hours at its edges (raw rows), whole hours (hourly
 * rollup) and, where allowed, whole UTC days (daily rollup). Sums over the pieces equal
 * sums over the raw rows of the whole range.
 */
export function planSources(range: TimeRange, options: PlanOptions): SourcePlan {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const firstHour = ceilTo(from, HOUR_MS);
  const lastHour = floorTo(to, HOUR_MS);
  if (options.rawOnly || to - from < DAY_MS || firstHour >= lastHour) {
    return { raw: span(from, to), hourly: [], daily: [] };
  }
  const raw = [...span(from, firstHour), ...span(lastHour, to)];
  if (options.allowDaily) {
    const firstDay = ceilTo(firstHour, DAY_MS);
    const lastDay = floorTo(lastHour, DAY_MS);
    if (firstDay < lastDay) {
      return {
        raw,
        hourly: [...span(firstHour, firstDay), ...span(lastDay, lastHour)],
        daily: span(firstDay, lastDay),
      };
    }
  }
  return { raw, hourly: span(firstHour, lastHour), daily: [] };
}
