import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/db';
import { Params, toNumber } from '../db/db';
import { badInput } from '../graphql/errors';
import { METRIC_CATALOGUE, PART_SQL, type Part, type Percentile } from './catalogue';
import { histogramFromText, percentileFromHistogram } from './latency-histogram';
import type {
  Dimension,
  Metric,
  MetricsOutcome,
  MetricsQuery,
  MetricsRowValue,
  Scope,
  TimeRange,
  UsageFilterValues,
} from './metrics.model';
import { planSources, type SourcePlan } from './source-plan';
import { BOUND_COLUMNS, usersByBoundSql, type BoundedMetric } from './user-totals';
import { byTag, HISTOGRAM_COLUMNS, narrowestRollup, rollupHistogramColumns, rollupLevel, type RollupTable } from '../ingest/rollup';
import { checkTimezone, hasWholeHourOffsets, isUtcDuring } from './timezone';
import { COLUMN_FILTERS, DIMENSION_CATALOGUE, DIMENSION_COLUMN, LIST_FILTER_FIELDS, RAW_DIMENSION_COLUMNS } from './dimension-catalogue';
import { rawKeptFrom } from './raw-kept-from';
import { attributionConditions, checkAttributionFilter } from './attribution-filter';

/** Raw rows grouped by TAG: a call once under each of its tags, a call without tags once under ''. */
const RAW_BY_TAG = byTag('llm_usage');

/** How raw rows and rollup rows expose each column of the unified source. */
const RAW_COLUMN: Record<string, string> = {
  t: 'occurred_at',
  ...RAW_DIMENSION_COLUMNS,
  requests: 'request_count',
  input_tokens: 'input_tokens',
  output_tokens: 'output_tokens',
  cache_read_tokens: 'cache_read_tokens',
  cache_write_tokens: 'cache_write_tokens',
  reasoning_tokens: 'reasoning_tokens',
  input_cost: 'input_cost',
  output_cost: 'output_cost',
  total_cost: 'total_cost',
  unpriced: 'CASE WHEN priced THEN 0 ELSE request_count END',
  latency_count: 'CASE WHEN latency_ms IS NULL THEN 0 ELSE 1 END',
  latency_sum: 'coalesce(latency_ms, 0)',
  latency_ms: 'latency_ms',
};
/** The source columns that are sums (the rest are keys). */
const MEASURE_COLUMNS = new Set(Object.keys(RAW_COLUMN).filter((c) => c !== 't' && !Object.values(DIMENSION_COLUMN).includes(c)));
const ROLLUP_COLUMN_IDENTITY: Record<string, string> = Object.fromEntries(Object.keys(RAW_COLUMN).map((c) => [c, c]));
const ROLLUP_COLUMN: Record<string, string> = {
  ...Object.fromEntries(Object.keys(RAW_COLUMN).map((c) => [c, c])),
  t: 'start_at',
  requests: 'request_count',
  unpriced: 'unpriced_count',
};
/** The source columns a part reads (error_requests also needs the status). */
const PART_COLUMNS: Record<Part, string[]> = {
  requests: ['requests'],
  input_tokens: ['input_tokens'],
  output_tokens: ['output_tokens'],
  cache_read_tokens: ['cache_read_tokens'],
  cache_write_tokens: ['cache_write_tokens'],
  reasoning_tokens: ['reasoning_tokens'],
  input_cost: ['input_cost'],
  output_cost: ['output_cost'],
  total_cost: ['total_cost'],
  error_requests: ['requests', 'status'],
  unpriced: ['unpriced'],
  latency_count: ['latency_count'],
  latency_sum: ['latency_sum'],
};

const BUCKET_UNIT = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;

export const MAX_METRICS_LIMIT = 10_000;
/** Values one filter list may name (modelIds, providers, agentIds, tiers, requestTypes, workflows, userIds, tags). */
export const MAX_FILTER_VALUES = 100;

/** Refuses a filter list longer than MAX_FILTER_VALUES, naming it. */
export function checkUsageFilter(filter: UsageFilterValues | null | undefined): void {
  checkAttributionFilter(filter);
  for (const list of LIST_FILTER_FIELDS) {
    const values = filter?.[list];
    if (values && values.length > MAX_FILTER_VALUES) {
      throw badInput(`filter.${list} takes at most ${MAX_FILTER_VALUES} values, but got ${values.length}`);
    }
  }
}

/**
 * The times a range may name: buckets round a range's ends out to their own edges, and PostgreSQL
 * reads no timestamp past the year 9999 (nor does a Date print one it would read).
 */
export const QUERY_TIME_BOUNDS = { earliest: new Date('1970-01-01T00:00:00.000Z'), latest: new Date('9999-01-01T00:00:00.000Z') };

/** Checks a query's shape; throws BAD_USER_INPUT saying what was expected and what arrived. */
export function validateMetricsQuery(query: MetricsQuery, scope: Scope, isAdmin: boolean): void {
  if (query.metrics.length === 0) throw badInput('metrics must name at least one metric, but got an empty list');
  if (new Set(query.metrics).size !== query.metrics.length) {
    throw badInput(`metrics must not repeat a metric, but got ${query.metrics.join(', ')}`);
  }
  checkUsageFilter(query.filter);
  for (const [name, time] of [['from', query.range.from], ['to', query.range.to]] as const) {
    if (!(time >= QUERY_TIME_BOUNDS.earliest && time <= QUERY_TIME_BOUNDS.latest)) {
      const got = Number.isNaN(time.getTime()) ? 'an invalid date' : time.toISOString();
      throw badInput(`${name} must be from ${QUERY_TIME_BOUNDS.earliest.toISOString()} to ${QUERY_TIME_BOUNDS.latest.toISOString()}, but got ${got}`);
    }
  }
  if (query.range.from.getTime() >= query.range.to.getTime()) {
    throw badInput(`from must be before to, but got from ${query.range.from.toISOString()} and to ${query.range.to.toISOString()}`);
  }
  if (query.limit !== undefined && query.limit !== null && (query.limit < 1 || query.limit > MAX_METRICS_LIMIT)) {
    throw badInput(`limit must be from 1 to ${MAX_METRICS_LIMIT}, but got ${query.limit}`);
  }
  if (query.groupBy.includes('WORKSPACE') && !(isAdmin || scope.kind === 'all')) {
    throw badInput('groupBy WORKSPACE needs an admin key, but this key is a member key');
  }
  if (new Set(query.groupBy).size !== query.groupBy.length) {
    throw badInput(`groupBy must not repeat a dimension, but got ${query.groupBy.join(', ')}`);
  }
  checkTimezone(query.timezone);
}

interface SourceChoice {
  plan: SourcePlan;
  usesRollup: boolean;
  /** Null when no rollup of its grain keeps every key the query needs. */
  hourlyTable: RollupTable | null;
  dailyTable: RollupTable | null;
}

/**
 * How the engine picks its sources: `BY_COST` reads rollups only where the planner expects them
 * to be cheaper than the raw rows of the range; `ROLLUP` reads them wherever the range allows.
 */
export type SourcePolicy = 'BY_COST' | 'ROLLUP';

/** What the engine chose for a query, and why: for BENCH_EXPLAIN and for tests. */
export interface SourceChoiceReport {
  source: MetricsOutcome['source'];
  reason: string;
  estimatedRawRows?: number;
  estimatedRollupRows?: number;
}
export const sourceChoiceObservers = new Set<(report: SourceChoiceReport) => void>();

/** The policy of queries that name none: the gateway sets it from METRICS_SOURCES when it starts. */
let defaultPolicy: SourcePolicy = 'BY_COST';
export function useSourcePolicy(policy: SourcePolicy): void {
  defaultPolicy = policy;
}

/**
 * What a row costs to read and aggregate, relative to a raw row summed: a rollup row is wider,
 * and with percentiles it adds a hundred and sixty-one histogram columns where a raw row adds
 * one value to a sort (measured in the admin bench: sparse rollups, one call a row, took ten
 * times the raw rows' time with histograms and about twice without).
 */
const ROW_COST = {
  raw: { sums: 1, percentiles: 2 },
  rollup: { sums: 2, percentiles: 12 },
};

/** The rollup key columns a query reads: its groupings, its filters, and the status its error counts need. */
function neededKeys(query: MetricsQuery, parts: Part[]): string[] {
  const keys = new Set(query.groupBy.filter((d) => d !== 'WORKSPACE').map((d) => DIMENSION_COLUMN[d]));
  const f = query.filter;
  for (const { field, column } of COLUMN_FILTERS) {
    const values = f?.[field];
    if (values && values.length > 0) keys.add(column);
  }
  if (f?.isByok !== undefined && f?.isByok !== null) keys.add('is_byok');
  if (f?.status) keys.add('status');
  if (f?.userIds && f.userIds.length > 0) keys.add('user_id');
  // One tag is one tag rollup key, unless the query also splits by tag (the call's other tags count too).
  if (f?.tags && f.tags.length > 0) keys.add(f.tags.length === 1 && !query.groupBy.includes('TAG') ? 'tag' : RAW_ONLY_KEY);
  if (f?.metadata && f.metadata.length > 0) keys.add(RAW_ONLY_KEY);
  if (parts.some((p) => PART_COLUMNS[p].includes('status'))) keys.add('status');
  return [...keys];
}

/** A key no rollup keeps: a query that needs it reads raw rows. */
const RAW_ONLY_KEY = 'raw rows only';

const RAW_ONLY: Omit<SourcePlan, 'raw'> = { rawOutside: [], hourly: [], daily: [] };

/** A time or id the engine made itself (never a caller's text), as a SQL literal. */
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

type RowEstimate = { raw: number; rollup: number; edges: number };

/** How long the planner's estimates for a scope and range are reused: ANALYZE moves them slowly. */
const ESTIMATE_TTL_MS = 60_000;
/** A range's ends are rounded to this in the cache key: ranges ending "now" a few seconds apart share estimates. */
const ESTIMATE_GRAIN_MS = 5 * 60_000;
const estimates = new LRUCache<string, RowEstimate>({ max: 1000, ttl: ESTIMATE_TTL_MS });

/** Forgets every cached estimate (tests that reseed a database and expect a new choice at once). */
export function forgetRowEstimates(): void {
  estimates.clear();
}

/**
 * The planner's row estimates (see {@link explainRows}), reused for a minute per scope, tables
 * and range rounded to five minutes: a dashboard sends the same shapes over and over, and the
 * EXPLAIN would otherwise be a round trip and a planning on every query's hot path.
 */
async function estimateRows(db: Db, choice: SourceChoice, query: MetricsQuery, scope: Scope): Promise<RowEstimate> {
  const grain = (ranges: TimeRange[]) => ranges.map((r) => `${Math.floor(r.from.getTime() / ESTIMATE_GRAIN_MS)}-${Math.floor(r.to.getTime() / ESTIMATE_GRAIN_MS)}`).join(',');
  const { plan } = choice;
  const key = [
    scope.kind === 'workspace' ? scope.workspaceId : query.workspaceIds ? createHash('sha1').update(query.workspaceIds.join(',')).digest('base64') : '*',
    grain([query.range]),
    grain([...plan.raw, ...plan.rawOutside]),
    `${choice.hourlyTable}:${grain(plan.hourly)}`,
    `${choice.dailyTable}:${grain(plan.daily)}`,
  ].join('|');
  const cached = estimates.get(key);
  if (cached) return cached;
  const estimate = await explainRows(db, choice, query, scope);
  estimates.set(key, estimate);
  return estimate;
}

/**
 * The planner's row estimates, from one EXPLAIN: the raw rows of the whole range, and what the
 * rollup plan reads (its rollup rows, and the raw rows at its edges). Scope and times are written
 * as literals: the planner estimates a parameter's range with a default selectivity, a literal's
 * from its statistics. Filters are left out: they thin both sides alike.
 */
async function explainRows(db: Db, choice: SourceChoice, query: MetricsQuery, scope: Scope): Promise<RowEstimate> {
  const { plan } = choice;
  const totals: RowEstimate = { raw: 0, rollup: 0, edges: 0 };
  const branches: [keyof RowEstimate, string | null, string, TimeRange[]][] = [
    ['raw', 'llm_usage', 'occurred_at', [query.range]],
    ['edges', 'llm_usage', 'occurred_at', [...plan.raw, ...plan.rawOutside]],
    ['rollup', choice.hourlyTable, 'start_at', plan.hourly],
    ['rollup', choice.dailyTable, 'start_at', plan.daily],
  ];
  const asked = branches.filter((branch): branch is [keyof RowEstimate, string, string, TimeRange[]] => branch[1] !== null && branch[3].length > 0);
  const workspace =
    scope.kind === 'workspace'
      ? [`workspace_id = ${literal(scope.workspaceId)}::uuid`]
      : query.workspaceIds
        ? [`workspace_id = ANY(${literal(`{${query.workspaceIds.join(',')}}`)}::uuid[])`]
        : [];
  const sql = asked.map(([, table, column, ranges]) => {
    const times = ranges.map((r) => `(${column} >= ${literal(r.from.toISOString())}::timestamptz AND ${column} < ${literal(r.to.toISOString())}::timestamptz)`);
    return `SELECT 1 FROM ${table} WHERE ${[...workspace, `(${times.join(' OR ')})`].join(' AND ')}`;
  });
  const [{ 'QUERY PLAN': explained }]: { 'QUERY PLAN': [{ Plan: PlanNode }] }[] = await db.query(`EXPLAIN (FORMAT JSON) ${sql.join(' UNION ALL ')}`);
  const top = explained[0].Plan;
  const children = asked.length > 1 && top.Plans ? top.Plans : [top];
  asked.forEach(([name], i) => (totals[name] += children[i]?.['Plan Rows'] ?? 0));
  return totals;
}

interface PlanNode {
  'Plan Rows': number;
  Plans?: PlanNode[];
}

/**
 * The sources to read: the rollup plan where the range allows it and (by cost) where the planner
 * expects it to read less than the raw rows would, counting a rollup row as the wider one it is.
 * Sparse data (a call or two per rollup row) reads raw rows, with exact percentiles.
 */
async function chooseSourcesByCost(db: Db, scope: Scope, query: MetricsQuery, parts: Part[], percentiles: boolean, policy: SourcePolicy): Promise<SourceChoice> {
  const rawFrom = await rawKeptFrom(db, scope);
  const beforeCut = rawFrom !== null && query.range.from.getTime() < rawFrom;
  const choice = chooseSources(query, parts, percentiles, beforeCut ? rawFrom : null);
  const report = (chosen: SourceChoice, reason: string, estimate?: { raw: number; rollup: number }) => {
    for (const observer of sourceChoiceObservers) {
      observer({ source: chosen.usesRollup ? 'ROLLUP' : 'RAW', reason, estimatedRawRows: estimate?.raw, estimatedRollupRows: estimate?.rollup });
    }
    return chosen;
  };
  if (!choice.usesRollup) return report(choice, 'the range or its zone allows raw rows only');
  if (beforeCut) return report(choice, 'the range reaches before the raw calls retention kept');
  if (policy === 'ROLLUP') return report(choice, 'rollups wherever the range allows');
  const estimate = await estimateRows(db, choice, query, scope);
  const kind = percentiles ? 'percentiles' : 'sums';
  const rawCost = estimate.raw * ROW_COST.raw[kind];
  const table = choice.hourlyTable ?? choice.dailyTable;
  const rollupRowCost = (table && rollupLevel(table).rowCost) || ROW_COST.rollup;
  const rollupCost = estimate.rollup * rollupRowCost[kind] + estimate.edges * ROW_COST.raw[kind];
  const reason = `planner estimates ${Math.round(estimate.raw)} raw rows (cost ${Math.round(rawCost)}) against ${Math.round(estimate.rollup)} rollup rows and ${Math.round(estimate.edges)} raw edge rows (cost ${Math.round(rollupCost)})`;
  if (rollupCost < rawCost) return report(choice, reason, estimate);
  return report({ ...choice, plan: { raw: [query.range], ...RAW_ONLY }, usesRollup: false }, reason, estimate);
}

/** Percentiles over ranges shorter than this are exact: read from raw rows, not from rollup histograms. */
export const EXACT_PERCENTILES_MS = 24 * 3_600_000;

/**
 * `rawFrom`: where the scope's raw calls start, when the range reaches before it; percentiles
 * then come from the rollups' histograms, since the raw rows for exact ones are gone.
 */
function chooseSources(query: MetricsQuery, parts: Part[], percentiles: boolean, rawFrom: number | null = null): SourceChoice {
  const { range, bucket, timezone } = query;
  const localBuckets = bucket === 'DAY' || bucket === 'WEEK' || bucket === 'MONTH';
  const exact = percentiles && rawFrom === null && range.to.getTime() - range.from.getTime() < EXACT_PERCENTILES_MS;
  const rawOnly = exact || (!!bucket && !hasWholeHourOffsets(timezone, range.from, range.to));
  const allowDaily = !bucket || (localBuckets && isUtcDuring(timezone, range.from, range.to));
  const keys = neededKeys(query, parts);
  const hourlyTable = narrowestRollup('hour', keys);
  const dailyTable = allowDaily ? narrowestRollup('day', keys) : null;
  // Keys only a daily rollup keeps (users) read whole days from it and the rest from raw rows;
  // keys no rollup keeps together (the workflow with another one) read raw rows alone.
  const plan = planSources(range, {
    rawOnly: rawOnly || (!hourlyTable && !dailyTable),
    allowDaily,
    now: Date.now(),
    rawFrom,
    hourlyRollup: hourlyTable !== null,
  });
  return { plan, usesRollup: plan.hourly.length > 0 || plan.daily.length > 0, hourlyTable, dailyTable };
}

function scopeCondition(scope: Scope, params: Params, workspaceIds?: string[] | null): string[] {
  if (scope.kind === 'workspace') return [`workspace_id = ${params.add(scope.workspaceId)}`];
  return workspaceIds ? [`workspace_id = ANY(${params.add(workspaceIds)}::uuid[])`] : [];
}

/**
 * A filter's conditions on raw rows (`raw`) or on rollup rows. A rollup is read only when it
 * keeps what the filter names (neededKeys): a user, or the one tag of a tags filter.
 */
export function filterConditions(filter: UsageFilterValues | null | undefined, params: Params, raw: boolean): string[] {
  if (!filter) return [];
  const conditions: string[] = raw
    ? attributionConditions(filter, params)
    : [
        ...(filter.userIds && filter.userIds.length > 0 ? [`user_id = ANY(${params.add(filter.userIds)}::text[])`] : []),
        ...(filter.tags && filter.tags.length > 0 ? [`tag = ${params.add(filter.tags[0])}`] : []),
      ];
  // Raw rows keep "no agent", "no tier" and "no workflow" as NULL, rollups as '': a filter on '' (as groupings name them) matches both.
  for (const { field, rawSql } of COLUMN_FILTERS) {
    const values = filter[field];
    if (values && values.length > 0) conditions.push(`${rawSql} = ANY(${params.add(values)}::text[])`);
  }
  if (filter.isByok !== undefined && filter.isByok !== null) conditions.push(`is_byok = ${params.add(filter.isByok)}`);
  if (filter.status) conditions.push(`status = ${params.add(filter.status)}`);
  return conditions;
}

function rangeCondition(column: string, ranges: TimeRange[], params: Params): string {
  return `(${ranges
    .map((r) => `(${column} >= ${params.add(r.from.toISOString())}::timestamptz AND ${column} < ${params.add(r.to.toISOString())}::timestamptz)`)
    .join(' OR ')})`;
}

/**
 * The UNION ALL of raw rows and rollup rows that together cover the range once. With
 * `histogram`, every source also yields the latency histogram columns (raw rows one 1 each).
 */
function unifiedSource(
  choice: SourceChoice,
  columns: string[],
  histogram: boolean,
  scope: Scope,
  filter: UsageFilterValues | null | undefined,
  params: Params,
  workspaceIds?: string[] | null,
): string {
  const common = (raw: boolean) => [...scopeCondition(scope, params, workspaceIds), ...filterConditions(filter, params, raw)];
  const parts: string[] = [];
  const rawFrom = columns.includes('tag') ? RAW_BY_TAG : 'llm_usage';
  const { plan } = choice;
  // Rows outside the range but inside a rollup hour it reads are taken away again, and counted.
  const outside = plan.rawOutside.length > 0;
  const list = (map: Record<string, string>, sign: '' | '-' = '') =>
    columns.map((c) => {
      const expression = sign && MEASURE_COLUMNS.has(c) ? `${sign}(${map[c]})` : map[c];
      return expression === c ? c : `${expression} AS ${c}`;
    });
  const rawPart = (ranges: TimeRange[], sign: '' | '-') => {
    const where = [...common(true), rangeCondition('occurred_at', ranges, params)].join(' AND ');
    const select = [...list(RAW_COLUMN, sign), ...(outside ? [`${sign ? 1 : 0} AS outside_rows`] : [])];
    if (!histogram) return `SELECT ${select.join(', ')} FROM ${rawFrom} WHERE ${where}`;
    // OFFSET 0 keeps the bucket a column computed once per row: pulled up, the subquery
    // would put the logarithm into each of the histogram's comparisons.
    const buckets = HISTOGRAM_COLUMNS.map((h, i) => `${sign}(b = ${i})::int AS ${h}`);
    return `SELECT ${[...select, ...buckets].join(', ')}
        FROM (SELECT *, tally_latency_bucket(latency_ms) AS b FROM ${rawFrom} WHERE ${where} OFFSET 0) raw`;
  };
  if (plan.raw.length > 0) parts.push(rawPart(plan.raw, ''));
  if (outside) parts.push(rawPart(plan.rawOutside, '-'));
  for (const [table, ranges] of [
    [choice.hourlyTable, plan.hourly],
    [choice.dailyTable, plan.daily],
  ] as const) {
    if (ranges.length === 0 || !table) continue;
    const where = [...common(false), rangeCondition('start_at', ranges, params)].join(' AND ');
    const select = [...list(ROLLUP_COLUMN), ...(outside ? ['0 AS outside_rows'] : []), ...(histogram ? rollupHistogramColumns(table) : [])];
    parts.push(`SELECT ${select.join(', ')} FROM ${table} WHERE ${where}`);
  }
  return parts.join('\nUNION ALL\n');
}

/** Group keys over the unified source, or over raw rows when `columns` is RAW_COLUMN. */
function groupExpressions(
  query: MetricsQuery,
  params: Params,
  columns: Record<string, string> = ROLLUP_COLUMN_IDENTITY,
): { keys: string[]; bucketExpr?: string } {
  // Keys group as the columns are (a uuid or a boolean hashes faster than its text); rows read them as text.
  const keys = query.groupBy.map((d) => columns[DIMENSION_COLUMN[d]]);
  if (!query.bucket) return { keys };
  const zone = params.add(query.timezone);
  const local = `${columns.t} AT TIME ZONE ${zone}`;
  // An hour starts where the local clock shows :00, taken back from the instant itself rather than
  // from the local time (the two 01:00 hours of a night that turns the clocks back stay apart).
  // A day, week or month starts at local midnight, which DST skips or repeats in very few zones.
  const bucketExpr =
    query.bucket === 'HOUR'
      ? `${columns.t} - (${local} - date_trunc('hour', ${local}))`
      : `date_trunc('${BUCKET_UNIT[query.bucket]}', ${local}) AT TIME ZONE ${zone}`;
  return { keys, bucketExpr };
}

interface Group {
  key: string;
  bucket: Date | null;
  dims: string[];
  parts: Record<Part, number>;
  percentiles: Partial<Record<Percentile, number>>;
  workspaceName?: string;
}

function groupKey(bucket: unknown, dims: unknown[]): string {
  let key = bucket instanceof Date ? String(bucket.getTime()) : '';
  for (const d of dims) key += `\u0000${String(d)}`;
  return key;
}

/**
 * Runs a metrics query in a scope. Sums come from PostgreSQL (numeric for money); derived
 * metrics and percentiles are computed from those sums here.
 */
export async function runMetrics(db: Db, scope: Scope, query: MetricsQuery, policy: SourcePolicy = defaultPolicy): Promise<MetricsOutcome> {
  const bounded = boundedRanking(scope, query);
  const ranked = bounded ? await rankUsersByBound(db, bounded.workspaceId, query, bounded.metric, policy) : null;
  if (ranked) return ranked;
  const [outcome] = await runMetricsSets(db, scope, query, null, policy);
  return outcome;
}

/**
 * The costliest (or busiest) users of one workspace, first `limit`: a ranking their totals over
 * all time (user_totals) can cut short. Other rankings, and any whose filter names users, rank
 * every group.
 */
function boundedRanking(scope: Scope, query: MetricsQuery): { workspaceId: string; metric: BoundedMetric } | null {
  const metric = query.orderBy ?? query.metrics[0];
  const boundable = (m: Metric): m is BoundedMetric => Object.hasOwn(BOUND_COLUMNS, m);
  if (scope.kind !== 'workspace' || query.workspaceIds?.length || !query.limit || query.bucket || (query.descending ?? true) === false) return null;
  if (query.groupBy.length !== 1 || query.groupBy[0] !== 'USER' || query.filter?.userIds?.length || !boundable(metric) || !query.metrics.includes(metric)) return null;
  return { workspaceId: scope.workspaceId, metric };
}

/** Pages of users a ranking by bound reads (each four times the last, from twice the limit) before it ranks every user instead. */
const BOUND_ROUNDS = 3;

/**
 * Ranks users page by page in order of their totals over all time, each page's users measured
 * exactly over the query's range and filter (the group of calls without a user with the first),
 * until the last of the first `limit` found exceeds the last read user's total over all time,
 * which no unread user's figure in the range can reach; or until every user is read. Null when
 * BOUND_ROUNDS pages did not settle it (a short range of a long history).
 */
export async function rankUsersByBound(db: Db, workspaceId: string, query: MetricsQuery, metric: BoundedMetric, policy: SourcePolicy): Promise<MetricsOutcome | null> {
  const limit = query.limit!;
  const found: MetricsRowValue[] = [];
  let after: { bound: string; userId: string } | null = null;
  for (let round = 0, pageSize = 2 * limit; round < BOUND_ROUNDS; round++, pageSize *= 4) {
    const page: { user_id: string; bound: string }[] = await db.query(usersByBoundSql(metric), [workspaceId, after?.bound ?? null, after?.userId ?? null, pageSize]);
    const userIds = [...(round === 0 ? [''] : []), ...page.map((u) => u.user_id)];
    const [measured] = await runMetricsSets(db, { kind: 'workspace', workspaceId }, { ...query, filter: { ...query.filter, userIds }, limit: null }, null, policy);
    found.push(...measured.rows);
    const ranked = order(found, query);
    // Every unread user's total over all time is at most the last read one's.
    const last = page.length < pageSize ? null : page[page.length - 1];
    if (!last || (ranked.length >= limit && ranked[limit - 1].values[metric] > Number(last.bound))) {
      return { ...measured, rows: ranked.slice(0, limit) };
    }
    after = { bound: last.bound, userId: last.user_id };
  }
  return null;
}

/**
 * Runs a query once per grouping set in one pass over the sources (GROUPING SETS): each set
 * groups by some of the query's dimensions (and its bucket or not), and gets the outcome
 * runMetrics would give for that grouping, in the order of `sets`. Without sets, the query's own.
 */
export async function runMetricsSets(
  db: Db,
  scope: Scope,
  query: MetricsQuery,
  sets: GroupingSet[] | null,
  policy: SourcePolicy = defaultPolicy,
): Promise<MetricsOutcome[]> {
  // A call counts once under each of its tags: sets that do not split by tag must not read the rows
  // unnested by tag, so they are run in a pass of their own.
  if (sets && sets.some((set) => set.groupBy.includes('TAG')) && sets.some((set) => !set.groupBy.includes('TAG'))) {
    const byTag = sets.map((set) => set.groupBy.includes('TAG'));
    const [tagged, untagged] = await Promise.all([
      runMetricsSets(db, scope, query, sets.filter((_, i) => byTag[i]), policy),
      runMetricsSets(db, scope, query, sets.filter((_, i) => !byTag[i]), policy),
    ]);
    return byTag.map((tag) => (tag ? tagged.shift()! : untagged.shift()!));
  }
  // Keys no set groups by are left out: a selected key must be grouped by somewhere.
  if (sets) {
    query = { ...query, groupBy: query.groupBy.filter((d) => sets.some((set) => set.groupBy.includes(d))), bucket: sets.some((set) => set.bucket) ? query.bucket : null };
  }
  const definitions = query.metrics.map((m) => METRIC_CATALOGUE[m]);
  const parts = [...new Set(definitions.flatMap((d) => d.parts))];
  const percentiles = [...new Set(definitions.flatMap((d) => (d.percentile ? [d.percentile] : [])))];
  const choice = await chooseSourcesByCost(db, scope, query, parts, percentiles.length > 0, policy);
  const queries = sets ? sets.map((set) => ({ ...query, groupBy: set.groupBy, bucket: set.bucket ? query.bucket : null })) : [query];

  // Rollups answer percentiles from their histograms, raw rows exactly: in the same statement as the sums,
  // and the names of the workspaces grouped by beside them.
  const workspaceDimension = query.labels !== false ? query.groupBy.indexOf('WORKSPACE') : -1;
  const grouped = await aggregate(db, scope, query, choice, parts, percentiles, workspaceDimension, sets);
  return Promise.all(
    grouped.map(async (groups, i) => {
      const setQuery = queries[i];
      const dimension = setQuery.groupBy.indexOf('WORKSPACE');
      const workspaceNames =
        dimension >= 0 && workspaceDimension >= 0
          ? new Map([...groups.values()].flatMap((g) => (g.workspaceName ? [[g.dims[dimension], g.workspaceName] as const] : [])))
          : null;
      let rows = [...groups.values()].map((g) => toRow(g, setQuery));
      rows = order(rows, setQuery);
      if (setQuery.limit) rows = rows.slice(0, setQuery.limit);
      if (setQuery.labels !== false) await attachLabels(db, scope, rows, workspaceNames);
      return { rows, source: choice.usesRollup ? ('ROLLUP' as const) : ('RAW' as const), overlapping: setQuery.groupBy.includes('TAG') };
    }),
  );
}

interface AggregateStatement {
  sql: string;
  params: Params;
  histogram: boolean;
  exact: boolean;
  bucketExpr?: string;
}

/**
 * The statement that sums a query's parts per group: keys `bucket`, `d0`, `d1`, … and a column
 * per part (`requests`, `total_cost`, …), percentiles as `histogram` (rollups) or `p0`, `p1`, …
 * (raw rows, exact). `params` may already hold values of an enclosing statement.
 */
function aggregateStatement(
  query: MetricsQuery,
  choice: SourceChoice,
  parts: Part[],
  percentiles: Percentile[],
  scope: Scope,
  params: Params,
  sets?: GroupingSet[],
): AggregateStatement {
  const { keys, bucketExpr } = groupExpressions(query, params);
  const dimColumns = query.groupBy.map((d) => DIMENSION_COLUMN[d]);
  const histogram = choice.usesRollup && percentiles.length > 0;
  const exact = !choice.usesRollup && percentiles.length > 0;
  const keyNames = [...(bucketExpr ? ['bucket'] : []), ...keys.map((_, i) => `d${i}`)];
  const selectKeys = [...(bucketExpr ? [bucketExpr] : []), ...keys].map((k, i) => `${k} AS ${keyNames[i]}`);
  // A group whose rows in a rollup hour all lie outside the range remains with its sums cancelled
  // to zero, a group raw rows would not have: it is left out. Every row counts at least one
  // request (ingest refuses fewer), so a group with rows in the range keeps requests above zero.
  const dropCancelled = choice.plan.rawOutside.length > 0 && selectKeys.length > 0;
  const columns = [
    ...new Set([
      ...(bucketExpr ? ['t'] : []),
      ...dimColumns,
      ...parts.flatMap((p) => PART_COLUMNS[p]),
      ...(dropCancelled ? ['requests'] : []),
      ...(exact ? ['latency_ms'] : []),
    ]),
  ];
  const source = unifiedSource(choice, columns, histogram, scope, query.filter, params, query.workspaceIds);
  const positions = (set?: GroupingSet) =>
    [...(bucketExpr && (!set || set.bucket) ? [1] : []), ...query.groupBy.flatMap((d, i) => (!set || set.groupBy.includes(d) ? [i + 1 + (bucketExpr ? 1 : 0)] : []))].join(', ');
  const having = dropCancelled ? ' HAVING sum(outside_rows) = 0 OR sum(requests) <> 0' : '';
  const setsGrouping = sets ? `GROUP BY GROUPING SETS (${sets.map((set) => `(${positions(set)})`).join(', ')})${having}` : '';
  const groupBy = sets
    ? setsGrouping
    : selectKeys.length
      ? `GROUP BY ${positions()}${having}`
      : '';
  // GROUPING() takes the key expressions themselves: each bit says a key is not grouped in the row's set.
  const keyExpressions = [...(bucketExpr ? [bucketExpr] : []), ...keys];
  // With no keys at all (only the grand total), every row is of the one set: GROUPING() needs an argument.
  const setColumn = sets ? [keyExpressions.length ? `GROUPING(${keyExpressions.join(', ')}) AS grouping_set` : '0 AS grouping_set'] : [];
  // Exact percentiles of groups: each group's latencies gathered while the rows are hashed into
  // groups, then sorted group by group. percentile_cont over the rows makes PostgreSQL sort every
  // row of the range by its group first (300,000 calls by model: 1.5x slower); with thousands of
  // groups the planner sorts either way, and the two cost the same (10,000 workspaces: within 1%).
  // Without keys there is one group, and percentile_cont sorts it alone.
  const gathered = exact && (selectKeys.length > 0 || !!sets);
  // The histogram travels as one text value per group: a hundred and sixty-one numeric fields
  // per row cost more to send and parse than the whole aggregation.
  const sums = [
    ...parts.map((p) => `${PART_SQL[p]} AS ${p}`),
    ...(histogram ? [`ARRAY[${HISTOGRAM_COLUMNS.map((h) => `sum(${h})`).join(', ')}]::bigint[]::text AS histogram`] : []),
    ...(gathered ? [`array_agg(latency_ms) FILTER (WHERE latency_ms IS NOT NULL) AS latencies`] : []),
    ...(exact && !gathered ? percentiles.map((p, i) => `percentile_cont(${p}) WITHIN GROUP (ORDER BY latency_ms) AS p${i}`) : []),
  ];
  const sql = nestsSets(sets, histogram, selectKeys)
    ? setsOfFinestGroups(source, selectKeys, keyNames, positions(), parts, dropCancelled, setsGrouping)
    : `SELECT ${[...selectKeys, ...setColumn, ...sums].join(', ')} FROM (${source}) src ${groupBy}`;
  if (!gathered) return { sql, params, histogram, exact, bucketExpr };
  const names = [...keyNames, ...(sets ? ['grouping_set'] : []), ...parts];
  const fractions = `'{${percentiles.join(',')}}'::float8[]`;
  const exactSql = `SELECT ${[...names, ...percentiles.map((_, i) => `pct[${i + 1}] AS p${i}`)].join(', ')}
    FROM (SELECT g.*, (SELECT percentile_cont(${fractions}) WITHIN GROUP (ORDER BY x) FROM unnest(g.latencies) x) AS pct FROM (${sql}) g) grouped`;
  return { sql: exactSql, params, histogram, exact, bucketExpr };
}

/**
 * Whether a statement sums its rows per finest group first, and each grouping set from those
 * groups: GROUPING SETS run every aggregate once per set for each row, and with the histogram's
 * hundred and sixty-one columns that is most of the work (an agent's totals and its per-model
 * figures over 30 days of rollups: 8,500 rows summed twice, against 77 groups summed again).
 */
function nestsSets(sets: GroupingSet[] | undefined, histogram: boolean, selectKeys: string[]): boolean {
  return !!sets && sets.length > 1 && histogram && selectKeys.length > 0;
}

/**
 * The rows of `source` summed per finest group (every key, at `allPositions`), then each set
 * (`setsGrouping`, with its HAVING of cancelled groups) summed from those groups: the same columns
 * as the one-pass statement, each part and histogram bucket a sum of sums (numeric stays exact).
 */
function setsOfFinestGroups(
  source: string,
  selectKeys: string[],
  keyNames: string[],
  allPositions: string,
  parts: Part[],
  dropCancelled: boolean,
  setsGrouping: string,
): string {
  const inner = [
    ...selectKeys,
    ...parts.map((p) => `${PART_SQL[p]} AS ${p}`),
    ...(dropCancelled && !parts.includes('requests') ? ['sum(requests) AS requests'] : []),
    ...(dropCancelled ? ['sum(outside_rows) AS outside_rows'] : []),
    ...HISTOGRAM_COLUMNS.map((h) => `sum(${h}) AS ${h}`),
  ];
  const outer = [
    ...keyNames,
    `GROUPING(${keyNames.join(', ')}) AS grouping_set`,
    ...parts.map((p) => `sum(${p}) AS ${p}`),
    `ARRAY[${HISTOGRAM_COLUMNS.map((h) => `sum(${h})`).join(', ')}]::bigint[]::text AS histogram`,
  ];
  return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM (${source}) src GROUP BY ${allPositions}) finest ${setsGrouping}`;
}

/**
 * The sums of a query's metric parts per group, as one statement another may enclose (in a
 * WITH): the engine's choice of sources, keys `bucket`, `d0`, `d1`, … and a column per part.
 * Percentile metrics are not offered here.
 */
export async function metricsPartsStatement(
  db: Db,
  scope: Scope,
  query: MetricsQuery,
  params: Params,
  policy: SourcePolicy = defaultPolicy,
): Promise<{ sql: string; parts: Part[]; source: MetricsOutcome['source'] }> {
  const { sql, parts, source } = await partsStatement(db, scope, query, params, policy);
  return { sql, parts, source };
}

/**
 * A set of a query's groupings: its dimensions (a subset of the query's groupBy) and whether it
 * groups by the query's bucket too.
 */
export interface GroupingSet {
  groupBy: Dimension[];
  bucket?: boolean;
}

/**
 * Like {@link metricsPartsStatement}, but summed per each of `sets` in one pass over the sources
 * (GROUPING SETS): a view that needs several groupings of the same range reads its rows once.
 * Keys outside a row's set are NULL; `setCondition(i)` is the SQL that keeps the rows of `sets[i]`
 * (from a column `grouping_set`).
 */
export async function metricsGroupingSetsStatement(
  db: Db,
  scope: Scope,
  query: MetricsQuery,
  sets: GroupingSet[],
  params: Params,
  policy: SourcePolicy = defaultPolicy,
): Promise<{ sql: string; parts: Part[]; source: MetricsOutcome['source']; setCondition: (index: number) => string }> {
  const { sql, parts, source } = await partsStatement(db, scope, query, params, policy, sets);
  return { sql, parts, source, setCondition: (index) => `grouping_set = ${groupingMask(query, sets[index])}` };
}

async function partsStatement(db: Db, scope: Scope, query: MetricsQuery, params: Params, policy: SourcePolicy, sets?: GroupingSet[]) {
  if (sets && query.groupBy.includes('TAG') && sets.some((set) => !set.groupBy.includes('TAG'))) {
    throw new Error('grouping sets over TAG must all split by tag: a call counts under each of its tags');
  }
  const parts = [...new Set(query.metrics.flatMap((m) => METRIC_CATALOGUE[m].parts))];
  if (query.metrics.some((m) => METRIC_CATALOGUE[m].percentile)) throw new Error('metricsPartsStatement sums parts; percentiles need runMetrics');
  const choice = await chooseSourcesByCost(db, scope, query, parts, false, policy);
  const { sql } = aggregateStatement(query, choice, parts, [], scope, params, sets);
  return { sql, parts, source: choice.usesRollup ? ('ROLLUP' as const) : ('RAW' as const) };
}

/** The groups of each set (or of the query's one grouping), by key. */
async function aggregate(
  db: Db,
  scope: Scope,
  query: MetricsQuery,
  choice: SourceChoice,
  parts: Part[],
  percentiles: Percentile[],
  workspaceDimension: number,
  sets: GroupingSet[] | null,
): Promise<Map<string, Group>[]> {
  const statement = aggregateStatement(query, choice, parts, percentiles, scope, new Params(), sets ?? undefined);
  const { params, histogram, exact, bucketExpr } = statement;
  const sql = sets ? statement.sql : keepTopGroups(statement.sql, query);
  const named = workspaceDimension >= 0 ? `SELECT sums.*, w.name AS workspace_name FROM (${sql}) sums LEFT JOIN workspaces w ON w.id = sums.d${workspaceDimension}` : sql;
  const result: Record<string, unknown>[] = await db.query(named, params.values);
  const shapes = (sets ?? [{ groupBy: query.groupBy, bucket: true }]).map((set) => ({
    mask: groupingMask(query, set),
    dims: set.groupBy.map((d) => query.groupBy.indexOf(d)),
    bucket: !!bucketExpr && !!set.bucket,
    groups: new Map<string, Group>(),
  }));
  // A set given twice (or two sets that group alike) comes back twice: each takes the rows of its grouping.
  const shapesOf = (row: Record<string, unknown>) => (sets ? shapes.filter((s) => s.mask === Number(row.grouping_set)) : shapes);
  // Ten thousand workspaces come back as ten thousand rows: this pass is plain loops over names made once.
  const dimColumns = shapes.map((shape) => shape.dims.map((i) => `d${i}`));
  const exactColumns = percentiles.map((_, i) => `p${i}`);
  for (const row of result) {
    const rowShapes = shapesOf(row);
    for (let s = 0; s < rowShapes.length; s++) {
      const shape = rowShapes[s];
      const columns = dimColumns[shapes.indexOf(shape)];
      const dims: string[] = new Array(columns.length);
      for (let d = 0; d < columns.length; d++) dims[d] = String(row[columns[d]]);
      const bucket = shape.bucket ? (row.bucket as Date) : null;
      const key = groupKey(bucket, dims);
      const values = {} as Record<Part, number>;
      for (const p of parts) values[p] = toNumber(row[p]);
      const found: Partial<Record<Percentile, number>> = {};
      if (histogram) {
        const counts = histogramFromText(String(row.histogram));
        for (const p of percentiles) found[p] = percentileFromHistogram(counts, p);
      }
      if (exact) for (let i = 0; i < percentiles.length; i++) found[percentiles[i]] = toNumber(row[exactColumns[i]]);
      shape.groups.set(key, { key, bucket, dims, parts: values, percentiles: found, workspaceName: (row.workspace_name as string | null) ?? undefined });
    }
  }
  // Without keys a query answers one row, zeros when nothing matched, as an aggregate without GROUP BY does.
  for (const shape of shapes) {
    if (shape.dims.length === 0 && !shape.bucket && shape.groups.size === 0) {
      const zeros = Object.fromEntries(parts.map((p) => [p, 0])) as Record<Part, number>;
      shape.groups.set(groupKey(null, []), { key: groupKey(null, []), bucket: null, dims: [], parts: zeros, percentiles: {} });
    }
  }
  return shapes.map((s) => s.groups);
}

/**
 * With a limit and an order by a plain sum (cost, requests, tokens), only the groups that can
 * make the first `limit` leave PostgreSQL: a hundred thousand users need not travel to be cut to
 * twenty. rank() keeps every group tied with the last one, so `order` below still decides ties.
 */
function keepTopGroups(sql: string, query: MetricsQuery): string {
  const byMetric = query.orderBy ?? (query.bucket ? null : query.metrics[0]);
  const definition = byMetric ? METRIC_CATALOGUE[byMetric] : null;
  if (!query.limit || !definition || !definition.additive || definition.percentile) return sql;
  const descending = query.descending ?? !query.bucket;
  const value = definition.parts.map((p) => `coalesce(${p}, 0)`).join(' + ');
  return `SELECT * FROM (SELECT sums.*, rank() OVER (ORDER BY ${value} ${descending ? 'DESC' : 'ASC'}) AS tally_rank FROM (${sql}) sums) ranked
    WHERE tally_rank <= ${Math.floor(query.limit)}`;
}

/** GROUPING() of the query's keys (bucket first) for a set: a bit for each key the set leaves out, the first key highest. */
function groupingMask(query: MetricsQuery, set: GroupingSet): number {
  const keys = [...(query.bucket ? ['BUCKET' as const] : []), ...query.groupBy];
  return keys.reduce((bits, key) => (bits << 1) | ((key === 'BUCKET' ? set.bucket : set.groupBy.includes(key)) ? 0 : 1), 0);
}

function toRow(group: Group, query: MetricsQuery): MetricsRowValue {
  const values = {} as Record<Metric, number>;
  for (const metric of query.metrics) {
    const definition = METRIC_CATALOGUE[metric];
    values[metric] = definition.compute(group.parts, definition.percentile ? (group.percentiles[definition.percentile] ?? 0) : 0);
  }
  return {
    bucket: group.bucket,
    dimensions: query.groupBy.map((dimension, i) => ({ dimension, value: group.dims[i], label: group.dims[i] })),
    values,
  };
}

const collator = new Intl.Collator();

function order(rows: MetricsRowValue[], query: MetricsQuery): MetricsRowValue[] {
  const byMetric = query.orderBy ?? (query.bucket ? null : query.metrics[0]);
  const descending = query.descending ?? !query.bucket;
  const sign = descending ? -1 : 1;
  // Each row's figure and time are read once, not at each of a sort's comparisons (ten thousand
  // workspaces: some 130,000); only ties reach the dimensions, whose keys are made when first compared.
  const sorted = rows.map((row) => ({ row, value: byMetric ? (row.values[byMetric] ?? 0) : 0, time: row.bucket?.getTime() ?? 0, dimensions: null as string | null }));
  const dimensionKey = (entry: (typeof sorted)[number]): string => (entry.dimensions ??= JSON.stringify(entry.row.dimensions.map((d) => d.value)));
  sorted.sort((a, b) => {
    if (byMetric) {
      const diff = a.value - b.value;
      if (diff !== 0) return sign * diff;
    }
    const time = a.time - b.time;
    if (time !== 0) return byMetric ? time : sign * time;
    return collator.compare(dimensionKey(a), dimensionKey(b));
  });
  for (let i = 0; i < sorted.length; i++) rows[i] = sorted[i].row;
  return rows;
}

/** Names for ids: agents and workspaces (read beside the sums) by name, fixed words for flags, '' as "none". */
async function attachLabels(db: Db, scope: Scope, rows: MetricsRowValue[], workspaceNames: Map<string, string> | null): Promise<void> {
  const wanted = (dimension: Dimension): string[] => {
    const values = new Set<string>();
    for (const row of rows) for (const d of row.dimensions) if (d.dimension === dimension && d.value !== '') values.add(d.value);
    return [...values];
  };
  const agentIds = wanted('AGENT');
  const names = new Map<string, string>();
  if (agentIds.length) {
    const params = new Params();
    const where = [`id = ANY(${params.add(agentIds)}::text[])`, ...scopeCondition(scope, params)].join(' AND ');
    const found: { id: string; name: string }[] = await db.query(`SELECT id, min(name) AS name FROM agents WHERE ${where} GROUP BY id`, params.values);
    for (const a of found) names.set(`AGENT:${a.id}`, a.name);
  }
  for (const row of rows) {
    for (const d of row.dimensions) {
      if (d.value === '') d.label = DIMENSION_CATALOGUE[d.dimension].noneLabel ?? '(none)';
      else if (d.dimension === 'WORKSPACE') d.label = workspaceNames?.get(d.value) ?? d.value;
      else d.label = names.get(`${d.dimension}:${d.value}`) ?? DIMENSION_CATALOGUE[d.dimension].fixedLabels?.[d.value] ?? d.value;
    }
  }
}
