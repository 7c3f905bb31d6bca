import { formatCount } from '../../format';

/** The most days the gateway takes: a hundred years. */
export const MAX_RETENTION_DAYS = 36_500;

/** The days field as the gateway takes it: empty for ever, else a whole number from 1; or what is wrong, in words. */
export function parseRetentionDays(text: string): { days: number | null } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { days: null };
  if (!/^\d+$/.test(trimmed)) return { problem: `Days are a whole number (or empty to keep raw calls for ever), not "${trimmed}".` };
  const days = Number(trimmed);
  if (days < 1 || days > MAX_RETENTION_DAYS) return { problem: `Keep raw calls from 1 to ${formatCount(MAX_RETENTION_DAYS)} days, not ${formatCount(days)}.` };
  return { days };
}

/** "3 Jun 2026, 14:00" in the zone. */
const when = (iso: string, timeZone: string): string =>
  new Date(iso).toLocaleString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The current setting in words: "Raw calls are kept for 30 days." */
export function describeRetention(days: number | null | undefined): string {
  if (days === null || days === undefined) return 'Raw calls are kept for ever.';
  return `Raw calls are kept for ${formatCount(days)} ${days === 1 ? 'day' : 'days'}.`;
}

/** What is stored in words: "12,345 raw calls, the oldest from 3 Jun 2026, 14:00; older ones were deleted by retention before 1 Jun 2026, 00:00." */
export function describeStored(stored: { rawCalls: number; oldestRawCall?: string | null }, keptFrom: string | null | undefined, timeZone: string): string {
  const calls = `${formatCount(stored.rawCalls)} raw ${stored.rawCalls === 1 ? 'call' : 'calls'}`;
  const oldest = stored.oldestRawCall ? `, the oldest from ${when(stored.oldestRawCall, timeZone)}` : '';
  const cut = keptFrom ? `; raw calls before ${when(keptFrom, timeZone)} were deleted by retention (charts keep them)` : '';
  return `${calls} stored${oldest}${cut}.`;
}

/** What confirming a retention would do, in words, before anything is deleted. */
export function describePreview(preview: { cut?: string | null; calls: number; oldestCall?: string | null }, timeZone: string): string {
  if (!preview.cut) return 'Raw calls will be kept for ever: nothing is deleted.';
  if (preview.calls === 0) return `No raw call is older than ${when(preview.cut, timeZone)}: nothing is deleted now; older calls go as they age.`;
  const from = preview.oldestCall ? ` (from ${when(preview.oldestCall, timeZone)})` : '';
  return `This deletes ${formatCount(preview.calls)} raw ${preview.calls === 1 ? 'call' : 'calls'}${from} from before ${when(preview.cut, timeZone)}. Every chart keeps them; the calls list and the CSV export will start there.`;
}
