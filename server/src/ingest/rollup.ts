import { RAW_DIMENSION_COLUMNS } from '../metrics/dimension-catalogue';
import { HISTOGRAM_BUCKETS } from '../metrics/latency-histogram';

/**
 * The rollups, declared as data, and the statements that keep each equal to sums over the raw
 * rows. Full rollups keep every dimension but workflow (its own rollups keep it with status); compact ones keep only model, provider, BYOK and
 * status (the dimensions the dashboard's views group and filter by), so a day holds a few
 * dozen rows instead of hundreds and the common views read almost nothing; the daily model
 * rollup keeps model and provider alone, for the long per-model series (a row per model a day).
 * Latency is kept as one column per histogram bucket (h0 … h160): PostgreSQL sums columns far
 * faster than it merges arrays. A batch's histograms are counted per bucket with FILTER, from
 * each row's bucket number computed once.
 */
export interface RollupLevel {
  table: RollupTable;
  grain: 'hour' | 'day';
  /** Dimensions it keeps beyond workspace and time. */
  keys: string[];
  /**
   * An attribution rollup (users, tags) is read only by queries that need this key: it answers
   * nothing else faster, and a tag rollup counts a call once per tag. It sums raw rows itself,
   * never a finer rollup's groups (those keep neither users nor tags).
   */
  onlyFor?: 'user_id' | 'tag';
  /**
   * How the latency histogram is kept: a column per bucket, or `sparse`: one jsonb object of the
   * buckets that are not 0 (`{"41": 2}`). A user's day holds a call or two, so a column per
   * bucket would make its row ten times wider (1.3 KB, under PostgreSQL's 2 KB compression
   * threshold) for 159 zeros. @default 'columns'
   */
  histogram?: 'columns' | 'sparse';
  /**
   * What a row costs the engine to read, relative to a raw row summed, where it differs from a
   * full rollup row's (see ROW_COST in metrics.service): a narrow row sums as a raw row does.
   */
  rowCost?: { sums: number; percentiles: number };
}

const FULL_KEYS = ['model_id', 'provider', 'agent_id', 'tier', 'is_byok', 'request_type', 'status'];
const COMPACT_KEYS = ['model_id', 'provider', 'is_byok', 'status'];
const MODEL_KEYS = ['model_id', 'provider'];
const WORKFLOW_KEYS = ['workflow', 'status'];
/**
 * Every key a rollup that sums grouped rows keeps: a batch's raw rows are grouped by all of them
 * once, per hour, and each such rollup sums those groups (the attribution rollups group raw rows).
 */
const GROUP_KEYS = [...FULL_KEYS, 'workflow'];

export type RollupTable =
  | 'llm_usage_daily_user'
  | 'llm_usage_hourly_tag'
  | 'llm_usage_daily_tag'
  | 'llm_usage_hourly'
  | 'llm_usage_daily'
  | 'llm_usage_hourly_compact'
  | 'llm_usage_daily_compact'
  | 'llm_usage_daily_model'
  | 'llm_usage_hourly_workflow'
  | 'llm_usage_daily_workflow';

/** Every rollup, in the order writers lock them (LOCK_ORDER). */
export const ROLLUP_LEVELS: RollupLevel[] = [
  { table: 'llm_usage_hourly', grain: 'hour', keys: FULL_KEYS },
  { table: 'llm_usage_daily', grain: 'day', keys: FULL_KEYS },
  { table: 'llm_usage_hourly_compact', grain: 'hour', keys: COMPACT_KEYS },
  { table: 'llm_usage_daily_compact', grain: 'day', keys: COMPACT_KEYS },
  { table: 'llm_usage_daily_model', grain: 'day', keys: MODEL_KEYS },
  { table: 'llm_usage_hourly_workflow', grain: 'hour', keys: WORKFLOW_KEYS },
  { table: 'llm_usage_daily_workflow', grain: 'day', keys: WORKFLOW_KEYS },
  // Users are many (100,000 a workspace is ordinary): by the day only, edges of a range read raw rows.
  { table: 'llm_usage_daily_user', grain: 'day', keys: ['user_id', 'status'], onlyFor: 'user_id', histogram: 'sparse', rowCost: { sums: 1, percentiles: 24 } },
  // Tags are few: by the hour and the day, as the full rollups.
  { table: 'llm_usage_hourly_tag', grain: 'hour', keys: ['tag', 'status'], onlyFor: 'tag' },
  { table: 'llm_usage_daily_tag', grain: 'day', keys: ['tag', 'status'], onlyFor: 'tag' },
];
export const ROLLUP_TABLES: RollupTable[] = ROLLUP_LEVELS.map((l) => l.table);

/** The rollup of a grain with the fewest keys that still holds every key column a query needs; null when none does. */
export function narrowestRollup(grain: 'hour' | 'day', neededKeys: string[]): RollupTable | null {
  const covering = ROLLUP_LEVELS.filter(
    (l) => l.grain === grain && neededKeys.every((k) => l.keys.includes(k)) && (!l.onlyFor || neededKeys.includes(l.onlyFor)),
  );
  if (covering.length === 0) return null;
  return covering.reduce((a, b) => (b.keys.length < a.keys.length ? b : a)).table;
}

/** Money columns: a raw row's costs, and the rollups' sums of them. */
const MONEY_COLUMNS = ['input_cost', 'output_cost', 'total_cost'];

/** The columns a raw row has that the rollups sum as they are, under the same names. */
export const RAW_SUMMED_COLUMNS = [
  'request_count',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  ...MONEY_COLUMNS,
];

export const SUMMED_COLUMNS = [...RAW_SUMMED_COLUMNS, 'unpriced_count', 'latency_count', 'latency_sum'];

/**
 * Why no rollup sum can overflow. Money is `numeric`. Every other sum is bigint, or integer for
 * the hourly histograms, and here is why each suffices. Batches adding to the same rollup row
 * take its lock in turn and keep it until they commit (LOCK_ORDER), so a row takes at most one
 * batch of MAX_BATCH (1,000) calls per ingest statement; a statement over 1,000 calls writes the
 * raw rows, five rollups and the agents (about 250 ms on two cores), so a row takes far fewer
 * than 500,000 calls a second, over five times the fastest bulk insert into one bare table
 * measured (COPY, ~86,000 rows a second: ../shared/STACK.md). At 500,000 calls a second:
 * - a day's row gets at most 4.32e10 calls; at CALL_BOUNDS' 1e8 tokens of each count per request
 *   that is 4.32e18 tokens, plus at most one imported row per day, model and provider (its event
 *   id names them) of at most 1e8 requests (1e16 tokens): under bigint's 9.22e18;
 * - latency_sum: 4.32e10 calls of at most 8.64e7 ms is 3.7e18; the counts are smaller still;
 * - an hour's histogram bucket gets at most 1.8e9 calls, under integer's 2.15e9; a day's bucket
 *   could pass it, so the daily rollups' buckets are bigint.
 * Query sums are wider still: PostgreSQL sums bigint into numeric, and the metrics engine reads
 * them as numeric (catalogue.ts).
 */
const summedColumnType = (column: string): 'numeric' | 'bigint' => (MONEY_COLUMNS.includes(column) ? 'numeric' : 'bigint');

/** The type of a rollup's histogram buckets (see summedColumnType for why): bigint for days, integer for hours. */
export function histogramColumnType(table: RollupTable): 'integer' | 'bigint' {
  return level(table).grain === 'day' ? 'bigint' : 'integer';
}

export const HISTOGRAM_COLUMNS = Array.from({ length: HISTOGRAM_BUCKETS }, (_, i) => `h${i}`);

export const rollupLevel = (table: RollupTable): RollupLevel => ROLLUP_LEVELS.find((l) => l.table === table)!;
const level = rollupLevel;

/** Raw rows of `from` once per tag of each (a call without tags once, under ''), as column `tag`. */
export function byTag(from: string): string {
  return `${from} CROSS JOIN LATERAL unnest(CASE WHEN cardinality(tags) = 0 THEN '{""}'::text[] ELSE tags END) AS call_tag(tag)`;
}

/** The raw rows a level sums: the tag rollups count a call under each of its tags. */
const rawOf = (table: RollupTable, from: string): string => (level(table).onlyFor === 'tag' ? byTag(from) : from);

/** The histogram columns a rollup's rows read as (h0 … h160), from its own columns or its sparse object. */
export function rollupHistogramColumns(table: RollupTable): string[] {
  return level(table).histogram === 'sparse' ? HISTOGRAM_COLUMNS.map((h, i) => `coalesce((latency_histogram ->> '${i}')::bigint, 0) AS ${h}`) : HISTOGRAM_COLUMNS;
}

/** A rollup's own histogram columns, as ingest adds to them. */
const histogramOf = (table: RollupTable): string[] => (level(table).histogram === 'sparse' ? ['latency_histogram'] : HISTOGRAM_COLUMNS);


/** The UTC hour or day a time column falls in. */
function startOf(grain: 'hour' | 'day', column = 'occurred_at'): string {
  return `date_trunc('${grain}', ${column}, 'UTC')`;
}

/** The column definitions of a rollup table, for its migration. */
export function rollupTableColumns(table: RollupTable): string {
  const { keys } = level(table);
  const keyTypes: Record<string, string> = { is_byok: 'boolean' };
  return [
    'workspace_id uuid NOT NULL',
    'start_at timestamptz NOT NULL',
    ...keys.map((k) => `${k} ${keyTypes[k] ?? 'text'} NOT NULL`),
    ...SUMMED_COLUMNS.map((c) => `${c} ${summedColumnType(c)} NOT NULL`),
    ...(level(table).histogram === 'sparse'
      ? [`latency_histogram jsonb NOT NULL DEFAULT '{}'`]
      : HISTOGRAM_COLUMNS.map((h) => `${h} ${histogramColumnType(table)} NOT NULL DEFAULT 0`)),
    `PRIMARY KEY (workspace_id, start_at, ${keys.join(', ')})`,
  ].join(',\n  ');
}

/** Each summed column of a rollup as an aggregate over raw rows. */
const RAW_SUMS = `sum(request_count) AS request_count, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
      sum(cache_read_tokens) AS cache_read_tokens, sum(cache_write_tokens) AS cache_write_tokens, sum(reasoning_tokens) AS reasoning_tokens,
      sum(input_cost) AS input_cost, sum(output_cost) AS output_cost, sum(total_cost) AS total_cost,
      sum(CASE WHEN priced THEN 0 ELSE request_count END) AS unpriced_count, count(latency_ms) AS latency_count,
      coalesce(sum(latency_ms), 0) AS latency_sum`;

/** The raw rows of `from` summed per key of `table`: one row per key, with the rollup's columns. */
function groupRaw(table: RollupTable, from: string): string {
  const { grain, keys, histogram } = level(table);
  return groupRawBy(grain, keys, rawOf(table, from), histogram);
}

/** The raw rows of `from` summed per UTC `grain` and `keys`, with a rollup's columns. */
function groupRawBy(grain: 'hour' | 'day', keys: string[], from: string, histogram: RollupLevel['histogram'] = 'columns'): string {
  const keyColumns = `workspace_id, ${startOf(grain)} AS start_at, ${keys.map((k) => `${RAW_DIMENSION_COLUMNS[k] ?? k} AS ${k}`).join(', ')}`;
  // OFFSET 0 keeps the bucket computed once per row rather than once per histogram column.
  const binned = `(SELECT *, tally_latency_bucket(latency_ms) AS latency_bucket FROM ${from} OFFSET 0) binned`;
  const byKey = positions(2 + keys.length);
  if (histogram === 'sparse') {
    // Summed per key and bucket first, then per key: the object is built from the few buckets a key has.
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

/** Rows of a finer rollup's shape (`finer`) summed per key of the coarser `table`, `columns` of them. */
function groupFiner(table: RollupTable, finer: string, columns = ADDED_AT_INGEST): string {
  const { grain, keys } = level(table);
  return `SELECT workspace_id, ${startOf(grain, 'start_at')} AS start_at, ${keys.join(', ')},
      ${columns.map((c) => `sum(${c}) AS ${c}`).join(', ')}
    FROM ${finer}
    GROUP BY ${keyPositions(table)}`;
}

const keyColumns = (table: RollupTable): string[] => ['workspace_id', 'start_at', ...level(table).keys];
const positions = (n: number): string => Array.from({ length: n }, (_, i) => i + 1).join(', ');
const keyPositions = (table: RollupTable): string => positions(keyColumns(table).length);

/** What ingest adds to a rollup row: every sum and every histogram bucket. */
const ADDED_AT_INGEST = [...SUMMED_COLUMNS, ...HISTOGRAM_COLUMNS];
/** What re-pricing changes in a rollup row. */
const COST_COLUMNS = [...MONEY_COLUMNS, 'unpriced_count'];

/**
 * `INSERT … SELECT … ON CONFLICT DO UPDATE` adding the `added` columns of grouped rows (one per
 * key) into `table`; a new row starts the other sums at zero. Rows are taken in key order, as
 * LOCK_ORDER asks; `after` (a condition) holds the statement back until an earlier lock step
 * has run.
 */
function upsertGrouped(table: RollupTable, grouped: string, added = ADDED_AT_INGEST, after = 'true'): string {
  if (added === ADDED_AT_INGEST) added = [...SUMMED_COLUMNS, ...histogramOf(table)];
  const zeroed = SUMMED_COLUMNS.filter((c) => !added.includes(c));
  const sum = (c: string) => (c === 'latency_histogram' ? `${c} = tally_add_histograms(${table}.${c}, EXCLUDED.${c})` : `${c} = ${table}.${c} + EXCLUDED.${c}`);
  return `INSERT INTO ${table} (${[...keyColumns(table), ...added, ...zeroed].join(', ')})
    SELECT ${[...keyColumns(table), ...added, ...zeroed.map(() => '0')].join(', ')} FROM (${grouped}) grouped
    WHERE ${after}
    ORDER BY ${keyPositions(table)}
    ON CONFLICT (${keyColumns(table).join(', ')}) DO UPDATE SET
      ${added.map(sum).join(', ')}`;
}

/** `INSERT … SELECT … ON CONFLICT DO UPDATE` adding the raw rows of `from` into `table`. */
export function rollupUpsert(table: RollupTable, from: string): string {
  return upsertGrouped(table, groupRaw(table, from));
}

/** A statement's lock steps, as far as the rollups need them (db/lock-order.ts). */
export interface RollupLockSteps {
  name(table: RollupTable): string;
  after(table: RollupTable): string;
}

/**
 * The lock steps (WITH entries) that upsert grouped rows into every rollup, as LOCK_ORDER lists
 * them: each sums `hourGroups` (hourly, by GROUP_KEYS), the attribution rollups their own groups.
 */
function rollupSteps(hourGroups: string, steps: RollupLockSteps, added: string[], attributionGroups: (table: RollupTable) => string): string[] {
  return ROLLUP_LEVELS.map(({ table, onlyFor }) => {
    const grouped = onlyFor ? attributionGroups(table) : groupFiner(table, hourGroups, added);
    return `${steps.name(table)} AS (${upsertGrouped(table, grouped, added, steps.after(table))} RETURNING 1)`;
  });
}

/**
 * The WITH entries that add the rows of `fromCte` to every rollup. The raw rows are grouped
 * once, per hour by every key some rollup keeps; each rollup adds up those groups.
 */
export function allRollupUpserts(fromCte: string, steps: RollupLockSteps): string {
  return [
    `rollup_groups AS (${groupRawBy('hour', GROUP_KEYS, fromCte)})`,
    ...rollupSteps('rollup_groups', steps, ADDED_AT_INGEST, (table) => groupRaw(table, fromCte)),
  ].join(',\n');
}

/**
 * The WITH entries that add cost changes to every rollup. `fromCte` has the raw key columns
 * (workspace_id, occurred_at, model_id, …) and d_input, d_output, d_total, d_unpriced per call.
 */
export function allRollupCostChanges(fromCte: string, steps: RollupLockSteps): string {
  const costGroups = (grain: 'hour' | 'day', keys: string[], from: string) =>
    `SELECT workspace_id, ${startOf(grain)} AS start_at, ${keys.map((k) => `${RAW_DIMENSION_COLUMNS[k] ?? k} AS ${k}`).join(', ')},
      sum(d_input) AS input_cost, sum(d_output) AS output_cost, sum(d_total) AS total_cost, sum(d_unpriced) AS unpriced_count
    FROM ${from} GROUP BY ${positions(2 + keys.length)}`;
  const attributionCostGroups = (table: RollupTable) => costGroups(level(table).grain, level(table).keys, rawOf(table, fromCte));
  return [`cost_groups AS (${costGroups('hour', GROUP_KEYS, fromCte)})`, ...rollupSteps('cost_groups', steps, COST_COLUMNS, attributionCostGroups)].join(',\n');
}
