import { formatAgo, formatCount } from '../../format';
import type { RowOrder, TableSort } from '../../components/table-sort';
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

/** Most used first, as the server sends it. */
export const DEFAULT_LEADERBOARD_SORT: TableSort<LeaderboardColumn> = { key: 'usageCount', direction: 'descending' };

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
  /** The entry the row was written from, which the table sorts by. */
  entry: LeaderboardEntry;
}

/** The most used first, ties by action name, so the order never depends on what came first. */
const byUse = (a: LeaderboardEntry, b: LeaderboardEntry) => b.usageCount - a.usageCount || a.actionName.localeCompare(b.actionName);

// Never used sorts as the oldest.
const lastUsedTime = (row: LeaderboardRow) => (row.lastUsedAt ? Date.parse(row.lastUsedAt) : -Infinity);

/** How the leaderboard orders its rows by each column; ties fall back to the most used, then the action name. */
export const LEADERBOARD_ORDER: RowOrder<LeaderboardRow, LeaderboardColumn> = {
  byColumn: {
    actionName: (a, b) => a.actionName.localeCompare(b.actionName),
    appName: (a, b) => a.appName.localeCompare(b.appName),
    usageCount: (a, b) => a.entry.usageCount - b.entry.usageCount,
    agentsUsing: (a, b) => a.entry.agentsUsing - b.entry.agentsUsing,
    lastUsedAt: (a, b) => lastUsedTime(a) - lastUsedTime(b),
  },
  tiebreak: (a, b) => byUse(a.entry, b.entry),
};

/** The leaderboard's rows by use, each ranked by its place there; the table sorts them by any column (LEADERBOARD_ORDER), ranks unchanged. */
export function prepareLeaderboard(entries: readonly LeaderboardEntry[], now: Date): LeaderboardRow[] {
  const maxUses = Math.max(0, ...entries.map((e) => e.usageCount));
  return [...entries].sort(byUse).map((e, index) => ({
    key: `${e.appName}\u0000${e.actionName}`,
    rank: index + 1,
    actionName: e.actionName,
    appName: e.appName,
    uses: formatCount(e.usageCount),
    share: maxUses > 0 ? e.usageCount / maxUses : 0,
    agents: formatCount(e.agentsUsing),
    lastUsed: e.lastUsedAt ? formatAgo(e.lastUsedAt, now) : 'never',
    lastUsedAt: e.lastUsedAt,
    entry: e,
  }));
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
