import { Params, toNumber, type Db } from '../db/db';
import { badInput } from '../graphql/errors';
import { metricsPartsStatement, runMetrics } from '../metrics/metrics.service';
import { periodLengthMs, periodRange, type Period, type Scope, type TimeRange } from '../metrics/metrics.model';
import { localDate } from '../metrics/timezone';
import { costBreakdown, type CostRow } from '../usage/costs.service';

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

const ORDER_COLUMN: Record<WorkspaceCostOrder, string> = { COST: 'cost', TOKENS: 'tokens', REQUESTS: 'requests', NAME: 'lower(name)', PLAN: 'plan' };
const MAX_WORKSPACE_PAGE = 200;

interface PlatformRow {
  workspace_id: string;
  name: string;
  plan: string;
  cost: string;
  tokens: string;
  requests: string;
  is_anomaly: boolean;
  matching: string;
  workspace_count: string;
  active_workspaces: string;
  total_cost: string;
  paying_cost: string;
  api_requests: string;
  total_tokens: string;
  plans: { plan: string; count: number }[];
}

/**
 * Every workspace with its usage in the range (zeros included), the platform's totals and plan
 * counts, in one statement: the engine's sums per workspace joined to the workspaces, averages
 * and totals as window aggregates. A page (`page`) keeps the totals of every workspace and cuts
 * only the rows it returns.
 */
export async function platformFigures(db: Db, range: TimeRange, page?: WorkspaceCostPageQuery): Promise<PlatformFigures> {
  const params = new Params();
  const usage = await metricsPartsStatement(db, EVERYONE, { range, timezone: 'UTC', metrics: ['TOTAL_COST', 'TOTAL_TOKENS', 'REQUESTS'], groupBy: ['WORKSPACE'] }, params);
  const free = params.add([...FREE_PLANS]);
  const factor = params.add(ANOMALY_FACTOR);
  const search = page?.search?.trim() ? params.add(`%${page.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : null;
  const order = page?.orderBy ?? 'COST';
  const direction = (page?.descending ?? (order === 'COST' || order === 'TOKENS' || order === 'REQUESTS')) ? 'DESC' : 'ASC';
  const window = page ? `LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}` : '';
  const rows: PlatformRow[] = await db.query(
    `WITH usage AS (${usage.sql}),
     costs AS (
       SELECT w.id::text AS workspace_id, w.name, w.plan, coalesce(u.total_cost, 0) AS cost,
         coalesce(u.input_tokens + u.output_tokens, 0) AS tokens, coalesce(u.requests, 0) AS requests
       FROM workspaces w LEFT JOIN usage u ON u.d0 = w.id),
     figures AS (
       SELECT *, avg(cost) OVER () AS average, count(*) OVER () AS workspace_count,
         count(*) FILTER (WHERE requests > 0) OVER () AS active_workspaces, sum(cost) OVER () AS total_cost,
         coalesce(sum(cost) FILTER (WHERE plan <> ALL(${free}::text[])) OVER (), 0) AS paying_cost,
         sum(requests) OVER () AS api_requests, sum(tokens) OVER () AS total_tokens
       FROM costs),
     plans AS (SELECT coalesce(json_agg(json_build_object('plan', plan, 'count', n) ORDER BY n DESC, plan), '[]') AS plans
               FROM (SELECT plan, count(*)::int AS n FROM costs GROUP BY plan) p),
     matching AS (SELECT * FROM figures ${search ? `WHERE name ILIKE ${search}` : ''})
     SELECT m.workspace_id, m.name, m.plan, m.cost, m.tokens, m.requests,
       m.average > 0 AND m.cost > ${factor} * m.average AS is_anomaly, count(*) OVER () AS matching,
       m.workspace_count, m.active_workspaces, m.total_cost, m.paying_cost, m.api_requests, m.total_tokens, plans.plans
     FROM matching m CROSS JOIN plans
     ORDER BY ${ORDER_COLUMN[order]} ${direction}, lower(m.name), m.workspace_id
     ${window}`,
    params.values,
  );
  if (rows.length === 0 && page && page.offset > 0) {
    // Past the last row: the count and totals come from the first row of the same search.
    return { ...(await platformFigures(db, range, { ...page, limit: 1, offset: 0 })), rows: [] };
  }
  const first = rows[0];
  return {
    rows: rows.map((r) => ({
      workspaceId: r.workspace_id,
      name: r.name,
      plan: r.plan,
      cost: Number(r.cost),
      tokens: Number(r.tokens),
      requests: Number(r.requests),
      isAnomaly: r.is_anomaly,
    })),
    matching: toNumber(first?.matching),
    workspaceCount: toNumber(first?.workspace_count),
    activeWorkspaces: toNumber(first?.active_workspaces),
    totalCost: toNumber(first?.total_cost),
    payingCost: toNumber(first?.paying_cost),
    apiRequests: toNumber(first?.api_requests),
    totalTokens: toNumber(first?.total_tokens),
    planDistribution: first?.plans ?? [],
  };
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
export async function adminDashboard(db: Db, period: Period, now: Date): Promise<AdminDashboardValues> {
  const range = periodRange(period, now);
  const base = { range, timezone: 'UTC' };
  const [figures, split, daily] = await Promise.all([
    platformFigures(db, range),
    runMetrics(db, EVERYONE, { ...base, metrics: ['TOTAL_COST', 'REQUESTS'], groupBy: ['IS_BYOK'] }),
    runMetrics(db, EVERYONE, { ...base, metrics: ['TOTAL_COST'], groupBy: ['PROVIDER'], bucket: 'DAY' }),
  ]);
  const side = (byok: boolean) => split.rows.find((r) => r.dimensions[0].value === String(byok))?.values;
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
    byokSavings: byok?.TOTAL_COST ?? 0,
    dailyCostByProvider: daily.rows
      .map((r) => ({ date: localDate(r.bucket!, 'UTC'), provider: r.dimensions[0].value, cost: r.values.TOTAL_COST }))
      .sort((a, b) => a.date.localeCompare(b.date) || a.provider.localeCompare(b.provider)),
    byokSplit: {
      byokCost: byok?.TOTAL_COST ?? 0,
      platformCost: platform?.TOTAL_COST ?? 0,
      byokRequests: byok?.REQUESTS ?? 0,
      platformRequests: platform?.REQUESTS ?? 0,
    },
    workspaces: figures.rows,
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
 * (all by default), side by side. The total comes with the workspaces when those are wanted,
 * else from a sum of its own; the breakdowns take their shares of it.
 */
export async function adminCostAnalytics(db: Db, period: Period, now: Date, wanted: ReadonlySet<string> = EVERY_COST_PART): Promise<AdminCostAnalyticsValues> {
  const range = periodRange(period, now);
  const figures = wanted.has('byWorkspace') ? platformFigures(db, range) : null;
  const total = figures
    ? figures.then((f) => f.totalCost)
    : runMetrics(db, EVERYONE, { range, timezone: 'UTC', metrics: ['TOTAL_COST'], groupBy: [] }).then((t) => t.rows[0]?.values.TOTAL_COST ?? 0);
  const breakdown = (part: CostAnalyticsPart, dimension: 'PROVIDER' | 'MODEL' | 'DAILY') =>
    wanted.has(part) ? costBreakdown(db, EVERYONE, range, dimension, 'UTC', total) : Promise.resolve([]);
  const [totalCost, byWorkspace, byProvider, byModel, daily] = await Promise.all([
    total,
    figures?.then((f) => f.rows) ?? [],
    breakdown('byProvider', 'PROVIDER'),
    breakdown('byModel', 'MODEL'),
    breakdown('daily', 'DAILY'),
  ]);
  return { totalCost, byProvider, byModel, byWorkspace, daily: daily.sort((a, b) => a.key.localeCompare(b.key)) };
}
