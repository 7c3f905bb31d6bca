import type { DataSource } from 'typeorm';
import type { Db, EntityAccess } from '../db/db';
import { AppError } from '../graphql/errors';
import { ingestCalls, type IngestOutcome } from '../ingest/ingest.service';
import { validateCall, type ImportedCallValues } from '../ingest/validate-call';
import type { SecretRing } from '../keys/provider-key-cipher';
import { readProviderKey } from '../keys/provider-keys.service';
import type { Logger } from '../logger';
import { openRouterGet, UpstreamShape, type OpenRouterClientOptions } from './openrouter.client';

/** The provider name a workspace stores its OpenRouter key under. */
export const OPENROUTER_PROVIDER = 'openrouter';

/** The request type of the call rows a sync writes. */
export const ACTIVITY_REQUEST_TYPE = 'activity_sync';

/** Where OpenRouter is and which keys may open it. */
export interface OpenRouterAccess {
  baseUrl: string;
  timeoutMs?: number;
  /** OPENROUTER_API_KEY: used by credits and key info when a workspace has no key of its own. */
  serverKey?: string;
  ring: SecretRing;
  /** Where failed upstream requests are logged (their messages never hold a key). */
  logger?: Logger;
}

export interface CreditsRecord {
  totalCredits: number;
  totalUsage: number;
  remaining: number;
  usedFraction: number;
}

export interface KeyInfoRecord {
  label: string | null;
  limit: number | null;
  limitRemaining: number | null;
  usage: number;
  usageDaily: number;
  usageWeekly: number;
  usageMonthly: number;
  isFreeTier: boolean;
  rateLimit: { requests: number; interval: string } | null;
}

/** One row of GET /activity: one day, model and endpoint. */
export interface ActivityRow {
  date: string;
  model: string;
  modelPermaslug: string | null;
  endpointId: string | null;
  providerName: string;
  usage: number;
  byokUsageInference: number;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export interface SyncOutcome {
  fetchedRows: number;
  inserted: number;
  skippedDuplicates: number;
  ingest: IngestOutcome;
}

const SET_KEY_HINT = 'set one with setProviderKey(provider: "openrouter", key: …) in Settings → Provider keys';

/**
 * The key a workspace's OpenRouter calls use: its own stored key; else, when allowed, the
 * server's OPENROUTER_API_KEY; else NOT_CONFIGURED saying where to set one.
 */
async function openRouterKey(db: EntityAccess, access: OpenRouterAccess, workspaceId: string, allowServerKey: boolean): Promise<string> {
  const stored = await readProviderKey(db, access.ring, workspaceId, OPENROUTER_PROVIDER);
  if (stored.state === 'found') return stored.key;
  if (stored.state === 'unreadable') {
    throw new AppError(
      'NOT_CONFIGURED',
      `This workspace's stored OpenRouter key cannot be decrypted with this server's TALLY_SECRET_KEY; ${SET_KEY_HINT} again`,
    );
  }
  if (allowServerKey && access.serverKey) return access.serverKey;
  if (allowServerKey) {
    throw new AppError('NOT_CONFIGURED', `No OpenRouter key: ${SET_KEY_HINT}, or set OPENROUTER_API_KEY on the server`);
  }
  throw new AppError('NOT_CONFIGURED', `Syncing OpenRouter activity needs this workspace's own OpenRouter key, and it has none: ${SET_KEY_HINT}`);
}

/** One GET with the key, a failure logged with the workspace before it goes to the caller. */
async function get(access: OpenRouterAccess, workspaceId: string, apiKey: string, path: string): Promise<unknown> {
  const options: OpenRouterClientOptions = { baseUrl: access.baseUrl, apiKey, timeoutMs: access.timeoutMs };
  try {
    return await openRouterGet(options, path);
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'INTERNAL_SERVER_ERROR';
    access.logger?.warn({ workspaceId, path, code, reason: (error as Error).message }, 'OpenRouter request failed');
    throw error;
  }
}

/** GET /credits with the workspace's key (or the server's). */
export async function fetchCredits(db: Db & EntityAccess, access: OpenRouterAccess, workspaceId: string): Promise<CreditsRecord> {
  const body = await get(access, workspaceId, await openRouterKey(db, access, workspaceId, true), '/credits');
  const shape = new UpstreamShape('GET /credits');
  const data = shape.object(shape.object(body, 'the top level').data, 'data');
  const totalCredits = shape.number(data.total_credits, 'data.total_credits');
  const totalUsage = shape.number(data.total_usage, 'data.total_usage');
  return {
    totalCredits,
    totalUsage,
    remaining: totalCredits - totalUsage,
    usedFraction: totalCredits > 0 ? totalUsage / totalCredits : 0,
  };
}

/** GET /key with the workspace's key (or the server's). */
export async function fetchKeyInfo(db: Db & EntityAccess, access: OpenRouterAccess, workspaceId: string): Promise<KeyInfoRecord> {
  const body = await get(access, workspaceId, await openRouterKey(db, access, workspaceId, true), '/key');
  const shape = new UpstreamShape('GET /key');
  const data = shape.object(shape.object(body, 'the top level').data, 'data');
  let rateLimit: KeyInfoRecord['rateLimit'] = null;
  if (data.rate_limit !== null && data.rate_limit !== undefined) {
    const limit = shape.object(data.rate_limit, 'data.rate_limit');
    rateLimit = { requests: shape.number(limit.requests, 'data.rate_limit.requests'), interval: shape.string(limit.interval, 'data.rate_limit.interval') };
  }
  return {
    label: shape.optionalString(data.label, 'data.label'),
    limit: shape.optionalNumber(data.limit, 'data.limit'),
    limitRemaining: shape.optionalNumber(data.limit_remaining, 'data.limit_remaining'),
    usage: shape.number(data.usage, 'data.usage'),
    usageDaily: shape.number(data.usage_daily, 'data.usage_daily'),
    usageWeekly: shape.number(data.usage_weekly, 'data.usage_weekly'),
    usageMonthly: shape.number(data.usage_monthly, 'data.usage_monthly'),
    isFreeTier: shape.boolean(data.is_free_tier, 'data.is_free_tier'),
    rateLimit,
  };
}

/** Checks every row of a GET /activity answer; the first bad field fails the whole answer. */
export function parseActivity(body: unknown): ActivityRow[] {
  const shape = new UpstreamShape('GET /activity');
  const rows = shape.array(shape.object(body, 'the top level').data, 'data');
  return rows.map((value, i) => {
    const at = (field: string) => `data[${i}].${field}`;
    const row = shape.object(value, `data[${i}]`);
    const date = shape.string(row.date, at('date')).slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new AppError('UPSTREAM_ERROR', `OpenRouter answered GET /activity without a YYYY-MM-DD date at ${at('date')} (got ${JSON.stringify(row.date)})`);
    }
    return {
      date,
      model: shape.string(row.model, at('model')),
      modelPermaslug: shape.optionalString(row.model_permaslug, at('model_permaslug')),
      endpointId: shape.optionalString(row.endpoint_id, at('endpoint_id')),
      providerName: shape.string(row.provider_name, at('provider_name')),
      usage: shape.number(row.usage, at('usage')),
      byokUsageInference: shape.number(row.byok_usage_inference ?? 0, at('byok_usage_inference')),
      requests: shape.count(row.requests, at('requests')),
      promptTokens: shape.count(row.prompt_tokens, at('prompt_tokens')),
      completionTokens: shape.count(row.completion_tokens, at('completion_tokens')),
      reasoningTokens: shape.count(row.reasoning_tokens ?? 0, at('reasoning_tokens')),
    };
  });
}

/** The idempotency key of one (date, model, provider): a second sync of the same day stores nothing new. */
export const activityEventId = (date: string, model: string, providerName: string): string =>
  `openrouter-activity:${date}:${providerName.toLowerCase()}:${model}`;

/** Dollars added without drifting past OpenRouter's own precision. */
const addDollars = (a: number, b: number): number => Math.round((a + b) * 1e12) / 1e12;

/**
 * One imported call row per (date, model, provider): rows of several endpoints of the same
 * provider add up. The row keeps the requests, tokens and reported cost (`usage`); it has
 * no latency. `byok_usage_inference` is the dollars the provider billed the workspace's own
 * key: it is kept in the metadata, and a row with any of it is a BYOK row.
 */
export function activityToCalls(rows: ActivityRow[]): ImportedCallValues[] {
  const merged = new Map<string, ActivityRow & { endpointIds: string[] }>();
  for (const row of rows) {
    const eventId = activityEventId(row.date, row.model, row.providerName);
    const seen = merged.get(eventId);
    if (!seen) {
      merged.set(eventId, { ...row, endpointIds: row.endpointId ? [row.endpointId] : [] });
      continue;
    }
    seen.usage = addDollars(seen.usage, row.usage);
    seen.byokUsageInference = addDollars(seen.byokUsageInference, row.byokUsageInference);
    seen.requests += row.requests;
    seen.promptTokens += row.promptTokens;
    seen.completionTokens += row.completionTokens;
    seen.reasoningTokens += row.reasoningTokens;
    if (row.endpointId) seen.endpointIds.push(row.endpointId);
  }
  return [...merged.entries()].map(([eventId, row]) => ({
    eventId,
    occurredAt: new Date(`${row.date}T00:00:00.000Z`),
    modelId: row.model,
    provider: row.providerName,
    inputTokens: row.promptTokens,
    outputTokens: row.completionTokens,
    reasoningTokens: row.reasoningTokens,
    latencyMs: null,
    requestCount: row.requests,
    status: 'SUCCESS',
    isByok: row.byokUsageInference > 0,
    requestType: ACTIVITY_REQUEST_TYPE,
    reportedCost: row.usage,
    metadata: {
      source: 'openrouter_activity',
      modelPermaslug: row.modelPermaslug,
      endpointIds: row.endpointIds,
      byokUsageInference: row.byokUsageInference,
    },
  }));
}

/**
 * Imports the last 30 completed UTC days of OpenRouter activity (GET /activity) with the
 * workspace's own key, read through `db` (the request's scoped handle). Everything is
 * fetched and checked first; then the rows are stored through ingest in one transaction, so
 * raw rows and rollups agree and a failure anywhere leaves nothing half-written. Rows an
 * earlier sync stored are skipped.
 */
export async function syncActivity(
  db: Db & EntityAccess,
  dataSource: DataSource,
  access: OpenRouterAccess,
  workspaceId: string,
  now: Date,
): Promise<SyncOutcome> {
  const apiKey = await openRouterKey(db, access, workspaceId, false);
  const rows = parseActivity(await get(access, workspaceId, apiKey, '/activity'));
  const calls = activityToCalls(rows);
  for (const call of calls) {
    const checked = validateCall(call, now);
    if ('problems' in checked) {
      const at = `${call.occurredAt!.toISOString().slice(0, 10)} ${call.modelId} (${call.provider})`;
      throw new AppError('UPSTREAM_ERROR', `OpenRouter's activity for ${at} cannot be stored: ${checked.problems.join('; ')}`);
    }
  }
  const ingest = await ingestCalls(dataSource, workspaceId, calls, now);
  if (ingest.rejected.length > 0) {
    // validateCall passed every row above, so ingest has nothing left to reject
    throw new AppError('INTERNAL_SERVER_ERROR', `ingest rejected ${ingest.rejected.length} checked activity rows`);
  }
  return { fetchedRows: rows.length, inserted: ingest.accepted, skippedDuplicates: ingest.duplicates, ingest };
}
