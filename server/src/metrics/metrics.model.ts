/** The metrics engine's own vocabulary, free of GraphQL. */

export const METRICS = [
  'REQUESTS',
  'INPUT_TOKENS',
  'OUTPUT_TOKENS',
  'TOTAL_TOKENS',
  'CACHE_READ_TOKENS',
  'CACHE_WRITE_TOKENS',
  'REASONING_TOKENS',
  'INPUT_COST',
  'OUTPUT_COST',
  'TOTAL_COST',
  'AVG_LATENCY_MS',
  'P50_LATENCY_MS',
  'P95_LATENCY_MS',
  'P99_LATENCY_MS',
  'ERROR_COUNT',
  'ERROR_RATE',
  'UNPRICED_REQUESTS',
] as const;
export type Metric = (typeof METRICS)[number];

export const DIMENSIONS = ['MODEL', 'PROVIDER', 'AGENT', 'TIER', 'IS_BYOK', 'REQUEST_TYPE', 'STATUS', 'WORKSPACE', 'WORKFLOW', 'USER', 'TAG'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const TIME_BUCKETS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

export const PERIODS = ['LAST_1H', 'LAST_24H', 'LAST_7D', 'LAST_30D', 'LAST_90D'] as const;
export type Period = (typeof PERIODS)[number];

export type CallStatus = 'SUCCESS' | 'ERROR';

export interface UsageFilterValues {
  modelIds?: string[] | null;
  providers?: string[] | null;
  agentIds?: string[] | null;
  tiers?: string[] | null;
  requestTypes?: string[] | null;
  workflows?: string[] | null;
  /** End users, any of them ('' matches calls that name none). */
  userIds?: string[] | null;
  /** Tags a call must carry, every one of them. */
  tags?: string[] | null;
  /** Metadata pairs a call must carry, every one of them, values compared as text. */
  metadata?: MetadataPair[] | null;
  isByok?: boolean | null;
  status?: CallStatus | null;
}

export interface MetadataPair {
  key: string;
  value: string;
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** Whose data a query may read: one workspace, or every workspace (admins only). */
export type Scope = { kind: 'workspace'; workspaceId: string } | { kind: 'all' };

export interface MetricsQuery {
  range: TimeRange;
  /** IANA zone for DAY/WEEK/MONTH buckets. */
  timezone: string;
  metrics: Metric[];
  groupBy: Dimension[];
  bucket?: TimeBucket | null;
  filter?: UsageFilterValues | null;
  orderBy?: Metric | null;
  descending?: boolean | null;
  limit?: number | null;
  /**
   * In scope `all`, only these workspaces' rows: one statement measures many workspaces' alert
   * rules without reading the workspaces that have none. Not offered through GraphQL.
   */
  workspaceIds?: string[] | null;
  /** False leaves dimension labels as their values (no lookup of agent and workspace names): for callers that read ids only. */
  labels?: boolean;
}

export interface MetricsRowValue {
  bucket: Date | null;
  dimensions: { dimension: Dimension; value: string; label: string }[];
  values: Record<Metric, number>;
}

export type MetricsSource = 'RAW' | 'ROLLUP';

export interface MetricsOutcome {
  rows: MetricsRowValue[];
  source: MetricsSource;
  /** True when one call may count in several rows (grouping by TAG): the rows must not be added up. */
  overlapping?: boolean;
}

const HOUR_MS = 3_600_000;
const PERIOD_MS: Record<Period, number> = {
  LAST_1H: HOUR_MS,
  LAST_24H: 24 * HOUR_MS,
  LAST_7D: 7 * 24 * HOUR_MS,
  LAST_30D: 30 * 24 * HOUR_MS,
  LAST_90D: 90 * 24 * HOUR_MS,
};

/** The half-open range [now - length, now) a period names. */
export function periodRange(period: Period, now: Date): TimeRange {
  return { from: new Date(now.getTime() - PERIOD_MS[period]), to: now };
}

/** The range of equal length just before this one, for trends. */
export function previousRange(range: TimeRange): TimeRange {
  const length = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - length), to: range.from };
}

export function periodLengthMs(period: Period): number {
  return PERIOD_MS[period];
}
