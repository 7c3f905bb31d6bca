/** The words a question may use, and what each means. */
import { DIMENSION_CATALOGUE } from '../metrics/dimension-catalogue';
import { DIMENSIONS, type Dimension, type TimeBucket } from '../metrics/metrics.model';
import type { ChartType } from './question-types';
import type { RangeUnit } from './time-expressions';

/** A table looked up by a question's words, without a prototype: "constructor" or "__proto__" finds nothing in it. */
export function wordTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export const NUMBER_WORDS: Record<string, number> = wordTable({
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  sixty: 60,
  ninety: 90,
  couple: 2,
  few: 3,
});

export const UNIT_WORDS: Record<string, RangeUnit> = wordTable({
  minute: 'minute',
  minutes: 'minute',
  min: 'minute',
  mins: 'minute',
  hour: 'hour',
  hours: 'hour',
  hr: 'hour',
  hrs: 'hour',
  h: 'hour',
  day: 'day',
  days: 'day',
  d: 'day',
  week: 'week',
  weeks: 'week',
  wk: 'week',
  wks: 'week',
  w: 'week',
  month: 'month',
  months: 'month',
  mo: 'month',
  mos: 'month',
  mth: 'month',
  mths: 'month',
  year: 'year',
  years: 'year',
  yr: 'year',
  yrs: 'year',
  y: 'year',
});
/** Unit words that stand alone (not only after a number). */
export const BARE_UNITS = new Set(['minute', 'minutes', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years']);
export const COMPACT_DURATION = /^(\d{1,3})(min|mins|h|hr|hrs|d|w|wk|wks|mo|mos|y|yr|yrs)$/;
/** Words for "the one before": "last week", "previous month", "prev month". */
export const PREVIOUS_WORDS = new Set(['last', 'previous', 'prev']);

export const MONTHS: Record<string, number> = wordTable({
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
});

export const WEEKDAY_WORDS: Record<string, number> = wordTable({
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  tues: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  thur: 4,
  thurs: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
});

export const BUCKET_OF_UNIT: Record<RangeUnit, TimeBucket | null> = { minute: null, hour: 'HOUR', day: 'DAY', week: 'WEEK', month: 'MONTH', year: null };
export const BUCKET_ADVERBS: Record<string, TimeBucket> = wordTable({ hourly: 'HOUR', daily: 'DAY', nightly: 'DAY', weekly: 'WEEK', monthly: 'MONTH' });
export const TREND_WORDS = new Set(['trend', 'trends', 'trending', 'trendline', 'timeline', 'timeseries', 'history', 'historical', 'evolution', 'progression']);

export const ZONE_ABBREVIATIONS: Record<string, string> = wordTable({
  utc: 'UTC',
  gmt: 'UTC',
  pst: 'America/Los_Angeles',
  pdt: 'America/Los_Angeles',
  est: 'America/New_York',
  edt: 'America/New_York',
  cst: 'America/Chicago',
  cdt: 'America/Chicago',
  mst: 'America/Denver',
  mdt: 'America/Denver',
  cet: 'Europe/Berlin',
  cest: 'Europe/Berlin',
  bst: 'Europe/London',
  ist: 'Asia/Kolkata',
  jst: 'Asia/Tokyo',
  aest: 'Australia/Sydney',
  aedt: 'Australia/Sydney',
});
export const ZONE_WORDS = new Set(['time', 'timezone', 'tz', 'zone']);

export const COST_WORDS = new Set([
  'cost',
  'costs',
  'costing',
  'spend',
  'spends',
  'spent',
  'spending',
  'money',
  '$',
  'dollar',
  'dollars',
  'usd',
  'expense',
  'expenses',
  'bill',
  'billing',
  'billed',
  'charges',
  'paid',
  'pay',
  'burn',
  'burned',
  'burnt',
  'expenditure',
  'charge',
  'charged',
]);
export const TOKEN_WORDS = new Set(['token', 'tokens', 'tok', 'toks', 'tkns']);
export const REQUEST_WORDS = new Set(['request', 'requests', 'call', 'calls', 'req', 'reqs', 'invocation', 'invocations', 'queries', 'query']);
export const VOLUME_WORDS = new Set(['volume', 'traffic', 'usage', 'activity', 'load', 'throughput', 'consumption']);
export const LATENCY_WORDS = new Set([
  'latency',
  'latencies',
  'lat',
  'duration',
  'durations',
  'speed',
  'slow',
  'slower',
  'fast',
  'faster',
  'quick',
  'responsiveness',
  'ms',
  'millis',
  'milliseconds',
]);
export const ERROR_WORDS = new Set(['error', 'errors', 'err', 'errs', 'failure', 'failures', 'failed', 'fails', 'fail', 'failing', 'errored', 'erroring', 'unsuccessful']);
export const SUCCESS_WORDS = new Set(['success', 'successes', 'successful', 'succeeded', 'succeeding', 'ok']);
export const RATE_WORDS = new Set(['rate', 'rates', 'ratio', 'percentage', 'percent', '%', 'pct']);
export const INPUT_WORDS = new Set(['input', 'inputs', 'prompt', 'prompts']);
export const CACHE_SIDES: Record<string, 'read' | 'write'> = wordTable({ read: 'read', reads: 'read', hit: 'read', hits: 'read', write: 'write', writes: 'write', creation: 'write' });
export const OUTPUT_WORDS = new Set(['output', 'outputs', 'completion', 'completions']);
export const AVERAGE_WORDS = new Set(['average', 'avg', 'mean']);
export const CONJUNCTIONS = new Set(['and', 'vs', 'versus', 'plus', '&', 'with', 'or']);

const DIMENSION_NOUN_PAIRS = DIMENSIONS.flatMap((dimension) => DIMENSION_CATALOGUE[dimension].nouns.map((pair) => ({ dimension, pair })));
/** The nouns that name a dimension ("model", "vendors", "customers"), from the dimension catalogue. */
export const DIMENSION_NOUNS: Record<string, Dimension> = wordTable(Object.fromEntries(DIMENSION_NOUN_PAIRS.flatMap(({ dimension, pair }) => pair.map((noun) => [noun, dimension]))));
export const SINGULAR_NOUNS = new Set(DIMENSION_NOUN_PAIRS.map(({ pair }) => pair[0]));
/** After a dimension's noun, words that still name it: "by model name", "per user id". */
export const NAME_WORDS = new Set(['name', 'names', 'id', 'ids']);
/** Dimension nouns that, before a measure or another noun, qualify it instead: "llm spend", "llm provider". */
export const QUALIFIER_NOUNS = new Set(['llm']);

export const TAG_WORDS = new Set(['tag', 'tagged']);
export const USER_WORDS = new Set(['user', 'customer']);
/** Words between a metadata key and its value: "where feature is search", "where plan equals pro". */
export const METADATA_VERBS = new Set(['is', 'equals', 'eq']);

export const MOST_WORDS = new Set(['most', 'highest', 'biggest', 'largest', 'greatest', 'max', 'maximum', 'heaviest', 'top', 'descending', 'desc', 'worst']);
export const LEAST_WORDS = new Set(['least', 'lowest', 'fewest', 'smallest', 'min', 'minimum', 'lightest', 'bottom', 'ascending', 'asc']);
/** "most reliable provider": the fewest errors for each call. */
export const RELIABLE_WORDS = new Set(['reliable', 'dependable', 'stable']);
/** "flakiest model": the most errors for each call. */
export const FLAKY_WORDS = new Set(['flakiest', 'flaky', 'unreliable', 'unstable', 'buggiest']);
/** Verbs of use that, before "most" or "least", rank by the number of calls: "which model is used the most". */
export const USE_VERBS = new Set(['used', 'use', 'uses', 'called']);
export const RANK_WORDS = new Set(['rank', 'ranked', 'ranking', 'rankings', 'leaderboard', 'sorted', 'sort', 'order', 'ordered']);

export const SHARE_WORDS = new Set([
  'share',
  'shares',
  'split',
  'splits',
  'breakdown',
  'distribution',
  'distributed',
  'proportion',
  'proportions',
  'percentage',
  'percentages',
  'percent',
  '%',
  'portion',
  'portions',
  'mix',
  'composition',
  'makeup',
]);

export const CHART_WORDS: Record<string, ChartType> = wordTable({
  pie: 'PIE',
  donut: 'PIE',
  doughnut: 'PIE',
  bar: 'BAR',
  bars: 'BAR',
  column: 'BAR',
  columns: 'BAR',
  histogram: 'BAR',
  line: 'LINE',
  lines: 'LINE',
  area: 'AREA',
  stacked: 'AREA',
});

export const FILLER = new Set(
  `a an the of in on at for by per to from into onto with within without over during across through thru via about around
   and or vs versus plus & than as like up so far until till
   show shows showing me us my our we i you your it its their they them this that these those there here
   what whats which who whose where when how why much many any some all each every only just exactly specifically
   is are was were be been being am do does did done has have had having will would can could should shall may might must
   give get got gets display displays plot plotted chart charts graph graphs visualize visualise visualization draw see view
   list tell please want need know find look looking report summary overview insight insights analysis analyse analyze
   compare compared comparing comparison against total totals overall combined sum summed aggregate aggregated altogether
   break broken down grouped group groups grouping split
   use used uses using make made happen happened happening go going went spend take takes took taking
   latest recent recently current currently now
   data numbers number figures stats statistics metrics metric values value count counts amount amounts
   s t ok okay hey hi please pls plz thanks thank thx everything things thing lot lots first but
   api ai consumed consume consumes consuming horizontal vertical`
    .split(/\s+/)
    .filter(Boolean),
);

/** Every word the vocabulary gives a meaning to: a name equal to one of these needs its noun ("agent cost"). */
export const VOCABULARY = new Set([
  ...FILLER,
  ...Object.keys(NUMBER_WORDS),
  ...Object.keys(UNIT_WORDS),
  ...Object.keys(MONTHS),
  ...Object.keys(WEEKDAY_WORDS),
  ...Object.keys(BUCKET_ADVERBS),
  ...TREND_WORDS,
  ...COST_WORDS,
  ...TOKEN_WORDS,
  ...REQUEST_WORDS,
  ...VOLUME_WORDS,
  ...LATENCY_WORDS,
  ...ERROR_WORDS,
  ...SUCCESS_WORDS,
  ...RATE_WORDS,
  ...INPUT_WORDS,
  ...OUTPUT_WORDS,
  ...AVERAGE_WORDS,
  ...Object.keys(DIMENSION_NOUNS),
  ...MOST_WORDS,
  ...LEAST_WORDS,
  ...RANK_WORDS,
  ...SHARE_WORDS,
  ...Object.keys(CHART_WORDS),
  ...Object.keys(ZONE_ABBREVIATIONS),
  ...ZONE_WORDS,
  'today',
  'yesterday',
  'since',
  'between',
  'last',
  'past',
  'previous',
  'prior',
  'trailing',
  'ago',
  'byok',
  'platform',
  'own',
  'key',
  'keys',
  'non',
  'not',
  'p50',
  'p95',
  'p99',
  'median',
  'percentile',
  'response',
  'cheapest',
  'expensive',
  'costliest',
  'priciest',
  'slowest',
  'fastest',
  'quickest',
  'busiest',
  'popular',
  'active',
  'excluding',
  'except',
  'fortnight',
  'quarter',
  'weekend',
  'noon',
  'midday',
  'midnight',
  'qtr',
  'qtd',
  'prev',
]);

/**
 * Words a typo of which the reader puts right ("tokns", "provdier", "yesteday"), in groups of one meaning: a typo is
 * read only when every word it is one letter away from shares a group.
 */
export const TYPO_TARGETS: Set<string>[] = [
  COST_WORDS,
  TOKEN_WORDS,
  REQUEST_WORDS,
  LATENCY_WORDS,
  ERROR_WORDS,
  ...Object.values(DIMENSION_CATALOGUE).map((d) => new Set(d.nouns.flat())),
  ...['today', 'yesterday', 'average', 'percentile', 'breakdown', 'excluding'].map((word) => new Set([word])),
  ...[MONTHS, WEEKDAY_WORDS, BUCKET_ADVERBS].flatMap((table) => Object.keys(table).map((word) => new Set([word]))),
];
