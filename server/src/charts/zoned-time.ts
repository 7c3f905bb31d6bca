import type { TimeBucket } from '../metrics/metrics.model';
import { utcOffsetMinutes } from '../metrics/timezone';

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

const partFormats = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock reading of an instant in a zone. */
export function localTime(at: Date, zone: string): LocalTime {
  let format = partFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      hourCycle: 'h23',
      weekday: 'short',
    });
    partFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    weekday: WEEKDAYS[parts.weekday] ?? 1,
  };
}

/** The instant a wall-clock time in a zone names (for a time skipped by a clock change, the instant just after). */
export function fromLocal(day: LocalDay, zone: string, hour = 0): Date {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour);
  let instant = wall - utcOffsetMinutes(zone, new Date(wall)) * 60_000;
  instant = wall - utcOffsetMinutes(zone, new Date(instant)) * 60_000;
  return new Date(instant);
}

/** The calendar day `days` after (or before) a day. */
export function addDays(day: LocalDay, days: number): LocalDay {
  const moved = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** The first day of the month `months` after (or before) a day's month. */
export function addMonths(day: LocalDay, months: number): LocalDay {
  const moved = new Date(Date.UTC(day.year, day.month - 1 + months, 1));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: 1 };
}

/** Days in a month (month 1 to 12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether a year, month and day name a real calendar day. */
export function isRealDay(day: LocalDay): boolean {
  return day.month >= 1 && day.month <= 12 && day.day >= 1 && day.day <= daysInMonth(day.year, day.month);
}

/** Orders two calendar days: negative when a is earlier. */
export function compareDays(a: LocalDay, b: LocalDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The Monday of a day's ISO week. */
export function mondayOf(day: LocalDay): LocalDay {
  const weekday = (new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/** The local calendar day of an instant in a zone. */
export function localDay(at: Date, zone: string): LocalDay {
  const { year, month, day } = localTime(at, zone);
  return { year, month, day };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "2026-06-10" */
export function isoDay(day: LocalDay): string {
  return `${pad(day.year, 4)}-${pad(day.month)}-${pad(day.day)}`;
}

/**
 * The wall-clock key of the bucket an instant falls in: "2026-06-10T14" for an hour, the first
 * day of the bucket otherwise. PostgreSQL truncates in wall-clock time, so two instants with
 * one key are one bucket there too, also across clock changes.
 */
export function bucketKey(at: Date, bucket: TimeBucket, zone: string): string {
  const local = localTime(at, zone);
  switch (bucket) {
    case 'HOUR':
      return `${isoDay(local)}T${pad(local.hour)}`;
    case 'DAY':
      return isoDay(local);
    case 'WEEK':
      return isoDay(mondayOf(local));
    case 'MONTH':
      return isoDay({ year: local.year, month: local.month, day: 1 });
  }
}

/** One bucket of a time axis. */
export interface BucketSlot {
  key: string;
  start: Date;
}

/** Every bucket that part of [from, to) falls in, oldest first, in the zone's wall-clock time. */
export function bucketSlots(from: Date, to: Date, bucket: TimeBucket, zone: string): BucketSlot[] {
  const slots: BucketSlot[] = [];
  const seen = new Set<string>();
  const push = (start: Date) => {
    const key = bucketKey(start, bucket, zone);
    if (!seen.has(key)) {
      seen.add(key);
      slots.push({ key, start });
    }
  };
  if (bucket === 'HOUR') {
    // Whole UTC hours, and the half hours too, cover every local hour in every zone.
    const step = 1_800_000;
    for (let t = Math.floor(from.getTime() / step) * step; t < to.getTime(); t += step) {
      const local = localTime(new Date(t), zone);
      push(fromLocal(local, zone, local.hour));
    }
    return slots.filter((slot) => slot.start.getTime() < to.getTime());
  }
  let day: LocalDay = localDay(from, zone);
  if (bucket === 'WEEK') day = mondayOf(day);
  if (bucket === 'MONTH') day = { ...day, day: 1 };
  while (fromLocal(day, zone).getTime() < to.getTime()) {
    push(fromLocal(day, zone));
    day = bucket === 'DAY' ? addDays(day, 1) : bucket === 'WEEK' ? addDays(day, 7) : addMonths(day, 1);
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
  const [year, month, day] = key.slice(0, 10).split('-').map(Number);
  const weekday = WEEKDAY_NAMES[(new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7];
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
