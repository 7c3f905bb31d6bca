import { Params, toNumber, type Db } from '../db/db';
import { badInput } from '../graphql/errors';
import { metricsGroupingSetsStatement, metricsPartsStatement, runMetricsSets, type GroupingSet } from '../metrics/metrics.service';
import { periodLengthMs, periodRange, type Dimension, type Metric, type Period, type Scope, type TimeRange } from '../metrics/metrics.model';
import { COST_BREAKDOWN_METRICS, costBreakdown, costRows, type CostRow } from '../usage/costs.service';

const EVERYONE: Scope = { kind: 'all' };

/** Plans that pay; MRR counts only these. */
export const FREE_PLANS = new Set(['free', 'trial', 'internal']);

/** A workspace is an anomaly when its cost is above this many times the average workspace cost. */
export const ANOMALY_FACTOR = 2;

export interface WorkspaceCostValues {
  workspaceId: string;
  name: string;
  plan: string;
  cost: number;
  tokens: number;
  requests: number;
  isAnomaly: boolean;
}

export interface AdminDashboardValues {
  totalCost: number;
  mrrProjection: number;
  workspaceCount: number;
  activeWorkspaces: number;
  apiRequests: number;
  totalTokens: number;
  byokSavings: number;
  dailyCostByProvider: { date: string; provider: string; cost: number }[];
  byokSplit: { byokCost: number; platformCost: number; byokRequests: number; platformRequests: number };
  workspaces: WorkspaceCostValues[];
  planDistribution: { plan: string; count: number }[];
  anomalies: WorkspaceCostValues[];
}

export type WorkspaceCostOrder = 'COST' | 'TOKENS' | 'REQUESTS' | 'NAME' | 'PLAN';

/** How a page of the workspace table is asked for: a name to search, an order, and a window of rows. */
export interface WorkspaceCostPageQuery {
  search?: string | null;
  orderBy?: WorkspaceCostOrder | null;
  descending?: boolean | null;
  limit: number;
  offset: number;
}

export interface PlatformFigures {
  /** Every workspace (or the page asked for), most expensive first unless told otherwise. */
  rows: WorkspaceCostValues[];
  /** Workspaces matching the search, before the page is cut. */
  matching: number;
  workspaceCount: number;
  activeWorkspaces: number;
  totalCost: number;
  payingCost: number;
  apiRequests: number;
  totalTokens: number;
  planDistribution: { plan: string; count: number }[];
}

const ORDER_COLUMN: Record<WorkspaceCostOrder, (row: string) => string> = {
  COST: (row) => `${row}.cost`,
  TOKENS: (row) => `${row}.tokens`,
  REQUESTS: (row) => `${row}.requests`,
  NAME: (row) => `lower(${row}.name)`,
  PLAN: (row) => `${row}.plan`,
};
const MAX_WORKSPACE_PAGE = 200;

interface PlatformRow {
  rows: WorkspaceCostValues[];
  matching: string;
  workspace_count: string;
  active_workspaces: string;
  total_cost: string;
  paying_cost: string;
  api_requests: string;
  total_tokens: string;
  plans: { plan: string; count: number }[];
  split?: { byok: boolean; cost: number; requests: number }[];
  daily?: { date: string; provider: string; cost: number }[];
}

/** Which workspaces' rows platformFigures returns: all of them, those far above the average, or a page. */
export type PlatformRows = 'ALL' | 'ANOMALIES' | WorkspaceCostPageQuery;

const PLATFORM_METRICS: Metric[] = ['TOTAL_COST', 'TOTAL_TOKENS', 'REQUESTS'];

/** Up to this share of the workspaces, a searched page sums only the matches' calls; past it, most calls are read anyway and the list of ids only adds work. */
const SEARCH_SUMS_MATCHES_BELOW = 0.5;

/**
 * The workspaces whose names match a search (an ILIKE pattern), when they are few enough that
 * summing only their calls pays (`ids`: null when they are not), and how many workspaces there are.
 */
async function searchedWorkspaces(db: Db, pattern: string): Promise<{ ids: string[] | null; workspaceCount: number }> {
  const [row]: { ids: string[] | null; total: string }[] = await db.query(
    `SELECT array_agg(id::text) FILTER (WHERE name ILIKE $1) AS ids, count(*) AS total FROM workspaces`,
    [pattern],
  );
  const ids = row.ids ?? [];
  const workspaceCount = toNumber(row.total);
  return { ids: ids.length < SEARCH_SUMS_MATCHES_BELOW * workspaceCount ? ids : null, workspaceCount };
}

/**
 * The platform's totals and plan counts over every workspace (zeros included), and the rows
 * asked for, in one statement and one row: the engine's sums per workspace joined to the
 * workspaces, the rows asked for as JSON beside the totals. A page keeps the totals of every
 * workspace and cuts only the rows it returns, except a page searching for a few workspaces:
 * it sums only their calls, and its totals are theirs (the average that flags anomalies stays
 * every workspace's). With `splitAndDaily`, the same pass over the sources (grouping sets) also
 * sums by BYOK and by provider and UTC day.
 */
async function platformStatement(db: Db, range: TimeRange, wanted: PlatformRows, splitAndDaily: boolean): Promise<PlatformRow> {
  const params = new Params();
  const page = typeof wanted === 'object' ? wanted : null;
  const base = { range, timezone: 'UTC', metrics: PLATFORM_METRICS };
  const pattern = page?.search?.trim() ? `%${page.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const found = pattern && !splitAndDaily ? await searchedWorkspaces(db, pattern) : null;
  const searched = found?.ids ? { ids: found.ids, workspaceCount: found.workspaceCount } : null;
  const search = pattern ? params.add(pattern) : null;
  let usage: string;
  let extras = '';
  if (splitAndDaily) {
    const sets = await metricsGroupingSetsStatement(
      db,
      EVERYONE,
      { ...base, groupBy: ['WORKSPACE', 'IS_BYOK', 'PROVIDER'], bucket: 'DAY' },
      [{ groupBy: ['WORKSPACE'] }, { groupBy: ['IS_BYOK'] }, { groupBy: ['PROVIDER'], bucket: true }],
      params,
    );
    usage = `sums AS (${sets.sql}), usage AS (SELECT * FROM sums WHERE ${sets.setCondition(0)})`;
    extras = `,
       (SELECT coalesce(json_agg(json_build_object('byok', d1, 'cost', total_cost, 'requests', requests)), '[]') FROM sums WHERE ${sets.setCondition(1)}) AS split,
       (SELECT coalesce(json_agg(json_build_object('date', to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'provider', d2, 'cost', total_cost)), '[]')
          FROM sums WHERE ${sets.setCondition(2)}) AS daily`;
  } else {
    usage = `usage AS (${(await metricsPartsStatement(db, EVERYONE, { ...base, groupBy: ['WORKSPACE'], workspaceIds: searched?.ids }, params)).sql})`;
  }
  if (searched) {
    // Anomalies are measured against every workspace's average, whatever the search keeps.
    const total = await metricsPartsStatement(db, EVERYONE, { ...base, metrics: ['TOTAL_COST'], groupBy: [] }, params);
    usage += `, platform AS (SELECT coalesce((SELECT total_cost FROM (${total.sql}) t), 0) / ${params.add(searched.workspaceCount)}::numeric AS average)`;
  }
  const free = params.add([...FREE_PLANS]);
  const factor = params.add(ANOMALY_FACTOR);
  const order = page?.orderBy ?? 'COST';
  const direction = (page?.descending ?? (order === 'COST' || order === 'TOKENS' || order === 'REQUESTS')) ? 'DESC' : 'ASC';
  const anomaly = `t.average > 0 AND c.cost > ${factor} * t.average`;
  const where = [...(search ? [`c.name ILIKE ${search}`] : []), ...(wanted === 'ANOMALIES' ? [anomaly] : [])];
  const orderBy = (alias: string) => `${ORDER_COLUMN[order](alias)} ${direction}, lower(${alias}.name), ${alias}.workspace_id`;
  const window = page ? `ORDER BY ${orderBy('c')} LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}` : '';
  const [row]: PlatformRow[] = await db.query(
    `WITH ${usage},
     costs AS (
       SELECT w.id::text AS workspace_id, w.name, w.plan, coalesce(u.total_cost, 0) AS cost,
         coalesce(u.input_tokens + u.output_tokens, 0) AS tokens, coalesce(u.requests, 0) AS requests
       FROM workspaces w LEFT JOIN usage u ON u.d0 = w.id ${searched ? `WHERE w.id = ANY(${params.add(searched.ids)}::uuid[])` : ''}),
     totals AS (
       SELECT ${searched ? '(SELECT average FROM platform)' : 'avg(cost)'} AS average, count(*) AS workspace_count, count(*) FILTER (WHERE requests > 0) AS active_workspaces,
         coalesce(sum(cost), 0) AS total_cost, coalesce(sum(cost) FILTER (WHERE plan <> ALL(${free}::text[])), 0) AS paying_cost,
         coalesce(sum(requests), 0) AS api_requests, coalesce(sum(tokens), 0) AS total_tokens,
         count(*) FILTER (WHERE ${search ? `name ILIKE ${search}` : 'true'}) AS matching
       FROM costs),
     plans AS (SELECT coalesce(json_agg(json_build_object('plan', plan, 'count', n) ORDER BY n DESC, plan), '[]') AS plans
               FROM (SELECT plan, count(*)::int AS n FROM costs GROUP BY plan) p)
     SELECT t.matching, t.workspace_count, t.active_workspaces, t.total_cost, t.paying_cost, t.api_requests, t.total_tokens, plans.plans,
       (SELECT coalesce(json_agg(json_build_object('workspaceId', m.workspace_id, 'name', m.name, 'plan', m.plan, 'cost', m.cost,
                 'tokens', m.tokens, 'requests', m.requests, 'isAnomaly', m.is_anomaly) ORDER BY ${orderBy('m')}), '[]')
          FROM (SELECT c.*, ${anomaly} AS is_anomaly FROM costs c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${window}) m) AS rows${extras}
     FROM totals t CROSS JOIN plans`,
    params.values,
  );
  return row;
}

function toFigures(row: PlatformRow): PlatformFigures {
  return {
    rows: row.rows,
    matching: toNumber(row.matching),
    workspaceCount: toNumber(row.workspace_count),
    activeWorkspaces: toNumber(row.active_workspaces),
    totalCost: toNumber(row.total_cost),
    payingCost: toNumber(row.paying_cost),
    apiRequests: toNumber(row.api_requests),
    totalTokens: toNumber(row.total_tokens),
    planDistribution: row.plans,
  };
}

/** The platform's figures over every workspace and the workspace rows asked for (see platformStatement). */
export async function platformFigures(db: Db, range: TimeRange, wanted: PlatformRows = 'ALL'): Promise<PlatformFigures> {
  return toFigures(await platformStatement(db, range, wanted, false));
}

/** Every workspace with its cost in the range, zeros included, flagged when far above the average. */
export async function workspaceCosts(db: Db, range: TimeRange): Promise<WorkspaceCostValues[]> {
  return (await platformFigures(db, range)).rows;
}

/** A page of the workspace table: at most MAX_WORKSPACE_PAGE rows, searched by name, in the order asked. */
export async function workspaceCostPage(db: Db, period: Period, now: Date, page: WorkspaceCostPageQuery): Promise<{ total: number; rows: WorkspaceCostValues[] }> {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_WORKSPACE_PAGE) {
    throw badInput(`limit must be from 1 to ${MAX_WORKSPACE_PAGE}, but got ${page.limit}`);
  }
  if (!Number.isInteger(page.offset) || page.offset < 0) throw badInput(`offset must be 0 or more, but got ${page.offset}`);
  if (page.search && page.search.length > 200) throw badInput(`search must be at most 200 characters, but got ${page.search.length}`);
  const figures = await platformFigures(db, periodRange(period, now), page);
  return { total: figures.matching, rows: figures.rows };
}

/** The platform at a glance: every workspace, whatever scope the admin's request carries. */
export async function adminDashboard(db: Db, period: Period, now: Date, wanted?: ReadonlySet<string>): Promise<AdminDashboardValues> {
  const range = periodRange(period, now);
  const row = await platformStatement(db, range, !wanted || wanted.has('workspaces') ? 'ALL' : 'ANOMALIES', true);
  const figures = toFigures(row);
  const { split = [], daily = [] } = row;
  const side = (isByok: boolean) => split.find((r) => r.byok === isByok);
  const byok = side(true);
  const platform = side(false);
  const days = periodLengthMs(period) / 86_400_000;
  return {
    totalCost: figures.totalCost,
    mrrProjection: (figures.payingCost / days) * 30,
    workspaceCount: figures.workspaceCount,
    activeWorkspaces: figures.activeWorkspaces,
    apiRequests: figures.apiRequests,
    totalTokens: figures.totalTokens,
    byokSavings: byok?.cost ?? 0,
    dailyCostByProvider: daily.sort((a, b) => a.date.localeCompare(b.date) || a.provider.localeCompare(b.provider)),
    byokSplit: {
      byokCost: byok?.cost ?? 0,
      platformCost: platform?.cost ?? 0,
      byokRequests: byok?.requests ?? 0,
      platformRequests: platform?.requests ?? 0,
    },
    workspaces: !wanted || wanted.has('workspaces') ? figures.rows : [],
    planDistribution: figures.planDistribution,
    anomalies: figures.rows.filter((w) => w.isAnomaly),
  };
}

export interface AdminCostAnalyticsValues {
  totalCost: number;
  byProvider: CostRow[];
  byModel: CostRow[];
  byWorkspace: WorkspaceCostValues[];
  daily: CostRow[];
}

/** The parts of the cost analytics a query may ask for; each costs a scan of the range. */
export type CostAnalyticsPart = keyof AdminCostAnalyticsValues;
const EVERY_COST_PART = new Set<CostAnalyticsPart>(['totalCost', 'byProvider', 'byModel', 'byWorkspace', 'daily']);

/**
 * The platform's cost by provider, model, workspace and day, each part read only when `wanted`
 * (all by default). The total, providers and models are summed in one pass over the sources
 * (grouping sets); the workspaces (every workspace, zeros included) and the days, when wanted,
 * each with a statement of their own beside it: grouped by day in the same pass, the planner
 * cannot tell how many days the range holds and sorts every call instead of hashing. The
 * breakdowns take their shares of the total.
 */
export async function adminCostAnalytics(db: Db, period: Period, now: Date, wanted: ReadonlySet<string> = EVERY_COST_PART): Promise<AdminCostAnalyticsValues> {
  const range = periodRange(period, now);
  const breakdowns = (['byProvider', 'byModel'] as const).filter((part) => wanted.has(part));
  const sets: GroupingSet[] = [{ groupBy: [] }, ...breakdowns.map((part) => ({ groupBy: [part === 'byModel' ? 'MODEL' : 'PROVIDER'] as Dimension[] }))];
  const summed = runMetricsSets(db, EVERYONE, { range, timezone: 'UTC', metrics: [...COST_BREAKDOWN_METRICS], groupBy: ['PROVIDER', 'MODEL'] }, sets);
  const total = summed.then(([t]) => t.rows[0]?.values.TOTAL_COST ?? 0);
  const [figures, [, ...grouped], totalCost, daily] = await Promise.all([
    wanted.has('byWorkspace') ? platformFigures(db, range) : null,
    summed,
    total,
    wanted.has('daily') ? costBreakdown(db, EVERYONE, range, 'DAILY', 'UTC', total) : [],
  ]);
  const part = (name: (typeof breakdowns)[number]) => {
    const i = breakdowns.indexOf(name);
    return i < 0 ? [] : costRows(grouped[i], false, 'UTC', totalCost);
  };
  return {
    totalCost,
    byProvider: part('byProvider'),
    byModel: part('byModel'),
    byWorkspace: figures?.rows ?? [],
    daily: daily.sort((a, b) => a.key.localeCompare(b.key)),
  };
}
