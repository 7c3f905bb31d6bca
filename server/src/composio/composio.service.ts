import type { DataSource } from 'typeorm';
import { Params, toNumber, type Db } from '../db/db';
import { scopeStatements, workspaceScope } from '../db/scoped-db';
import { writeTransaction } from '../db/write-transaction';
import { badInput } from '../graphql/errors';
import { CALL_BOUNDS, MAX_FUTURE_MS } from '../ingest/call-bounds';
import type { Scope } from '../metrics/metrics.model';
import type { ConnectionStatus, UsageWindow } from './composio.types';

/** How many UTC days a usage window covers when `days` is left out. */
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 365;
const MAX_COUNT = 1_000_000;
const APP_NAME = /^[A-Z0-9_.-]{1,64}$/;
const AGENT_ID = /^[A-Za-z0-9._:@/-]{1,128}$/;
const MAX_ACTION_NAME = 128;

/** Checks `days` (default 30, 1 to 365) and turns it into the window ending today (UTC). */
export function usageWindow(days: number | null | undefined, now: Date): UsageWindow {
  const value = days ?? DEFAULT_DAYS;
  if (!Number.isInteger(value) || value < 1 || value > MAX_DAYS) {
    throw badInput(`days must be a whole number from 1 to ${MAX_DAYS}, but got ${value}`);
  }
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (value - 1)));
  return { days: value, firstDay: first.toISOString().slice(0, 10) };
}

export interface ConnectedAppRecord {
  appName: string;
  status: ConnectionStatus;
  totalActionsUsed: number;
  agentCount: number;
  documentsSynced: number;
  lastUsedAt: Date | null;
}

export interface ActionRecord {
  appName: string;
  actionName: string;
  usageCount: number;
  agentsUsing: number;
  lastUsedAt: Date | null;
}

export interface AgentToolRecord {
  workspaceId: string;
  agentId: string;
  appName: string;
  actionName: string;
  usageCount: number;
  enabled: boolean;
  lastUsedAt: Date | null;
}

const scopeCondition = (scope: Scope, params: Params, alias: string): string =>
  scope.kind === 'workspace' ? `${alias}.workspace_id = ${params.add(scope.workspaceId)}::uuid` : 'true';

const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

/**
 * Connected apps with their use in the window, busiest first. Over every workspace (scope
 * __all__) an app is one row: its documents summed, its status the best any workspace has.
 */
export async function listConnectedApps(db: Db, scope: Scope, window: UsageWindow, appName?: string): Promise<ConnectedAppRecord[]> {
  const params = new Params();
  const firstDay = params.add(window.firstDay);
  const app = appName === undefined ? null : params.add(appName);
  const rows: Record<string, unknown>[] = await db.query(
    `WITH usage AS (
       SELECT d.app_name, sum(d.usage_count) AS total_actions, count(DISTINCT (d.workspace_id, d.agent_id)) AS agent_count
       FROM agent_app_feature_daily d
       WHERE ${scopeCondition(scope, params, 'd')} AND d.day >= ${firstDay}::date ${app ? `AND d.app_name = ${app}` : ''}
       GROUP BY d.app_name
     ),
     apps AS (
       SELECT c.app_name,
         (array_agg(c.status ORDER BY CASE c.status WHEN 'ACTIVE' THEN 0 WHEN 'ERROR' THEN 1 ELSE 2 END))[1] AS status,
         sum(c.documents_synced) AS documents_synced, max(c.last_used_at) AS last_used_at
       FROM composio_connections c
       WHERE ${scopeCondition(scope, params, 'c')} ${app ? `AND c.app_name = ${app}` : ''}
       GROUP BY c.app_name
     )
     SELECT a.app_name, a.status, a.documents_synced, a.last_used_at,
       coalesce(u.total_actions, 0) AS total_actions, coalesce(u.agent_count, 0) AS agent_count
     FROM apps a LEFT JOIN usage u ON u.app_name = a.app_name
     ORDER BY total_actions DESC, a.app_name`,
    params.values,
  );
  return rows.map((r) => ({
    appName: String(r.app_name),
    status: r.status as ConnectionStatus,
    totalActionsUsed: toNumber(r.total_actions),
    agentCount: toNumber(r.agent_count),
    documentsSynced: toNumber(r.documents_synced),
    lastUsedAt: dateOrNull(r.last_used_at),
  }));
}

/** Actions used in the window, most used first. */
export async function actionLeaderboard(db: Db, scope: Scope, window: UsageWindow): Promise<ActionRecord[]> {
  const params = new Params();
  const firstDay = params.add(window.firstDay);
  const rows: Record<string, unknown>[] = await db.query(
    `WITH usage AS (
       SELECT d.app_name, d.action_name, sum(d.usage_count) AS usage_count,
         count(DISTINCT (d.workspace_id, d.agent_id)) AS agents_using
       FROM agent_app_feature_daily d
       WHERE ${scopeCondition(scope, params, 'd')} AND d.day >= ${firstDay}::date
       GROUP BY d.app_name, d.action_name
     ),
     last_use AS (
       SELECT f.app_name, f.action_name, max(f.last_used_at) AS last_used_at
       FROM agent_app_features f
       WHERE ${scopeCondition(scope, params, 'f')}
       GROUP BY f.app_name, f.action_name
     )
     SELECT u.app_name, u.action_name, u.usage_count, u.agents_using, l.last_used_at
     FROM usage u LEFT JOIN last_use l ON l.app_name = u.app_name AND l.action_name = u.action_name
     WHERE u.usage_count > 0
     ORDER BY u.usage_count DESC, u.agents_using DESC, u.app_name, u.action_name`,
    params.values,
  );
  return rows.map((r) => ({
    appName: String(r.app_name),
    actionName: String(r.action_name),
    usageCount: toNumber(r.usage_count),
    agentsUsing: toNumber(r.agents_using),
    lastUsedAt: dateOrNull(r.last_used_at),
  }));
}

/** Agents that have tools, those with the most use in the window first. */
export async function listToolAgents(db: Db, scope: Scope, window: UsageWindow): Promise<{ workspaceId: string; agentId: string }[]> {
  const params = new Params();
  const firstDay = params.add(window.firstDay);
  const rows: { workspace_id: string; agent_id: string }[] = await db.query(
    `SELECT f.workspace_id, f.agent_id
     FROM agent_app_features f
     LEFT JOIN agent_app_feature_daily d ON d.workspace_id = f.workspace_id AND d.agent_id = f.agent_id
       AND d.app_name = f.app_name AND d.action_name = f.action_name AND d.day >= ${firstDay}::date
     WHERE ${scopeCondition(scope, params, 'f')}
     GROUP BY f.workspace_id, f.agent_id
     ORDER BY coalesce(sum(d.usage_count), 0) DESC, f.agent_id, f.workspace_id`,
    params.values,
  );
  return rows.map((r) => ({ workspaceId: r.workspace_id, agentId: r.agent_id }));
}

/** The tools of many agents, given as (workspace, agent) pairs, in one statement; most used first. */
export async function loadAgentTools(db: Db, pairs: readonly (readonly [string, string])[], window: UsageWindow): Promise<AgentToolRecord[]> {
  if (pairs.length === 0) return [];
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT f.workspace_id, f.agent_id, f.app_name, f.action_name, f.enabled, f.last_used_at,
       coalesce(sum(d.usage_count), 0) AS usage_count
     FROM agent_app_features f
     JOIN unnest($1::uuid[], $2::text[]) AS k(workspace_id, agent_id) ON f.workspace_id = k.workspace_id AND f.agent_id = k.agent_id
     LEFT JOIN agent_app_feature_daily d ON d.workspace_id = f.workspace_id AND d.agent_id = f.agent_id
       AND d.app_name = f.app_name AND d.action_name = f.action_name AND d.day >= $3::date
     GROUP BY f.workspace_id, f.agent_id, f.app_name, f.action_name
     ORDER BY usage_count DESC, f.app_name, f.action_name`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1]), window.firstDay],
  );
  return rows.map((r) => ({
    workspaceId: String(r.workspace_id),
    agentId: String(r.agent_id),
    appName: String(r.app_name),
    actionName: String(r.action_name),
    usageCount: toNumber(r.usage_count),
    enabled: Boolean(r.enabled),
    lastUsedAt: dateOrNull(r.last_used_at),
  }));
}

function checkAppName(value: string, problems: string[]): string {
  const name = value.trim().toUpperCase();
  if (!APP_NAME.test(name)) {
    problems.push(`appName must be 1 to 64 letters, digits, "_", "-" or "." characters, but got ${JSON.stringify(value)}`);
  }
  return name;
}

function failIfAny(problems: string[]): void {
  if (problems.length > 0) throw badInput(problems.join('; '));
}

export interface ConnectionValues {
  appName: string;
  status: ConnectionStatus;
  documentsSynced?: number | null;
}

/** Creates or updates a connection: its status, and its synced document count when given. */
export async function recordConnection(db: Db, workspaceId: string, input: ConnectionValues): Promise<string> {
  const problems: string[] = [];
  const appName = checkAppName(input.appName, problems);
  const documents = input.documentsSynced ?? null;
  if (documents !== null && (!Number.isSafeInteger(documents) || documents < 0)) {
    problems.push(`documentsSynced must be a whole number of at least 0, but got ${documents}`);
  }
  failIfAny(problems);
  await db.query(
    `INSERT INTO composio_connections (workspace_id, app_name, status, documents_synced)
     VALUES ($1, $2, $3, coalesce($4::bigint, 0))
     ON CONFLICT (workspace_id, app_name) DO UPDATE SET
       status = EXCLUDED.status,
       documents_synced = coalesce($4::bigint, composio_connections.documents_synced),
       updated_at = now()`,
    [workspaceId, appName, input.status, documents],
  );
  return appName;
}

export interface ActionValues {
  agentId: string;
  appName: string;
  actionName: string;
  count?: number | null;
  enabled?: boolean | null;
  occurredAt?: Date | null;
}

/**
 * Adds `count` uses of an agent's action at `occurredAt`: to the tool's total, to the count
 * of that UTC day, and to its app's last use. An unknown agent is created named after its
 * id; an app not yet connected becomes an ACTIVE connection. All in one transaction.
 */
export async function recordAction(dataSource: DataSource, workspaceId: string, input: ActionValues, now: Date): Promise<AgentToolRecord> {
  const problems: string[] = [];
  const agentId = input.agentId.trim();
  if (!AGENT_ID.test(agentId)) {
    problems.push(`agentId must be 1 to 128 letters, digits or ._:@/- characters, but got ${JSON.stringify(input.agentId)}`);
  }
  const appName = checkAppName(input.appName, problems);
  const actionName = input.actionName.trim();
  if (actionName === '' || actionName.length > MAX_ACTION_NAME) {
    problems.push(`actionName must be 1 to ${MAX_ACTION_NAME} characters, but got ${actionName.length}`);
  }
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    problems.push(`count must be a whole number from 0 to ${MAX_COUNT}, but got ${count}`);
  }
  const occurredAt = input.occurredAt ?? now;
  if (Number.isNaN(occurredAt.getTime())) problems.push('occurredAt must be an ISO-8601 time, but got an invalid date');
  else if (occurredAt.getTime() > now.getTime() + MAX_FUTURE_MS) {
    problems.push(`occurredAt must be at most 5 minutes in the future, but got ${occurredAt.toISOString()} (now is ${now.toISOString()})`);
  } else if (occurredAt < CALL_BOUNDS.earliestOccurredAt) {
    problems.push(`occurredAt must be ${CALL_BOUNDS.earliestOccurredAt.toISOString()} or later, but got ${occurredAt.toISOString()}`);
  }
  failIfAny(problems);

  const usedAt = count > 0 ? occurredAt.toISOString() : null;
  const row: Record<string, unknown> = await writeTransaction(dataSource, scopeStatements(workspaceScope(workspaceId)), async (manager) => {
    await manager.query(`INSERT INTO agents (workspace_id, id, name) VALUES ($1, $2::text, $2::text) ON CONFLICT DO NOTHING`, [workspaceId, agentId]);
    await manager.query(
      `INSERT INTO composio_connections (workspace_id, app_name, status, last_used_at) VALUES ($1, $2, 'ACTIVE', $3)
       ON CONFLICT (workspace_id, app_name) DO UPDATE SET
         last_used_at = greatest(composio_connections.last_used_at, EXCLUDED.last_used_at)`,
      [workspaceId, appName, usedAt],
    );
    const [tool] = await manager.query(
      `INSERT INTO agent_app_features (workspace_id, agent_id, app_name, action_name, usage_count, enabled, last_used_at)
       VALUES ($1, $2, $3, $4, $5, coalesce($6::boolean, true), $7)
       ON CONFLICT (workspace_id, agent_id, app_name, action_name) DO UPDATE SET
         usage_count = agent_app_features.usage_count + EXCLUDED.usage_count,
         enabled = coalesce($6::boolean, agent_app_features.enabled),
         last_used_at = greatest(agent_app_features.last_used_at, EXCLUDED.last_used_at)
       RETURNING workspace_id, agent_id, app_name, action_name, usage_count, enabled, last_used_at`,
      [workspaceId, agentId, appName, actionName, count, input.enabled ?? null, usedAt],
    );
    if (count > 0) {
      await manager.query(
        `INSERT INTO agent_app_feature_daily (workspace_id, day, agent_id, app_name, action_name, usage_count)
         VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6)
         ON CONFLICT (workspace_id, day, agent_id, app_name, action_name) DO UPDATE SET
           usage_count = agent_app_feature_daily.usage_count + EXCLUDED.usage_count`,
        [workspaceId, usedAt, agentId, appName, actionName, count],
      );
    }
    return tool;
  });
  return {
    workspaceId: String(row.workspace_id),
    agentId: String(row.agent_id),
    appName: String(row.app_name),
    actionName: String(row.action_name),
    usageCount: toNumber(row.usage_count),
    enabled: Boolean(row.enabled),
    lastUsedAt: dateOrNull(row.last_used_at),
  };
}
