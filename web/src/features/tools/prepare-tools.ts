import { formatAgo, formatCount } from '../../format';
import type { ActionLeaderboardQuery, AgentToolsQuery, ConnectedAppsQuery, ConnectionStatus, Period } from '../../gql/graphql';

/** The window of UTC days the Tools page asks for, and how it is said. */
export interface UsageWindow {
  days: number;
  /** Completes "used …": "today (UTC)", "in the last 7 days (UTC)". */
  phrase: string;
}

const DAYS_OF_PERIOD: Record<Period, number> = { LAST_1H: 1, LAST_24H: 1, LAST_7D: 7, LAST_30D: 30, LAST_90D: 90 };

/**
 * The picker's period as whole UTC days, today included: tool use is counted per day, so
 * "the last 24 hours" becomes today and the caption says so.
 */
export function usageWindowFor(period: Period): UsageWindow {
  const days = DAYS_OF_PERIOD[period] ?? 30;
  return { days, phrase: days === 1 ? 'today (UTC)' : `in the last ${days} days (UTC)` };
}

const plural = (count: number, one: string, many: string) => `${formatCount(count)} ${count === 1 ? one : many}`;
const lastUsed = (iso: string | null, now: Date) => (iso ? `used ${formatAgo(iso, now)}` : 'never used');

// ------------------------------------------------------------------ connected apps

type ConnectedApp = ConnectedAppsQuery['composioApps'][number];

/** A connection's status in words and a tone, never colour alone. */
export interface StatusBadge {
  text: string;
  tone: 'ok' | 'muted' | 'error';
}

const STATUS_BADGES: Record<ConnectionStatus, StatusBadge> = {
  ACTIVE: { text: 'Active', tone: 'ok' },
  DISCONNECTED: { text: 'Disconnected', tone: 'muted' },
  ERROR: { text: 'Error', tone: 'error' },
};

/** One connected app's card, every text written. */
export interface AppTile {
  appName: string;
  status: StatusBadge;
  /** "128 actions", "no actions". */
  uses: string;
  /** "3 agents". */
  agents: string;
  /** "1,204 documents synced", or null when none were. */
  documents: string | null;
  /** "used 5 min ago", "never used". */
  lastUsed: string;
  lastUsedAt: string | null;
}

export interface ConnectedAppTiles {
  tiles: AppTile[];
  /** "4 apps · 3 active". */
  summary: string;
}

/** The apps as the server ordered them (busiest first), with counts in words. */
export function prepareConnectedApps(apps: readonly ConnectedApp[], now: Date): ConnectedAppTiles {
  const tiles = apps.map((app) => ({
    appName: app.appName,
    status: STATUS_BADGES[app.status] ?? { text: app.status, tone: 'muted' as const },
    uses: app.totalActionsUsed === 0 ? 'no actions' : plural(app.totalActionsUsed, 'action', 'actions'),
    agents: plural(app.agentCount, 'agent', 'agents'),
    documents: app.documentsSynced > 0 ? `${formatCount(app.documentsSynced)} ${app.documentsSynced === 1 ? 'document' : 'documents'} synced` : null,
    lastUsed: lastUsed(app.lastUsedAt, now),
    lastUsedAt: app.lastUsedAt,
  }));
  const active = apps.filter((app) => app.status === 'ACTIVE').length;
  return { tiles, summary: `${plural(apps.length, 'app', 'apps')} · ${formatCount(active)} active` };
}

// ------------------------------------------------------------------ action leaderboard

type LeaderboardEntry = ActionLeaderboardQuery['composioActions'][number];

/** The columns the leaderboard sorts by. */
export type LeaderboardColumn = 'actionName' | 'appName' | 'usageCount' | 'agentsUsing' | 'lastUsedAt';

export interface LeaderboardSort {
  column: LeaderboardColumn;
  direction: 'asc' | 'desc';
}

/** Most used first, as the server sends it. */
export const DEFAULT_LEADERBOARD_SORT: LeaderboardSort = { column: 'usageCount', direction: 'desc' };

const TEXT_COLUMNS: ReadonlySet<LeaderboardColumn> = new Set(['actionName', 'appName']);

/** A click on a column header: the same column flips its direction; another starts A→Z for text, largest first for numbers and dates. */
export function nextLeaderboardSort(current: LeaderboardSort, column: LeaderboardColumn): LeaderboardSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: TEXT_COLUMNS.has(column) ? 'asc' : 'desc' };
}

function compareBy(column: LeaderboardColumn, a: LeaderboardEntry, b: LeaderboardEntry): number {
  switch (column) {
    case 'actionName':
    case 'appName':
      return a[column].localeCompare(b[column]);
    case 'usageCount':
    case 'agentsUsing':
      return a[column] - b[column];
    case 'lastUsedAt':
      // never used sorts as the oldest
      return (a.lastUsedAt ? Date.parse(a.lastUsedAt) : -Infinity) - (b.lastUsedAt ? Date.parse(b.lastUsedAt) : -Infinity);
  }
}

/** A leaderboard row, every text written; `share` is its use against the most used action, for the inline bar. */
export interface LeaderboardRow {
  key: string;
  rank: number;
  actionName: string;
  appName: string;
  uses: string;
  share: number;
  agents: string;
  lastUsed: string;
  lastUsedAt: string | null;
}

/**
 * The leaderboard sorted by a column; ties fall back to the most used, then the action name,
 * so the order never depends on what came first. Rank is the place by use, whatever the sort.
 */
export function prepareLeaderboard(entries: readonly LeaderboardEntry[], sort: LeaderboardSort, now: Date): LeaderboardRow[] {
  const maxUses = Math.max(0, ...entries.map((e) => e.usageCount));
  const byUse = [...entries].sort((a, b) => b.usageCount - a.usageCount || a.actionName.localeCompare(b.actionName));
  const rank = new Map(byUse.map((e, i) => [`${e.appName}\u0000${e.actionName}`, i + 1]));
  const sign = sort.direction === 'asc' ? 1 : -1;
  const sorted = [...entries].sort(
    (a, b) => sign * compareBy(sort.column, a, b) || b.usageCount - a.usageCount || a.actionName.localeCompare(b.actionName),
  );
  return sorted.map((e) => {
    const key = `${e.appName}\u0000${e.actionName}`;
    return {
      key,
      rank: rank.get(key)!,
      actionName: e.actionName,
      appName: e.appName,
      uses: formatCount(e.usageCount),
      share: maxUses > 0 ? e.usageCount / maxUses : 0,
      agents: formatCount(e.agentsUsing),
      lastUsed: e.lastUsedAt ? formatAgo(e.lastUsedAt, now) : 'never',
      lastUsedAt: e.lastUsedAt,
    };
  });
}

// ------------------------------------------------------------------ agent tools

type AgentMapping = AgentToolsQuery['composioAgentTools'][number];

export interface AgentToolLine {
  key: string;
  appName: string;
  actionName: string;
  uses: string;
  enabled: boolean;
  lastUsed: string;
  lastUsedAt: string | null;
}

/** An agent's row: a one-line summary, and its tools for when the row is expanded. */
export interface AgentToolsRow {
  agentId: string;
  agentName: string;
  /** "3 tools · 2 enabled". */
  summary: string;
  /** "GITHUB, SLACK". */
  apps: string;
  uses: string;
  tools: AgentToolLine[];
}

/** Each agent (as the server ordered them: most active first) with its tools in words. */
export function prepareAgentTools(mappings: readonly AgentMapping[], now: Date): AgentToolsRow[] {
  return mappings.map((mapping) => {
    const enabled = mapping.tools.filter((t) => t.enabled).length;
    const uses = mapping.tools.reduce((sum, t) => sum + t.usageCount, 0);
    const apps = [...new Set(mapping.tools.map((t) => t.appName))].sort();
    return {
      agentId: mapping.agentId,
      agentName: mapping.agentName,
      summary: `${plural(mapping.tools.length, 'tool', 'tools')} · ${formatCount(enabled)} enabled`,
      apps: apps.join(', '),
      uses: formatCount(uses),
      tools: mapping.tools.map((t) => ({
        key: `${t.appName}\u0000${t.actionName}`,
        appName: t.appName,
        actionName: t.actionName,
        uses: formatCount(t.usageCount),
        enabled: t.enabled,
        lastUsed: t.lastUsedAt ? formatAgo(t.lastUsedAt, now) : 'never',
        lastUsedAt: t.lastUsedAt,
      })),
    };
  });
}
