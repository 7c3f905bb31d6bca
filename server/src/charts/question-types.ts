import type { CallStatus, Dimension, Metric, Period, TimeBucket } from '../metrics/metrics.model';

/** The chart shapes the API offers. */
export const CHART_TYPES = ['BAR', 'LINE', 'AREA', 'PIE'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** The names a workspace uses, so a question may filter by them. Only the caller's scope. */
export interface KnownEntities {
  models: string[];
  providers: string[];
  agents: { id: string; name: string }[];
  requestTypes: string[];
  tiers: string[];
}

/** What the parser needs besides the question. */
export interface ParseContext {
  now: Date;
  /** The workspace's IANA zone: days, weeks and "today" are its, unless the question names another. */
  timezone: string;
  known: KnownEntities;
}

/** A UsageFilter as JSON. */
export interface UsageFilterJson {
  modelIds?: string[];
  providers?: string[];
  agentIds?: string[];
  tiers?: string[];
  requestTypes?: string[];
  userIds?: string[];
  tags?: string[];
  metadata?: { key: string; value: string }[];
  workflows?: string[];
  isByok?: boolean;
  status?: CallStatus;
}

/** A MetricsQueryInput as JSON: what `usageMetrics(query:)` accepts unchanged. */
export interface MetricsQueryJson {
  period?: Period;
  from?: string;
  to?: string;
  timezone: string;
  metrics: Metric[];
  groupBy?: Dimension[];
  bucket?: TimeBucket;
  filter?: UsageFilterJson;
  orderBy?: Metric;
  descending?: boolean;
  limit?: number;
}

/** How a question was understood: the metrics query, and what the chart should make of it. */
export interface ChartInterpretation {
  query: MetricsQueryJson;
  /** The range inside a sentence ("over the last 7 days") and in a title ("last 7 days"). */
  rangePhrase: string;
  rangeTitle: string;
  /** The question asked for parts of a whole ("share", "split", "breakdown"). */
  asksForShare: boolean;
  /** A chart type the question named ("as a pie chart"). */
  namedChartType: ChartType | null;
  /** Largest first ('most') or smallest first ('least'), when the question ranks. */
  ranking: 'most' | 'least' | null;
  /**
   * "top N" over a time axis ranks whole groups, not rows: the chart resolves it against the
   * data (the query then filters to those groups) instead of limiting rows.
   */
  topGroups: number | null;
  /** The question's own words that were understood, in order: "cost", "by model", "last 7 days". */
  understood: string[];
}

/** The outcome of reading a question. */
export type ParseOutcome = { ok: true; interpretation: ChartInterpretation } | { ok: false; message: string; understood: string[]; unplaced: string[] };

/** Offered with every question the parser cannot read. */
export const EXAMPLE_QUESTIONS = ['cost by model last 7 days', 'p95 latency per model yesterday', 'which agent spent the most this month?'] as const;

/** Longest question accepted, in characters. */
export const MAX_QUESTION_LENGTH = 500;
