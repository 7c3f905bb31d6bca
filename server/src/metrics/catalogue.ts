import type { LlmCallRecord } from '../ingest/llm-call.record';
import { CALL_BOUNDS } from '../ingest/call-bounds';
import type { Metric } from './metrics.model';

/** A sum the engine asks PostgreSQL for, named by the column it yields. */
export type Part =
  | 'requests'
  | 'input_tokens'
  | 'output_tokens'
  | 'cache_read_tokens'
  | 'cache_write_tokens'
  | 'reasoning_tokens'
  | 'input_cost'
  | 'output_cost'
  | 'total_cost'
  | 'error_requests'
  | 'unpriced'
  | 'latency_count'
  | 'latency_sum';

/**
 * Each part's SQL over the unified source (raw rows and rollups alike expose these
 * columns). Token counts stay integers; money stays numeric until it leaves the database.
 */
export const PART_SQL: Record<Part, string> = {
  requests: 'sum(requests)::numeric',
  input_tokens: 'sum(input_tokens)::numeric',
  output_tokens: 'sum(output_tokens)::numeric',
  cache_read_tokens: 'sum(cache_read_tokens)::numeric',
  cache_write_tokens: 'sum(cache_write_tokens)::numeric',
  reasoning_tokens: 'sum(reasoning_tokens)::numeric',
  input_cost: 'sum(input_cost)',
  output_cost: 'sum(output_cost)',
  total_cost: 'sum(total_cost)',
  error_requests: "coalesce(sum(requests) FILTER (WHERE status = 'ERROR'), 0)::numeric",
  unpriced: 'sum(unpriced)::numeric',
  latency_count: 'sum(latency_count)::numeric',
  latency_sum: 'sum(latency_sum)::numeric',
};

export type Percentile = 0.5 | 0.95 | 0.99;

export interface MetricDefinition {
  unit: 'count' | 'tokens' | 'usd' | 'ms' | 'ratio';
  parts: Part[];
  percentile?: Percentile;
  /** The value from the summed parts (and the group's percentiles, when it has one). */
  compute(parts: Record<Part, number>, percentile: number): number;
  /**
   * The value is a plain sum of parts, so a call landing changes it by exactly what the call's
   * own parts add (see partsOfCall): alert rules bound it without reading the window again.
   */
  additive: boolean;
  /** No value exceeds this (every value is at least 0): a rule ABOVE it, or BELOW 0, never breaks. */
  max: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const sum = (unit: MetricDefinition['unit'], ...parts: Part[]): MetricDefinition => ({
  unit,
  parts,
  compute: (p) => parts.reduce((total, part) => total + p[part], 0),
  additive: true,
  max: Infinity,
});
/** Exact percentiles and averages lie within the calls' latencies, histogram estimates below the last bucket's start. */
const LATENCY_MAX = CALL_BOUNDS.maxLatencyMs;
const percentileMetric = (percentile: Percentile): MetricDefinition => ({
  unit: 'ms',
  parts: ['latency_count'],
  percentile,
  compute: (_p, value) => value,
  additive: false,
  max: LATENCY_MAX,
});

/** The catalogue: every metric the API offers, declared once. */
export const METRIC_CATALOGUE: Record<Metric, MetricDefinition> = {
  REQUESTS: sum('count', 'requests'),
  INPUT_TOKENS: sum('tokens', 'input_tokens'),
  OUTPUT_TOKENS: sum('tokens', 'output_tokens'),
  TOTAL_TOKENS: sum('tokens', 'input_tokens', 'output_tokens'),
  CACHE_READ_TOKENS: sum('tokens', 'cache_read_tokens'),
  CACHE_WRITE_TOKENS: sum('tokens', 'cache_write_tokens'),
  REASONING_TOKENS: sum('tokens', 'reasoning_tokens'),
  INPUT_COST: sum('usd', 'input_cost'),
  OUTPUT_COST: sum('usd', 'output_cost'),
  TOTAL_COST: sum('usd', 'total_cost'),
  AVG_LATENCY_MS: {
    unit: 'ms',
    parts: ['latency_sum', 'latency_count'],
    compute: (p) => ratio(p.latency_sum, p.latency_count),
    additive: false,
    max: LATENCY_MAX,
  },
  P50_LATENCY_MS: percentileMetric(0.5),
  P95_LATENCY_MS: percentileMetric(0.95),
  P99_LATENCY_MS: percentileMetric(0.99),
  ERROR_COUNT: sum('count', 'error_requests'),
  ERROR_RATE: { unit: 'ratio', parts: ['error_requests', 'requests'], compute: (p) => ratio(p.error_requests, p.requests), additive: false, max: 1 },
  UNPRICED_REQUESTS: sum('count', 'unpriced'),
};

/**
 * What one stored call adds to each part the additive metrics read: the same sums the engine
 * takes over raw rows (RAW_COLUMN in metrics.service). A record does not keep whether a latency
 * was given, so the latency parts (no additive metric reads them) are NaN, never a wrong figure.
 */
export function partsOfCall(call: LlmCallRecord): Record<Part, number> {
  const requests = call.requestCount;
  return {
    requests,
    input_tokens: call.inputTokens,
    output_tokens: call.outputTokens,
    cache_read_tokens: call.cacheReadTokens,
    cache_write_tokens: call.cacheWriteTokens,
    reasoning_tokens: call.reasoningTokens,
    input_cost: call.inputCost,
    output_cost: call.outputCost,
    total_cost: call.totalCost,
    error_requests: call.status === 'ERROR' ? requests : 0,
    unpriced: call.priced ? 0 : requests,
    latency_count: NaN,
    latency_sum: NaN,
  };
}
