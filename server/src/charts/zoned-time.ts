import type { TimeBucket } from '../metrics/metrics.model';
import { Temporal } from '@js-temporal/polyfill';
import { zonedDateTime } from '../metrics/timezone';

/** A calendar day, as written on a wall calendar in some zone. */
export interface LocalDay {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
}

/** A wall-clock moment in a zone, to the hour. */
export interface LocalTime extends LocalDay {
  hour: number;
  /** 1 = Monday … 7 = Sunday (ISO), as PostgreSQL's date_trunc('week') counts. */
  weekday: number;
}

const toDate = (day: LocalDay) => Temporal.PlainDate.from({ year: day.year, month: day.month, day: day.day });
const toDay = (date: Temporal.PlainDate): LocalDay => ({ year: date.year, month: date.month, day: date.day });

/** The wall-clock reading of an instant in a zone. */
export function localTime(at: Date, zone: string): LocalTime {
  const local = zonedDateTime(at, zone);
  return { year: local.year, month: local.month, day: local.day, hour: local.hour, weekday: local.dayOfWeek };
}

/**
 * The instant a wall-clock time in a zone names. A time skipped by a clock change moves on to the
 * instant just after; a time that occurs twice is its first occurrence (RFC 5545's rule).
 */
export function fromLocal(day: LocalDay, zone: string, hour = 0): Date {
  const wall = Temporal.PlainDateTime.from({ year: day.year, month: day.month, day: day.day, hour });
  return new Date(wall.toZonedDateTime(zone, { disambiguation: 'compatible' }).epochMilliseconds);
}

/** The calendar day `days` after (or before) a day. */
export function addDays(day: LocalDay, days: number): LocalDay {
  return toDay(toDate(day).add({ days }));
}

/** The first day of the month `months` after (or before) a day's month. */
export function addMonths(day: LocalDay, months: number): LocalDay {
  return toDay(toDate({ ...day, day: 1 }).add({ months }));
}

/** Whether a year, month and day name a real calendar day. */
export function isRealDay(day: LocalDay): boolean {
  try {
    Temporal.PlainDate.from({ year: day.year, month: day.month, day: day.day }, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** Orders two calendar days: negative when a is earlier. */
export function compareDays(a: LocalDay, b: LocalDay): number {
  return Temporal.PlainDate.compare(toDate(a), toDate(b));
}

/** The Monday of a day's ISO week. */
export function mondayOf(day: LocalDay): LocalDay {
  const date = toDate(day);
  return toDay(date.subtract({ days: date.dayOfWeek - 1 }));
}

/** The local calendar day of an instant in a zone. */
export function localDay(at: Date, zone: string): LocalDay {
  const { year, month, day } = localTime(at, zone);
  return { year, month, day };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock key of the bucket a local time falls in ("2026-06-10T14" for an hour, the bucket's first day otherwise). */
function keyOf(local: Temporal.PlainDateTime, bucket: TimeBucket): string {
  const date = local.toPlainDate();
  switch (bucket) {
    case 'HOUR':
      return `${date.toString()}T${pad(local.hour)}`;
    case 'DAY':
      return date.toString();
    case 'WEEK':
      return date.subtract({ days: date.dayOfWeek - 1 }).toString();
    case 'MONTH':
      return date.with({ day: 1 }).toString();
  }
}

/**
 * The wall-clock key of the bucket an instant falls in. PostgreSQL truncates in wall-clock time,
 * so two instants with one key are one bucket there too, also across clock changes.
 */
export function bucketKey(at: Date, bucket: TimeBucket, zone: string): string {
  return keyOf(zonedDateTime(at, zone).toPlainDateTime(), bucket);
}

/** One bucket of a time axis. */
export interface BucketSlot {
  key: string;
  start: Date;
}

/** The wall-clock start of the bucket a zoned moment falls in. */
function bucketStart(at: Temporal.ZonedDateTime, bucket: TimeBucket): Temporal.ZonedDateTime {
  switch (bucket) {
    case 'HOUR':
      return at.round({ smallestUnit: 'hour', roundingMode: 'floor' });
    case 'DAY':
      return at.startOfDay();
    case 'WEEK':
      return at.subtract({ days: at.dayOfWeek - 1 }).startOfDay();
    case 'MONTH':
      return at.with({ day: 1 }).startOfDay();
  }
}

const BUCKET_STEP: Record<TimeBucket, Temporal.DurationLike> = { HOUR: { hours: 1 }, DAY: { days: 1 }, WEEK: { weeks: 1 }, MONTH: { months: 1 } };

/** Every bucket that part of [from, to) falls in, oldest first, in the zone's wall-clock time. */
export function bucketSlots(from: Date, to: Date, bucket: TimeBucket, zone: string): BucketSlot[] {
  const slots: BucketSlot[] = [];
  const seen = new Set<string>();
  let at = bucketStart(zonedDateTime(from, zone), bucket);
  while (at.epochMilliseconds < to.getTime()) {
    const key = keyOf(at.toPlainDateTime(), bucket);
    if (!seen.has(key)) {
      seen.add(key);
      slots.push({ key, start: new Date(at.epochMilliseconds) });
    }
    const stepped = at.add(BUCKET_STEP[bucket]);
    const next = bucketStart(stepped, bucket);
    // A clock turned back by less than an hour can floor the next hour onto this one.
    at = Temporal.ZonedDateTime.compare(next, at) > 0 ? next : stepped;
  }
  return slots;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "3 Mar 2026", or "3 Mar" when `withYear` is false. */
export function formatDay(day: LocalDay, withYear = true): string {
  return `${day.day} ${MONTH_NAMES[day.month - 1]}${withYear ? ` ${day.year}` : ''}`;
}

/** "March 2026" */
export function formatMonth(year: number, month: number): string {
  return `${LONG_MONTH_NAMES[month - 1]} ${year}`;
}

/** A bucket in words, from its key: "Wed 10 Jun", "10 Jun, 14:00", "the week of 8 Jun", "June 2026". */
export function describeBucket(key: string, bucket: TimeBucket): string {
  const { year, month, day, dayOfWeek } = Temporal.PlainDate.from(key.slice(0, 10));
  const weekday = WEEKDAY_NAMES[dayOfWeek - 1];
  switch (bucket) {
    case 'HOUR':
      return `${day} ${MONTH_NAMES[month - 1]}, ${key.slice(11, 13)}:00`;
    case 'DAY':
      return `${weekday} ${day} ${MONTH_NAMES[month - 1]}`;
    case 'WEEK':
      return `the week of ${day} ${MONTH_NAMES[month - 1]}`;
    case 'MONTH':
      return formatMonth(year, month);
  }
}
