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
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const sumOf =
  (...parts: Part[]) =>
  (p: Record<Part, number>): number =>
    parts.reduce((total, part) => total + p[part], 0);
const percentileMetric = (percentile: Percentile): MetricDefinition => ({
  unit: 'ms',
  parts: ['latency_count'],
  percentile,
  compute: (_p, value) => value,
});

/** The catalogue: every metric the API offers, declared once. */
export const METRIC_CATALOGUE: Record<Metric, MetricDefinition> = {
  REQUESTS: { unit: 'count', parts: ['requests'], compute: sumOf('requests') },
  INPUT_TOKENS: { unit: 'tokens', parts: ['input_tokens'], compute: sumOf('input_tokens') },
  OUTPUT_TOKENS: { unit: 'tokens', parts: ['output_tokens'], compute: sumOf('output_tokens') },
  TOTAL_TOKENS: { unit: 'tokens', parts: ['input_tokens', 'output_tokens'], compute: sumOf('input_tokens', 'output_tokens') },
  CACHE_READ_TOKENS: { unit: 'tokens', parts: ['cache_read_tokens'], compute: sumOf('cache_read_tokens') },
  CACHE_WRITE_TOKENS: { unit: 'tokens', parts: ['cache_write_tokens'], compute: sumOf('cache_write_tokens') },
  REASONING_TOKENS: { unit: 'tokens', parts: ['reasoning_tokens'], compute: sumOf('reasoning_tokens') },
  INPUT_COST: { unit: 'usd', parts: ['input_cost'], compute: sumOf('input_cost') },
  OUTPUT_COST: { unit: 'usd', parts: ['output_cost'], compute: sumOf('output_cost') },
  TOTAL_COST: { unit: 'usd', parts: ['total_cost'], compute: sumOf('total_cost') },
  AVG_LATENCY_MS: { unit: 'ms', parts: ['latency_sum', 'latency_count'], compute: (p) => ratio(p.latency_sum, p.latency_count) },
  P50_LATENCY_MS: percentileMetric(0.5),
  P95_LATENCY_MS: percentileMetric(0.95),
  P99_LATENCY_MS: percentileMetric(0.99),
  ERROR_COUNT: { unit: 'count', parts: ['error_requests'], compute: sumOf('error_requests') },
  ERROR_RATE: { unit: 'ratio', parts: ['error_requests', 'requests'], compute: (p) => ratio(p.error_requests, p.requests) },
  UNPRICED_REQUESTS: { unit: 'count', parts: ['unpriced'], compute: sumOf('unpriced') },
};
