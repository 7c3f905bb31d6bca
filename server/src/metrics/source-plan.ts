import type { TimeRange } from './metrics.model';

/**
 * Which table answers which part of a range: rollups for whole hours and days, raw rows for the
 * partial hours at the edges. An edge hour may instead come from the rollup less the raw rows of
 * that hour outside the range (`rawOutside`), when those are the fewer.
 */
export interface SourcePlan {
  raw: TimeRange[];
  rawOutside: TimeRange[];
  hourly: TimeRange[];
  daily: TimeRange[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * Ranges shorter than this read raw rows only. Longer ones may read hourly rollups (by cost, see
 * chooseSourcesByCost): alert rules over a few hours, measured every second while calls land,
 * read a few hundred rollup rows instead of every call of those hours.
 */
export const MIN_ROLLUP_RANGE_MS = 2 * HOUR_MS;
/** A range ending this close to now ends "now": after it come only calls sent with clocks ahead. */
const NOW_MS = 60_000;

const floorTo = (t: number, unit: number): number => Math.floor(t / unit) * unit;
const roundTo = (t: number, unit: number): number => Math.round(t / unit) * unit;
const ceilTo = (t: number, unit: number): number => Math.ceil(t / unit) * unit;
const span = (from: number, to: number): TimeRange[] => (from < to ? [{ from: new Date(from), to: new Date(to) }] : []);

export interface PlanOptions {
  /** Read raw rows only (short ranges, exact percentiles, zones that split hours). */
  rawOnly: boolean;
  /** UTC-day rollups may answer whole days (no hour bucket, and local days are UTC days). */
  allowDaily: boolean;
  /** The current time (ms): which rows a range ending now leaves out of its last hour. */
  now: number;
  /**
   * Raw rows before this time (ms, a whole hour) are gone (retention): the part of a range before
   * it is read from rollups alone, its ends rounded to the nearest hour. @default null: every raw row is kept
   */
  rawFrom?: number | null;
  /**
   * False when no hourly rollup keeps the query's keys (users are kept by the day only): whole
   * UTC days come from the daily rollup, the partial days at the ends from raw rows. @default true
   */
  hourlyRollup?: boolean;
}

/**
 * Splits [from, to) into raw rows, whole hours (hourly rollup) and, where allowed, whole UTC
 * days (daily rollup). Sums over the pieces, less the raw rows outside, equal sums over the raw
 * rows of the whole range. An edge hour is read from the rollup when the range covers more than
 * half of it, or when the range ends now (the dashboard's periods, while calls pour into that hour).
 */
export function planSources(range: TimeRange, options: PlanOptions): SourcePlan {
  const from = range.from.getTime();
  const to = range.to.getTime();
  const rawFrom = options.rawFrom ?? null;
  if (options.hourlyRollup === false) {
    // Before the raw calls retention kept, the range's start is rounded to the nearest day.
    const start = rawFrom !== null && from < rawFrom && !options.rawOnly ? roundTo(from, DAY_MS) : from;
    const firstDay = ceilTo(start, DAY_MS);
    const lastDay = floorTo(to, DAY_MS);
    if (options.rawOnly || !options.allowDaily || firstDay >= lastDay) return { raw: span(from, to), rawOutside: [], hourly: [], daily: [] };
    return { raw: [...span(start, firstDay), ...span(lastDay, to)], rawOutside: [], hourly: [], daily: span(firstDay, lastDay) };
  }
  if (rawFrom !== null && from < rawFrom && !options.rawOnly) {
    // Rollups and raw rows agree, so a range on whole hours sums the same as before the cut.
    const before = wholeHours(roundTo(from, HOUR_MS), to <= rawFrom ? roundTo(to, HOUR_MS) : rawFrom, options.allowDaily);
    if (to <= rawFrom) return { raw: [], rawOutside: [], ...before };
    const after = planSources({ from: new Date(rawFrom), to: range.to }, { ...options, rawFrom: null });
    return { raw: after.raw, rawOutside: after.rawOutside, hourly: [...before.hourly, ...after.hourly], daily: [...before.daily, ...after.daily] };
  }
  const firstHour = ceilTo(from, HOUR_MS);
  const lastHour = floorTo(to, HOUR_MS);
  if (options.rawOnly || to - from < MIN_ROLLUP_RANGE_MS || firstHour >= lastHour) {
    return { raw: span(from, to), rawOutside: [], hourly: [], daily: [] };
  }
  const wholeFirstHour = firstHour - from > HOUR_MS / 2;
  const wholeLastHour = to - lastHour > HOUR_MS / 2 || (to > lastHour && to >= options.now - NOW_MS);
  const hoursFrom = wholeFirstHour ? firstHour - HOUR_MS : firstHour;
  const hoursTo = wholeLastHour ? lastHour + HOUR_MS : lastHour;
  const raw = [...(wholeFirstHour ? [] : span(from, firstHour)), ...(wholeLastHour ? [] : span(lastHour, to))];
  const rawOutside = [...span(hoursFrom, from), ...span(to, hoursTo)];
  return { raw, rawOutside, ...wholeHours(hoursFrom, hoursTo, options.allowDaily) };
}

/** Whole hours [hoursFrom, hoursTo) as hourly rollup ranges, and the whole UTC days among them as daily ones where allowed. */
function wholeHours(hoursFrom: number, hoursTo: number, allowDaily: boolean): Pick<SourcePlan, 'hourly' | 'daily'> {
  if (allowDaily) {
    const firstDay = ceilTo(hoursFrom, DAY_MS);
    const lastDay = floorTo(hoursTo, DAY_MS);
    if (firstDay < lastDay) return { hourly: [...span(hoursFrom, firstDay), ...span(lastDay, hoursTo)], daily: span(firstDay, lastDay) };
  }
  return { hourly: span(hoursFrom, hoursTo), daily: [] };
}
