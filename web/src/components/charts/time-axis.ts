/**
 * The time axis of a chart: every bucket of the period, in the viewer's time zone, whether or
 * not it has data, so a quiet day shows as a quiet day instead of silently disappearing.
 */

/** The bucket sizes the dashboard draws. */
export type TimeUnit = 'HOUR' | 'DAY';

/** One bucket on the axis. */
export interface TimeSlot {
  /** "2025-05-03" for a day, "2025-05-03T14" for an hour, in the axis's time zone. */
  key: string;
  /** Under a tick: "3 May" or "14:00". */
  tickLabel: string;
  /** In a tooltip: "Sat 3 May" or "Sat 3 May, 14:00". */
  fullLabel: string;
}

/** Every bucket of a range, and the few that carry a tick label. */
export interface TimeAxis {
  unit: TimeUnit;
  timeZone: string;
  slots: TimeSlot[];
  /** Keys of the slots that get a tick, evenly spaced and always including the latest. */
  tickKeys: string[];
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The key of the bucket an instant falls in, in a time zone. */
export function bucketKey(instant: Date, unit: TimeUnit, timeZone: string): string {
  const parts = Object.fromEntries(partsIn(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  return unit === 'DAY' ? day : `${day}T${parts.hour === '24' ? '00' : parts.hour}`;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function nextDay(key: string): string {
  return new Date(Date.parse(`${key}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

const TICK_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const FULL_DAY = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' });

function slotFor(key: string, unit: TimeUnit): TimeSlot {
  // Keys are wall-clock times already; read them back as UTC so no zone shifts them again.
  const day = new Date(Date.parse(`${key.slice(0, 10)}T00:00:00Z`));
  if (unit === 'DAY') return { key, tickLabel: TICK_DAY.format(day), fullLabel: FULL_DAY.format(day) };
  const hour = `${key.slice(11, 13)}:00`;
  return { key, tickLabel: hour, fullLabel: `${FULL_DAY.format(day)}, ${hour}` };
}

/** Options of buildTimeAxis. */
export interface TimeAxisOptions {
  unit: TimeUnit;
  /** Start of the range (inclusive). */
  from: Date;
  /** End of the range (exclusive): usually now. */
  to: Date;
  timeZone: string;
  /** At most this many tick labels. @default 8 */
  maxTicks?: number;
}

/** Every day (or hour) bucket that part of [from, to) falls in, oldest first. */
export function buildTimeAxis({ unit, from, to, timeZone, maxTicks = 8 }: TimeAxisOptions): TimeAxis {
  const keys: string[] = [];
  const last = new Date(Math.max(from.getTime(), to.getTime() - 1));
  if (unit === 'DAY') {
    const end = bucketKey(last, 'DAY', timeZone);
    for (let key = bucketKey(from, 'DAY', timeZone); key <= end; key = nextDay(key)) keys.push(key);
  } else {
    // Step through whole UTC hours: every local hour (also in half-hour zones) starts inside one.
    const seen = new Set<string>();
    for (let t = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS; t <= last.getTime(); t += HOUR_MS) {
      const key = bucketKey(new Date(t), 'HOUR', timeZone);
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const step = Math.max(1, Math.ceil(keys.length / Math.max(1, maxTicks)));
  const tickKeys = keys.filter((_, index) => (keys.length - 1 - index) % step === 0);
  return { unit, timeZone, slots: keys.map((key) => slotFor(key, unit)), tickKeys };
}

/** What an empty bucket means: nothing happened (zero), or nothing is known (a gap in the line). */
export type MissingBucket = 'zero' | 'gap';

/**
 * A value for every slot of the axis from sparse (bucket, value) points: values in one bucket add
 * up, buckets outside the axis are dropped, and empty buckets are 0 or null as `missing` says.
 * Counts and sums (tokens, cost, requests) are 'zero'; averages and percentiles are 'gap'.
 */
export function densify(axis: TimeAxis, points: readonly { bucket: Date; value: number }[], missing: MissingBucket): (number | null)[] {
  const sums = new Map<string, number>();
  for (const point of points) {
    const key = bucketKey(point.bucket, axis.unit, axis.timeZone);
    sums.set(key, (sums.get(key) ?? 0) + point.value);
  }
  return axis.slots.map((slot) => sums.get(slot.key) ?? (missing === 'zero' ? 0 : null));
}
