/**
 * The rollups and the latency histogram as the migrations create and fill them: a frozen copy
 * of ingest/rollup.ts and metrics/latency-histogram.ts as they stood when these migrations were
 * written. A migration must never change with the live code, or a fresh install would build
 * another schema than the one an old install migrated to. Nothing here may import from `src/`.
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

const HISTOGRAM_RATIO = 1.1;
const HISTOGRAM_BUCKETS = 161;
export const HISTOGRAM_COLUMNS = Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) => `h${i}`);

/** A latency's histogram bucket, in SQL. */
export const LATENCY_BUCKET_SQL = (column: string): string =>
  `CASE WHEN ${column} < 1 THEN 0 ELSE least(floor(ln(${column}) / ln(${HISTOGRAM_RATIO}))::int + 1, ${HISTOGRAM_BUCKETS - 1}) END`;

/** An int[] histogram of zeros, as a literal. */
export const EMPTY_HISTOGRAM_LITERAL = `{${new Array(HISTOGRAM_BUCKETS).fill(0).join(',')}}`;

interface FrozenRollup {
  grain: 'hour' | 'day';
  keys: string[];
  /** The histogram as one jsonb object of the buckets that are not 0, instead of a column per bucket. */
  sparse?: true;
  /** A call counts once under each of its tags. */
  byTag?: true;
}

const COMPACT_KEYS = ['model_id', 'provider', 'is_byok', 'status'];

/** The rollups migrations create here, as they created them. */
const ROLLUPS = {
  llm_usage_hourly_compact: { grain: 'hour', keys: COMPACT_KEYS },
  llm_usage_daily_compact: { grain: 'day', keys: COMPACT_KEYS },
  llm_usage_daily_model: { grain: 'day', keys: ['model_id', 'provider'] },
  llm_usage_daily_user: { grain: 'day', keys: ['user_id', 'status'], sparse: true },
  llm_usage_hourly_tag: { grain: 'hour', keys: ['tag', 'status'], byTag: true },
  llm_usage_daily_tag: { grain: 'day', keys: ['tag', 'status'], byTag: true },
} satisfies Record<string, FrozenRollup>;

export type FrozenRollupTable = keyof typeof ROLLUPS;
const rollup = (table: FrozenRollupTable): FrozenRollup => ROLLUPS[table];

/** The column definitions of a rollup table. */
export function rollupTableColumns(table: FrozenRollupTable): string {
  const { grain, keys, sparse } = rollup(table);
  const keyTypes: Record<string, string> = { is_byok: 'boolean' };
  return [
    'workspace_id uuid NOT NULL',
    'start_at timestamptz NOT NULL',
    ...keys.map((k) => `${k} ${keyTypes[k] ?? 'text'} NOT NULL`),
    ...SUMMED_COLUMNS.map((c) => `${c} ${MONEY_COLUMNS.has(c) ? 'numeric' : 'bigint'} NOT NULL`),
    ...(sparse
      ? [`latency_histogram jsonb NOT NULL DEFAULT '{}'`]
      : HISTOGRAM_COLUMNS.map((h) => `${h} ${grain === 'day' ? 'bigint' : 'integer'} NOT NULL DEFAULT 0`)),
    `PRIMARY KEY (workspace_id, start_at, ${keys.join(', ')})`,
  ].join(',\n  ');
}

/** How a raw row's key column reads in a rollup: absent agents, tiers, workflows and users become ''. */
const RAW_KEY: Record<string, string> = {
  agent_id: "coalesce(agent_id, '')",
  tier: "coalesce(tier, '')",
  workflow: "coalesce(workflow, '')",
  user_id: "coalesce(user_id, '')",
};

const RAW_SUMS = `sum(request_count) AS request_count, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,
      sum(input_cost) AS input_cost, sum(output_cost) AS output_cost, sum(total_cost) AS total_cost,
      sum(CASE WHEN priced THEN 0 ELSE request_count END) AS unpriced_count, count(latency_ms) AS latency_count,
      coalesce(sum(latency_ms), 0) AS latency_sum`;

const positions = (n: number): string => Array.from({ length: n }, (_, i) => i + 1).join(', ');

/** The raw rows of `from` summed per key of `table`, with the rollup's columns. */
function groupRaw(table: FrozenRollupTable, from: string): string {
  const { grain, keys, sparse, byTag } = rollup(table);
  const source = byTag ? `${from} CROSS JOIN LATERAL unnest(CASE WHEN cardinality(tags) = 0 THEN '{""}'::text[] ELSE tags END) AS call_tag(tag)` : from;
  const keyColumns = `workspace_id, date_trunc('${grain}', occurred_at, 'UTC') AS start_at, ${keys.map((k) => `${RAW_KEY[k] ?? k} AS ${k}`).join(', ')}`;
  const binned = `(SELECT *, tally_latency_bucket(latency_ms) AS latency_bucket FROM ${source} OFFSET 0) binned`;
  const byKey = positions(2 + keys.length);
  if (sparse) {
    return `SELECT workspace_id, start_at, ${keys.join(', ')}, ${SUMMED_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')},
        coalesce(jsonb_object_agg(latency_bucket, calls) FILTER (WHERE latency_bucket IS NOT NULL), '{}') AS latency_histogram
      FROM (SELECT ${keyColumns}, latency_bucket, ${RAW_SUMS}, count(*) AS calls FROM ${binned} GROUP BY ${byKey}, latency_bucket) per_bucket
      GROUP BY ${byKey}`;
  }
  return `SELECT ${keyColumns}, ${RAW_SUMS},
      ${HISTOGRAM_COLUMNS.map((h, i) => `(count(*) FILTER (WHERE latency_bucket = ${i}))::int AS ${h}`).join(', ')}
    FROM ${binned}
    GROUP BY ${byKey}`;
}

/** `INSERT … SELECT … ON CONFLICT DO UPDATE` adding the raw rows of `from` into `table`, in key order. */
export function rollupUpsert(table: FrozenRollupTable, from: string): string {
  const keyColumns = ['workspace_id', 'start_at', ...rollup(table).keys];
  const added = [...SUMMED_COLUMNS, ...(rollup(table).sparse ? ['latency_histogram'] : HISTOGRAM_COLUMNS)];
  const sum = (c: string) => (c === 'latency_histogram' ? `${c} = tally_add_histograms(${table}.${c}, EXCLUDED.${c})` : `${c} = ${table}.${c} + EXCLUDED.${c}`);
  return `INSERT INTO ${table} (${[...keyColumns, ...added].join(', ')})
    SELECT ${[...keyColumns, ...added].join(', ')} FROM (${groupRaw(table, from)}) grouped
    WHERE true
    ORDER BY ${positions(keyColumns.length)}
    ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET
      ${added.map(sum).join(', ')}`;
}
