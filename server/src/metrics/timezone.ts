import { Temporal } from '@js-temporal/polyfill';
import { badInput } from '../graphql/errors';

const validZones = new Map<string, boolean>();

/** Throws BAD_USER_INPUT unless `zone` is an IANA zone name both Node and PostgreSQL know. */
export function checkTimezone(zone: string): string {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = zone.trim() !== '' && !/^[+-]?\d/.test(zone);
    } catch {
      valid = false;
    }
    validZones.set(zone, valid);
  }
  if (!valid) throw badInput(`timezone must be an IANA zone name such as "UTC" or "Europe/Berlin", but got "${zone}"`);
  return zone;
}

/** An instant as read on the wall clocks of a zone. */
export function zonedDateTime(at: Date, zone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone);
}

/** The zone's offset from UTC at `at`, in minutes. */
export function utcOffsetMinutes(zone: string, at: Date): number {
  return zonedDateTime(at, zone).offsetNanoseconds / 60e9;
}

const DAY_MS = 86_400_000;

/** Offsets sampled daily over the range (zones change offset at most a few times a year). */
function offsetsOver(zone: string, from: Date, to: Date): number[] {
  if (zone === 'UTC') return [0]; // the default zone, asked on every query: no need to sample it
  const offsets: number[] = [];
  const step = Math.max(DAY_MS, Math.floor((to.getTime() - from.getTime()) / 2000));
  for (let t = from.getTime(); t < to.getTime(); t += step) offsets.push(utcOffsetMinutes(zone, new Date(t)));
  offsets.push(utcOffsetMinutes(zone, to));
  return offsets;
}

/** True when every hour of the zone starts on a UTC hour during the range, so hourly rollups map onto local buckets. */
export function hasWholeHourOffsets(zone: string, from: Date, to: Date): boolean {
  return offsetsOver(zone, from, to).every((o) => o % 60 === 0);
}

/** True when local days in the zone are UTC days during the range. */
export function isUtcDuring(zone: string, from: Date, to: Date): boolean {
  return offsetsOver(zone, from, to).every((o) => o === 0);
}

/** The calendar date YYYY-MM-DD of an instant in a zone. */
export function localDate(at: Date, zone: string): string {
  return zonedDateTime(at, zone).toPlainDate().toString();
}
