import type { Period } from '../metrics/metrics.model';
import {
  addDays,
  addMonths,
  compareDays,
  formatDay,
  formatMonth,
  fromLocal,
  isRealDay,
  localDay,
  localTime,
  mondayOf,
  type LocalDay,
} from './zoned-time';

/** A time range a question named, resolved against `now` in a zone. */
export interface ResolvedRange {
  /** Set when the range is one of the engine's rolling periods, so a re-run moves with the clock. */
  period?: Period;
  from: Date;
  to: Date;
  /** The range inside a sentence: "over the last 7 days", "yesterday", "since 3 Mar 2026". */
  phrase: string;
  /** The range in a title: "last 7 days", "yesterday", "since 3 Mar 2026". */
  title: string;
}

/** A unit of rolling or calendar time. */
export type RangeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** The units the calendar counts whole: days, weeks (from Monday), months and years. */
export type CalendarUnit = Exclude<RangeUnit, 'minute' | 'hour'>;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Rolling lengths the engine has a Period for. */
const PERIOD_BY_MS = new Map<number, Period>([
  [HOUR_MS, 'LAST_1H'],
  [DAY_MS, 'LAST_24H'],
  [7 * DAY_MS, 'LAST_7D'],
  [30 * DAY_MS, 'LAST_30D'],
  [90 * DAY_MS, 'LAST_90D'],
]);

/** A unit's rolling length: a month is 30 days and a year 365, as the engine's periods count them. */
const UNIT_MS: Record<RangeUnit, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS, year: 365 * DAY_MS };

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** How a rolling range reads: a single week, month or year reads as its days, so "past month" never looks like the calendar's "last month". */
function rollingWords(count: number, unit: RangeUnit): string {
  if (count === 1) return { minute: 'minute', hour: 'hour', day: '24 hours', week: '7 days', month: '30 days', year: '365 days' }[unit];
  return plural(count, unit);
}

/** "the last N units" ending now; a Period when the engine has one of that length. */
export function rollingRange(count: number, unit: RangeUnit, now: Date): ResolvedRange {
  // twelve months are a year (365 days), not twelve of the 30-day months the presets count
  const length = unit === 'month' && count % 12 === 0 ? (count / 12) * UNIT_MS.year : count * UNIT_MS[unit];
  const period = PERIOD_BY_MS.get(length);
  const words = rollingWords(count, unit);
  const range = { from: new Date(now.getTime() - length), to: now, phrase: `over the last ${words}`, title: `last ${words}` };
  return period ? { ...range, period } : range;
}

function clampToNow(range: ResolvedRange, now: Date): ResolvedRange {
  return range.to.getTime() > now.getTime() ? { ...range, to: now } : range;
}

/** A whole calendar day in a zone (its end clamped to now). */
export function dayRange(day: LocalDay, zone: string, now: Date, words?: string): ResolvedRange {
  const text = words ?? `on ${formatDay(day)}`;
  return clampToNow({ from: fromLocal(day, zone), to: fromLocal(addDays(day, 1), zone), phrase: text, title: words ?? formatDay(day) }, now);
}

/** Whole calendar days from `first` through `last`, both included. */
export function daysRange(first: LocalDay, last: LocalDay, zone: string, now: Date): ResolvedRange {
  const sameYear = first.year === last.year;
  const [start, end] = [formatDay(first, !sameYear), formatDay(last)];
  return clampToNow({ from: fromLocal(first, zone), to: fromLocal(addDays(last, 1), zone), phrase: `from ${start} to ${end}`, title: `${start} – ${end}` }, now);
}

/** From the start of a day until now. */
export function sinceRange(day: LocalDay, zone: string, now: Date, words?: string): ResolvedRange {
  const text = words ?? `since ${formatDay(day)}`;
  return { from: fromLocal(day, zone), to: now, phrase: text, title: text };
}

/** A calendar month (its end clamped to now). */
export function monthRange(year: number, month: number, zone: string, now: Date, words?: string): ResolvedRange {
  const first = { year, month, day: 1 };
  const title = words ?? formatMonth(year, month);
  return clampToNow({ from: fromLocal(first, zone), to: fromLocal(addMonths(first, 1), zone), phrase: words ?? `in ${title}`, title }, now);
}

/**
 * The calendar unit that contains now (`offset` 0: "this week") or one `offset` units before it
 * (-1: "last week"). Weeks start on Monday, as PostgreSQL's weekly buckets do.
 */
export function calendarRange(unit: CalendarUnit, offset: number, zone: string, now: Date): ResolvedRange {
  const today = localDay(now, zone);
  let first: LocalDay;
  let next: LocalDay;
  if (unit === 'day') {
    first = addDays(today, offset);
    next = addDays(first, 1);
  } else if (unit === 'week') {
    first = addDays(mondayOf(today), 7 * offset);
    next = addDays(first, 7);
  } else if (unit === 'month') {
    first = addMonths(today, offset);
    next = addMonths(first, 1);
  } else {
    first = { year: today.year + offset, month: 1, day: 1 };
    next = { year: first.year + 1, month: 1, day: 1 };
  }
  const [phrase, title] = calendarWords(unit, offset, first);
  return clampToNow({ from: fromLocal(first, zone), to: fromLocal(next, zone), phrase, title }, now);
}

/** A calendar range inside a sentence and in a title. */
function calendarWords(unit: CalendarUnit, offset: number, first: LocalDay): [string, string] {
  const same = (words: string): [string, string] => [words, words];
  if (unit === 'day') return offset === 0 ? same('today') : offset === -1 ? same('yesterday') : [`on ${formatDay(first)}`, formatDay(first)];
  if (offset === 0) return same(`this ${unit}`);
  if (offset === -1) return same(`last ${unit}`);
  if (unit === 'week') return same(`the week of ${formatDay(first)}`);
  if (unit === 'month') return [`in ${formatMonth(first.year, first.month)}`, formatMonth(first.year, first.month)];
  return [`in ${first.year}`, String(first.year)];
}

/** A calendar quarter (its end clamped to now): Q2 2026 is April to June. */
export function quarterRange(year: number, quarter: number, zone: string, now: Date, words?: [string, string]): ResolvedRange {
  const first = { year, month: 3 * quarter - 2, day: 1 };
  const [phrase, title] = words ?? [`in Q${quarter} ${year}`, `Q${quarter} ${year}`];
  return clampToNow({ from: fromLocal(first, zone), to: fromLocal(addMonths(first, 3), zone), phrase, title }, now);
}

/** The quarter holding today (`offset` 0) or `offset` quarters before it. */
export function calendarQuarter(offset: number, zone: string, now: Date): ResolvedRange {
  const today = localDay(now, zone);
  const index = today.year * 4 + Math.floor((today.month - 1) / 3) + offset;
  const words: [string, string] | undefined = offset === 0 ? ['this quarter', 'this quarter'] : offset === -1 ? ['last quarter', 'last quarter'] : undefined;
  return quarterRange(Math.floor(index / 4), (index % 4) + 1, zone, now, words);
}

/** Saturday and Sunday before this week's Monday (`offset` -1), or of this week (0, not over before Sunday ends). */
export function weekendRange(offset: 0 | -1, zone: string, now: Date): ResolvedRange {
  const saturday = addDays(mondayOf(localDay(now, zone)), 5 + 7 * offset);
  const words = offset === 0 ? 'this weekend' : 'last weekend';
  return clampToNow({ from: fromLocal(saturday, zone), to: fromLocal(addDays(saturday, 2), zone), phrase: words, title: words }, now);
}

/** The most recent given weekday (1 = Monday) up to today, or strictly before today when `beforeToday`. */
export function lastWeekday(weekday: number, zone: string, now: Date, beforeToday: boolean): LocalDay {
  const today = localTime(now, zone);
  let back = (today.weekday - weekday + 7) % 7;
  if (back === 0 && beforeToday) back = 7;
  return addDays(today, -back);
}

/** "the 10th": the most recent such day of a month up to today (last month's when today is before it). */
export function recentDayOfMonth(day: number, zone: string, now: Date): LocalDay | null {
  const today = localDay(now, zone);
  for (let back = 0; back <= 2; back++) {
    const candidate = { ...addMonths({ ...today, day: 1 }, -back), day };
    if (isRealDay(candidate) && compareDays(candidate, today) <= 0) return candidate;
  }
  return null;
}

/**
 * A day written without a year: the most recent such day up to today, so "March 3" in
 * January means last year's.
 */
export function completeYear(month: number, day: number, zone: string, now: Date): LocalDay | null {
  const today = localDay(now, zone);
  const candidate = { year: today.year, month, day };
  if (!isRealDay(candidate) && !(month === 2 && day === 29)) return null;
  if (isRealDay(candidate) && compareDays(candidate, today) <= 0) return candidate;
  for (let year = today.year - 1; year >= today.year - 8; year--) {
    const earlier = { year, month, day };
    if (isRealDay(earlier)) return earlier;
  }
  return null;
}
