import { toAgentRecord, type AgentRecord, type AgentRow } from '../agents/agents.service';
import type { Db } from '../db/db';
import { Params } from '../db/db';
import { badInput } from '../graphql/errors';
import { checkUsageFilter, filterConditions } from '../metrics/metrics.service';
import { attributionMatches } from '../metrics/attribution-filter';
import { COLUMN_FILTERS } from '../metrics/dimension-catalogue';
import type { Scope, TimeRange, UsageFilterValues } from '../metrics/metrics.model';
import { LLM_CALL_COLUMNS, toLlmCallRecord, type LlmCallRecord } from './llm-call.record';

export const DEFAULT_CALLS_LIMIT = 50;
export const MAX_CALLS_LIMIT = 500;
/** Call ids are PostgreSQL bigints: a larger cursor is no call's id. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** True when a call falls in a scope and passes a filter: the same rule queries apply in SQL. */
export function callMatches(call: LlmCallRecord, scope: Scope, filter?: UsageFilterValues | null): boolean {
  if (scope.kind === 'workspace' && call.workspaceId !== scope.workspaceId) return false;
  if (!filter) return true;
  // '' stands for "none", as in the engine's groupings ("No agent", "No tier").
  const within = (values: string[] | null | undefined, value: string | null): boolean =>
    !values || values.length === 0 || values.includes(value ?? '');
  return (
    COLUMN_FILTERS.every(({ field, callField }) => within(filter[field], call[callField])) &&
    (filter.isByok === undefined || filter.isByok === null || filter.isByok === call.isByok) &&
    (!filter.status || filter.status === call.status) &&
    attributionMatches(call, filter)
  );
}

/**
 * Calls newest first, and the agents they name; `before` is the id of the last call of the previous page.
 * The agents come in the same statement: a feed that asked for them separately would wait for a
 * pooled connection twice, which under load doubles its time.
 */
export async function listCalls(
  db: Db,
  scope: Scope,
  options: { range?: TimeRange; filter?: UsageFilterValues | null; limit?: number | null; before?: string | null },
): Promise<{ calls: LlmCallRecord[]; agents: AgentRecord[] }> {
  const limit = options.limit ?? DEFAULT_CALLS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CALLS_LIMIT) {
    throw badInput(`limit must be from 1 to ${MAX_CALLS_LIMIT}, but got ${limit}`);
  }
  checkUsageFilter(options.filter);
  const params = new Params();
  const where: string[] = [];
  if (scope.kind === 'workspace') where.push(`workspace_id = ${params.add(scope.workspaceId)}`);
  if (options.range) {
    where.push(`occurred_at >= ${params.add(options.range.from.toISOString())}::timestamptz`);
    where.push(`occurred_at < ${params.add(options.range.to.toISOString())}::timestamptz`);
  }
  where.push(...filterConditions(options.filter, params, true));
  if (options.before) {
    if (!/^\d{1,19}$/.test(options.before) || BigInt(options.before) > MAX_BIGINT) throw badInput(`before must be the id of a call, but got "${options.before}"`);
    const cursor = params.add(options.before);
    where.push(`(occurred_at, id) < (SELECT occurred_at, id FROM llm_usage c WHERE c.id = ${cursor}::bigint ${
      scope.kind === 'workspace' ? `AND c.workspace_id = ${params.add(scope.workspaceId)}` : ''
    })`);
  }
  // Each agent's usage stats come once, on its newest call's row.
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT c.*, a.name AS agent_name,
       CASE WHEN row_number() OVER (PARTITION BY a.workspace_id, a.id ORDER BY c.occurred_at DESC, c.id DESC) = 1 THEN a.model_usage_stats END AS agent_model_usage_stats
     FROM (SELECT ${LLM_CALL_COLUMNS} FROM llm_usage ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY occurred_at DESC, id DESC LIMIT ${params.add(limit)}) c
     LEFT JOIN agents a ON a.workspace_id = c.workspace_id AND a.id = c.agent_id
     ORDER BY c.occurred_at DESC, c.id DESC`,
    params.values,
  );
  const agents = rows
    .filter((row) => row.agent_model_usage_stats != null)
    .map((row) =>
      toAgentRecord({
        workspace_id: row.workspace_id as string,
        id: row.agent_id as string,
        name: row.agent_name as string,
        model_usage_stats: row.agent_model_usage_stats as AgentRow['model_usage_stats'],
      }),
    );
  return { calls: rows.map(toLlmCallRecord), agents };
}

/** When the call an event id was stored with happened, while retention keeps the id (longer than the call's raw row). */
export async function storedEventTime(db: Db, workspaceId: string, eventId: string): Promise<Date | null> {
  const rows: { occurred_at: Date }[] = await db.query(`SELECT occurred_at FROM llm_usage_event_ids WHERE workspace_id = $1 AND event_id = $2`, [workspaceId, eventId]);
  return rows[0]?.occurred_at ?? null;
}

export async function findCallByEventId(db: Db, workspaceId: string, eventId: string): Promise<LlmCallRecord | null> {
  const rows: Record<string, unknown>[] = await db.query(
    // The call's time from its event id narrows the read to its month and its index entries.
    `SELECT ${LLM_CALL_COLUMNS} FROM llm_usage WHERE workspace_id = $1 AND event_id = $2
       AND occurred_at = (SELECT occurred_at FROM llm_usage_event_ids WHERE workspace_id = $1 AND event_id = $2)`,
    [workspaceId, eventId],
  );
  return rows[0] ? toLlmCallRecord(rows[0]) : null;
}
