import { CombinedGraphQLErrors } from '@apollo/client';
import type { SeriesColors } from '../../components/series-colors';
import { formatAgo, formatCount, formatDollars, formatPercent } from '../../format';
import type { OpenRouterAccountQuery, SyncOpenRouterActivityMutation, WorkspaceMemoryQuery } from '../../gql/graphql';

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;

// ------------------------------------------------------------------ workspace memory

/** A memory's importance in words as well as a number, so it never rests on colour alone. */
export type ImportanceLevel = 'high' | 'medium' | 'low';

/** Importance from this up is high; from MEDIUM_IMPORTANCE up, medium. */
export const HIGH_IMPORTANCE = 0.7;
export const MEDIUM_IMPORTANCE = 0.4;

export function importanceLevel(importance: number): ImportanceLevel {
  if (importance >= HIGH_IMPORTANCE) return 'high';
  if (importance >= MEDIUM_IMPORTANCE) return 'medium';
  return 'low';
}

export interface MemoryFigure {
  label: string;
  value: string;
}

export interface MemoryTypeShare {
  key: string;
  count: string;
  /** Of all memories, 0..1, for the bar. */
  share: number;
  color: string;
}

export interface RecentMemoryLine {
  id: string;
  type: string;
  typeColor: string;
  level: string | null;
  /** "0.80". */
  importance: string;
  importanceLevel: ImportanceLevel;
  preview: string;
  agent: string | null;
  /** "5 min ago". */
  ago: string;
  createdAt: string;
}

export interface MemoryView {
  /** "Mem0" or "the gateway's own table". */
  source: string;
  figures: MemoryFigure[];
  /** The most common types (at most five); `moreTypes` says how many are left out. */
  types: MemoryTypeShare[];
  moreTypes: number;
  recent: RecentMemoryLine[];
  isEmpty: boolean;
}

const MAX_TYPES = 5;

/** The memory card's figures, type shares and recent memories, every text written. Types keep one colour each across the dashboard. */
export function prepareMemory(data: WorkspaceMemoryQuery, now: Date, colors: SeriesColors): MemoryView {
  const stats = data.memoryStats;
  const typeColor = (type: string) => colors.colorFor(`memory-type:${type}`);
  return {
    source: stats.source === 'MEM0' ? 'Mem0' : "the gateway's own table",
    figures: [
      { label: 'Memories', value: formatCount(stats.totalMemories) },
      { label: 'Agents', value: formatCount(stats.agentsWithMemories) },
      { label: 'Avg importance', value: stats.avgImportance.toFixed(2) },
      { label: 'Accesses', value: formatCount(stats.totalAccessCount) },
    ],
    types: stats.byType.slice(0, MAX_TYPES).map((t) => ({
      key: t.key,
      count: formatCount(t.count),
      share: stats.totalMemories > 0 ? t.count / stats.totalMemories : 0,
      color: typeColor(t.key),
    })),
    moreTypes: Math.max(0, stats.byType.length - MAX_TYPES),
    recent: data.recentMemories.map((m) => ({
      id: m.id,
      type: m.memoryType,
      typeColor: typeColor(m.memoryType),
      level: m.memoryLevel,
      importance: m.importance.toFixed(2),
      importanceLevel: importanceLevel(m.importance),
      preview: m.preview,
      agent: m.agentId,
      ago: formatAgo(m.createdAt, now),
      createdAt: m.createdAt,
    })),
    isEmpty: stats.totalMemories === 0 && data.recentMemories.length === 0,
  };
}

// ------------------------------------------------------------------ OpenRouter credits

/** How much of the credits is used: green under 70%, yellow from 70% to 90%, red over 90%. */
export type CreditsTone = 'ok' | 'warn' | 'danger';

export const WARN_FROM = 0.7;
export const DANGER_ABOVE = 0.9;

export function creditsTone(usedFraction: number): CreditsTone {
  if (usedFraction < WARN_FROM) return 'ok';
  if (usedFraction <= DANGER_ABOVE) return 'warn';
  return 'danger';
}

const TONE_WORDS: Record<CreditsTone, string> = { ok: 'Plenty left', warn: 'Running low', danger: 'Almost used up' };

export interface CreditsView {
  tone: CreditsTone;
  /** The tone in words: "Running low". */
  toneText: string;
  /** 0..100, for the bar's width and aria-valuenow. */
  percent: number;
  /** "25.0% used". */
  usedText: string;
  /** "$12.50 of $50.00 used · $37.50 left". */
  amounts: string;
  usage: MemoryFigure[];
  /** "Key sk-or-v1-abc…xyz · limit $100.00 ($87.50 left)", "Free tier", or null. */
  keyLine: string | null;
  /** The key's request rate limit in words: "200 requests every 10 seconds". */
  rateLimit: string;
}

/** Each unit of OpenRouter's intervals: once ("an hour") and counted ("hours"). */
const INTERVAL_UNITS: Record<string, [string, string]> = {
  ms: ['a millisecond', 'milliseconds'],
  s: ['a second', 'seconds'],
  m: ['a minute', 'minutes'],
  h: ['an hour', 'hours'],
  d: ['a day', 'days'],
};

/** OpenRouter's rate limit ("10s" intervals) in words; an interval of another form is shown as OpenRouter wrote it. */
export function describeRateLimit(rateLimit: OpenRouterAccountQuery['openRouterKeyInfo']['rateLimit']): string {
  if (!rateLimit) return 'No rate limit reported for this key';
  const requests = plural(rateLimit.requests, 'request', 'requests');
  const interval = /^(\d+)\s*(ms|s|m|h|d)$/.exec(rateLimit.interval.trim());
  if (!interval) return `${requests} (interval: ${rateLimit.interval})`;
  const count = Number(interval[1]);
  const [one, many] = INTERVAL_UNITS[interval[2]];
  return `${requests} ${count === 1 ? one : `every ${formatCount(count)} ${many}`}`;
}

/** The credits card's bar, amounts and the key's daily, weekly and monthly usage. */
export function prepareCredits(account: OpenRouterAccountQuery): CreditsView {
  const credits = account.openRouterCredits;
  const key = account.openRouterKeyInfo;
  const fraction = Math.max(0, credits.usedFraction);
  const tone = creditsTone(fraction);
  const keyParts = [
    key.label ? `Key ${key.label}` : null,
    key.limit !== null ? `limit ${formatDollars(key.limit)}${key.limitRemaining !== null ? ` (${formatDollars(key.limitRemaining)} left)` : ''}` : null,
    key.isFreeTier ? 'free tier' : null,
  ].filter((part): part is string => part !== null);
  return {
    tone,
    toneText: TONE_WORDS[tone],
    percent: Math.min(100, Math.round(fraction * 1000) / 10),
    usedText: `${formatPercent(fraction)} used`,
    amounts: `${formatDollars(credits.totalUsage)} of ${formatDollars(credits.totalCredits)} used · ${formatDollars(credits.remaining)} left`,
    usage: [
      { label: 'Today (UTC)', value: formatDollars(key.usageDaily) },
      { label: 'This week', value: formatDollars(key.usageWeekly) },
      { label: 'This month', value: formatDollars(key.usageMonthly) },
    ],
    keyLine: keyParts.length > 0 ? keyParts.join(' · ') : null,
    rateLimit: describeRateLimit(key.rateLimit),
  };
}

/** What a sync did, in one sentence. */
export function describeSync(result: SyncOpenRouterActivityMutation['syncOpenRouterActivity']): string {
  if (result.fetchedRows === 0) return 'OpenRouter reported no activity in the last 30 days.';
  if (result.inserted === 0) {
    return `Already up to date: ${plural(result.skippedDuplicates, 'row was', 'rows were')} imported before.`;
  }
  const before = result.skippedDuplicates > 0 ? ` (${formatCount(result.skippedDuplicates)} already there)` : '';
  return `Imported ${plural(result.inserted, 'new row', 'new rows')} of daily activity${before}.`;
}

/** Whether the gateway answered NOT_CONFIGURED: the workspace (and the server) has no OpenRouter key. */
export function isNotConfigured(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'NOT_CONFIGURED');
}
