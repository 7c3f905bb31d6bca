/**
 * The rollups' summed and histogram columns as migrations from 1764900000000 on create and fill
 * them: a frozen copy, since a migration must not change with the live code (ingest/rollup.ts).
 */
export const SUMMED_COLUMNS = [
  'request_count',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'input_cost',
  'output_cost',
  'total_cost',
  'unpriced_count',
  'latency_count',
  'latency_sum',
];
/** The summed columns kept as numeric; every other is bigint. */
export const MONEY_COLUMNS = new Set(['input_cost', 'output_cost', 'total_cost']);
export const HISTOGRAM_COLUMNS = Array.from({ length: 161 }, (_, i) => `h${i}`);
