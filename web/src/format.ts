/**
 * How the dashboard writes numbers and times. Every page uses these, so the same figure reads
 * the same everywhere.
 */

const DOLLARS = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Dollars with cents ("$1,234.56"); under a cent, 4 significant digits ("$0.0004321"), so a
 * cheap call never reads as "$0.00". Exactly zero is "$0.00".
 */
export function formatDollars(amount: number): string {
  if (!Number.isFinite(amount)) return '–';
  if (amount === 0) return '$0.00';
  const size = Math.abs(amount);
  if (size >= 0.01) return DOLLARS.format(amount);
  return `${amount < 0 ? '-' : ''}$${SIGNIFICANT.format(size)}`;
}

const TOKEN_UNITS = [
  { size: 1e9, suffix: 'B' },
  { size: 1e6, suffix: 'M' },
  { size: 1e3, suffix: 'k' },
] as const;

/**
 * Token counts with k/M/B: "950", "1.2k", "48k", "3.4M", "1.1B". One decimal below 10 of a
 * unit, none above; a value that would round up to the next unit moves to it ("1.0M", not "1000k").
 */
export function formatTokens(count: number): string {
  if (!Number.isFinite(count)) return '–';
  const size = Math.abs(count);
  const sign = count < 0 ? '-' : '';
  if (size < 999.5) return sign + INTEGER.format(size);
  for (let i = TOKEN_UNITS.length - 1; i >= 0; i--) {
    const { size: unit, suffix } = TOKEN_UNITS[i];
    const next = TOKEN_UNITS[i - 1];
    const scaled = size / unit;
    const text = scaled < 9.95 ? scaled.toFixed(1) : Math.round(scaled).toString();
    if (next && Number(text) >= 1000) continue;
    return `${sign}${text}${suffix}`;
  }
  return sign + INTEGER.format(size);
}

/** A plain count with thousands separators: "12,345". */
export function formatCount(count: number): string {
  return Number.isFinite(count) ? INTEGER.format(count) : '–';
}

/** Latency: "840 ms" under a second, "1.25 s" under ten, "12.3 s" under a minute, then "2 min 5 s". */
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 9.995) return `${seconds.toFixed(2)} s`;
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** A share of one, as a percentage with one decimal: 0.1234 -> "12.3%". */
export function formatPercent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : '–';
}

/** The browser's IANA time zone, the dashboard's default for days and times. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** "14:05:09" in the zone: the time of a call in the live feed. */
export function formatClockTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "3 May, 14:05" in the zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

const TO_THE_SECOND: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/** A moment to the second, in the zone: "3 May 2025, 14:05:09". */
export function formatSecondDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, ...TO_THE_SECOND });
}

/** A moment in full for a tooltip, in the zone and naming it: "3 May 2025, 14:05:09 UTC". */
export function formatFullDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, ...TO_THE_SECOND, timeZoneName: 'short' });
}

/** How long ago, in words a person reads at a glance: "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
