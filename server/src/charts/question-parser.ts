/**
 * Reads a question in plain words ("cost by model last 7 days", "p95 latency per model
 * yesterday", "which agent spent the most this month?") into a metrics query, without a
 * language model: a fixed vocabulary, a few phrase patterns, and the names the workspace
 * actually uses. Word order, case and punctuation do not matter. Anything it cannot place
 * is reported back rather than guessed.
 */
import type { CallStatus, Dimension, Metric, Period, TimeBucket } from '../metrics/metrics.model';
import {
  calendarRange,
  completeYear,
  dayRange,
  daysRange,
  lastWeekday,
  monthRange,
  rollingRange,
  sinceRange,
  type RangeUnit,
  type ResolvedRange,
} from './time-expressions';
import { compareDays, formatMonth, isRealDay, localDay, type LocalDay } from './zoned-time';

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

// ---------------------------------------------------------------- vocabulary

/** A table looked up by a question's words, without a prototype: "constructor" or "__proto__" finds nothing in it. */
function wordTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

const NUMBER_WORDS: Record<string, number> = wordTable({
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

const UNIT_WORDS: Record<string, RangeUnit> = wordTable({
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
const BARE_UNITS = new Set(['hour', 'hours', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years']);
const COMPACT_DURATION = /^(\d{1,3})(h|hr|hrs|d|w|wk|wks|mo|mos|y|yr|yrs)$/;

const MONTHS: Record<string, number> = wordTable({
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

const WEEKDAY_WORDS: Record<string, number> = wordTable({
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

const BUCKET_OF_UNIT: Record<RangeUnit, TimeBucket | null> = { hour: 'HOUR', day: 'DAY', week: 'WEEK', month: 'MONTH', year: null };
const BUCKET_ADVERBS: Record<string, TimeBucket> = wordTable({ hourly: 'HOUR', daily: 'DAY', nightly: 'DAY', weekly: 'WEEK', monthly: 'MONTH' });
const TREND_WORDS = new Set(['trend', 'trends', 'trending', 'trendline', 'timeline', 'timeseries', 'history', 'historical', 'evolution', 'progression']);

const ZONE_ABBREVIATIONS: Record<string, string> = wordTable({
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
const ZONE_WORDS = new Set(['time', 'timezone', 'tz', 'zone']);

const COST_WORDS = new Set([
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
]);
const TOKEN_WORDS = new Set(['token', 'tokens', 'tok', 'toks', 'tkns']);
const REQUEST_WORDS = new Set(['request', 'requests', 'call', 'calls', 'req', 'reqs', 'invocation', 'invocations', 'queries', 'query']);
const VOLUME_WORDS = new Set(['volume', 'traffic', 'usage', 'activity', 'load', 'throughput']);
const LATENCY_WORDS = new Set([
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
]);
const ERROR_WORDS = new Set(['error', 'errors', 'err', 'errs', 'failure', 'failures', 'failed', 'fails', 'fail', 'failing', 'errored', 'erroring', 'unsuccessful']);
const SUCCESS_WORDS = new Set(['success', 'successes', 'successful', 'succeeded', 'succeeding', 'ok']);
const RATE_WORDS = new Set(['rate', 'rates', 'ratio', 'percentage', 'percent', '%', 'pct']);
const INPUT_WORDS = new Set(['input', 'inputs', 'prompt', 'prompts']);
const CACHE_SIDES: Record<string, 'read' | 'write'> = wordTable({ read: 'read', reads: 'read', hit: 'read', hits: 'read', write: 'write', writes: 'write', creation: 'write' });
const OUTPUT_WORDS = new Set(['output', 'outputs', 'completion', 'completions']);
const AVERAGE_WORDS = new Set(['average', 'avg', 'mean']);
const CONJUNCTIONS = new Set(['and', 'vs', 'versus', 'plus', '&', 'with', 'or']);

const DIMENSION_NOUNS: Record<string, Dimension> = wordTable({
  model: 'MODEL',
  models: 'MODEL',
  llm: 'MODEL',
  llms: 'MODEL',
  provider: 'PROVIDER',
  providers: 'PROVIDER',
  vendor: 'PROVIDER',
  vendors: 'PROVIDER',
  agent: 'AGENT',
  agents: 'AGENT',
  bot: 'AGENT',
  bots: 'AGENT',
  type: 'REQUEST_TYPE',
  types: 'REQUEST_TYPE',
  kind: 'REQUEST_TYPE',
  kinds: 'REQUEST_TYPE',
  tier: 'TIER',
  tiers: 'TIER',
  status: 'STATUS',
  statuses: 'STATUS',
  outcome: 'STATUS',
  outcomes: 'STATUS',
  workspace: 'WORKSPACE',
  workspaces: 'WORKSPACE',
  user: 'USER',
  users: 'USER',
  customer: 'USER',
  customers: 'USER',
  tag: 'TAG',
  tags: 'TAG',
  workflow: 'WORKFLOW',
  workflows: 'WORKFLOW',
  recipe: 'WORKFLOW',
  recipes: 'WORKFLOW',
});
const SINGULAR_NOUNS = new Set(['model', 'llm', 'provider', 'vendor', 'agent', 'bot', 'type', 'kind', 'tier', 'status', 'outcome', 'workspace', 'user', 'customer', 'tag', 'workflow', 'recipe']);
/** Words before a name of a tag ("tag prod", "tagged beta") or an end user ("user u-42", "customer acme"). */
const TAG_WORDS = new Set(['tag', 'tagged']);
const USER_WORDS = new Set(['user', 'customer']);
/** Words between a metadata key and its value: "where feature is search", "where plan equals pro". */
const METADATA_VERBS = new Set(['is', 'equals', 'eq']);

const MOST_WORDS = new Set(['most', 'highest', 'biggest', 'largest', 'greatest', 'max', 'maximum', 'heaviest', 'top', 'descending', 'desc', 'worst']);
const LEAST_WORDS = new Set(['least', 'lowest', 'fewest', 'smallest', 'min', 'minimum', 'lightest', 'bottom', 'ascending', 'asc']);
const RANK_WORDS = new Set(['rank', 'ranked', 'ranking', 'rankings', 'leaderboard', 'sorted', 'sort', 'order', 'ordered']);

const SHARE_WORDS = new Set([
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

const CHART_WORDS: Record<string, ChartType> = wordTable({
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

const FILLER = new Set(
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
   s t ok okay hey hi please thanks thank everything things thing lot lots first`
    .split(/\s+/)
    .filter(Boolean),
);

/** Every word the vocabulary gives a meaning to: a name equal to one of these needs its noun ("agent cost"). */
const VOCABULARY = new Set([
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
]);

// ---------------------------------------------------------------- tokens

interface Token {
  /** Lower-case word, punctuation stripped. */
  text: string;
  /** Letters and digits only: how names are compared. */
  norm: string;
  used: boolean;
  /** Part of a time range that came second: left for the error message, not for other readings. */
  blocked?: boolean;
  /** Which written word it came from: "gpt-4o" is one chunk of two tokens. Names cover whole chunks. */
  chunk: number;
  /** The written word as typed, for messages. */
  written: string;
  /** Set on an IANA zone name ("europe/berlin"), kept whole. */
  zone?: string;
  /** Set on an ISO date ("2026-03-01"), kept whole. */
  day?: LocalDay;
}

const normalise = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const zoneNames = new Map<string, string | null>();
/** The IANA name for a case-insensitive one ("europe/berlin" -> "Europe/Berlin"), or null. */
export function canonicalZone(name: string): string | null {
  const key = name.toLowerCase();
  if (key === 'utc' || key === 'etc/utc' || key === 'gmt') return 'UTC';
  if (zoneNames.has(key)) return zoneNames.get(key)!;
  let found = Intl.supportedValuesOf('timeZone').find((zone) => zone.toLowerCase() === key) ?? null;
  if (!found) {
    // Links such as Asia/Kolkata are valid but not listed: keep the name asked for, in the usual case.
    const cased = key.replace(/(^|[/_-])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: cased });
      found = cased;
    } catch {
      found = null;
    }
  }
  zoneNames.set(key, found);
  return found;
}

let zonesByCity: Map<string, string> | null = null;
/** "new york" -> America/New_York, for the cities that name exactly one zone. */
function cityZones(): Map<string, string> {
  if (zonesByCity) return zonesByCity;
  const counts = new Map<string, string[]>();
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const city = normalise(zone.split('/').pop() ?? '');
    if (city.length < 3) continue;
    counts.set(city, [...(counts.get(city) ?? []), zone]);
  }
  zonesByCity = new Map([...counts].filter(([, zones]) => zones.length === 1).map(([city, zones]) => [city, zones[0]]));
  return zonesByCity;
}

const ISO_DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

function tokenize(question: string): Token[] {
  const tokens: Token[] = [];
  const chunks = question
    .normalize('NFKC')
    .replace(/[’‘`´]/g, "'")
    // "1 June – 3 June": a dash between words joins a range, as "to" does
    .replace(/\s[–—-]\s/g, ' to ')
    .split(/[\s,;:!?()[\]{}"“”<>|*–—]+/)
    .filter(Boolean);
  let chunkId = 0;
  for (const chunk of chunks) {
    const trimmed = chunk.replace(/^[.'/-]+|[.'/-]+$/g, '');
    const iso = ISO_DAY.exec(trimmed);
    if (iso) {
      const day = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
      tokens.push({ text: trimmed, norm: normalise(trimmed), used: false, chunk: chunkId++, written: trimmed, day });
      continue;
    }
    if (/^[a-z]+(\/[a-z0-9_+-]+){1,2}$/i.test(trimmed)) {
      const zone = canonicalZone(trimmed);
      if (zone) {
        tokens.push({ text: trimmed.toLowerCase(), norm: normalise(trimmed), used: false, chunk: chunkId++, written: trimmed, zone });
        continue;
      }
    }
    // "spend/model" and "gpt-4o/claude" are two written words, "gpt-4o" is one; & and + join as "and" does.
    for (const written of trimmed.replace(/'s$/i, '').split(/([/&+])/)) {
      const part = written.toLowerCase();
      if (part === '&' || part === '+') tokens.push({ text: 'and', norm: 'and', used: false, chunk: chunkId++, written });
      const words = part
        .replace(/([$%])/g, ' $1 ')
        .split(/[\s'/&+\-=~^\\]+/)
        .map((word) => word.replace(/^\.+|\.+$/g, ''))
        .filter(Boolean);
      for (const word of words) tokens.push({ text: word, norm: normalise(word), used: false, chunk: chunkId, written });
      chunkId++;
    }
  }
  return tokens;
}

// ---------------------------------------------------------------- entities

type EntityKind = 'MODEL' | 'PROVIDER' | 'AGENT' | 'REQUEST_TYPE' | 'TIER';

interface Entity {
  kind: EntityKind;
  /** The value a filter takes: model id, provider, agent id, request type, tier. */
  value: string;
  /** How it is shown: the agent's name, otherwise the value. */
  label: string;
  norms: string[];
  /** Name parts, normalised: "claude-3-5-sonnet-latest" -> claude, 3, 5, sonnet, latest. */
  segments: string[];
}

const ENTITY_NOUNS: Record<EntityKind, Set<string>> = {
  MODEL: new Set(['model', 'models', 'llm', 'llms']),
  PROVIDER: new Set(['provider', 'providers', 'vendor', 'vendors']),
  AGENT: new Set(['agent', 'agents', 'bot', 'bots']),
  REQUEST_TYPE: new Set(['type', 'types', 'kind', 'kinds']),
  TIER: new Set(['tier', 'tiers']),
};
const ENTITY_WORDS: Record<EntityKind, string> = { MODEL: 'model', PROVIDER: 'provider', AGENT: 'agent', REQUEST_TYPE: 'request type', TIER: 'tier' };
const KIND_PREFERENCE: EntityKind[] = ['MODEL', 'PROVIDER', 'AGENT', 'REQUEST_TYPE', 'TIER'];
const FILTER_KEY: Record<EntityKind, 'modelIds' | 'providers' | 'agentIds' | 'requestTypes' | 'tiers'> = {
  MODEL: 'modelIds',
  PROVIDER: 'providers',
  AGENT: 'agentIds',
  REQUEST_TYPE: 'requestTypes',
  TIER: 'tiers',
};
const EXCLUDE_WORDS = new Set(['excluding', 'except', 'exclude', 'without', 'not', 'besides', 'minus', 'ignoring']);

function entitiesOf(known: KnownEntities): Entity[] {
  const make = (kind: EntityKind, value: string, label = value, extraNames: string[] = []): Entity => ({
    kind,
    value,
    label,
    norms: [...new Set([value, ...extraNames].map(normalise).filter(Boolean))],
    segments: value
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  });
  return [
    ...known.models.map((m) => make('MODEL', m)),
    ...known.providers.map((p) => make('PROVIDER', p)),
    ...known.agents.map((a) => make('AGENT', a.id, a.name, [a.name])),
    ...known.requestTypes.filter(Boolean).map((t) => make('REQUEST_TYPE', t)),
    ...known.tiers.filter(Boolean).map((t) => make('TIER', t)),
  ];
}

/** Optimal string alignment distance, stopping early past 1: a one-letter typo is 1. */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one letter changed
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two swapped
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i); // one letter added or dropped
}

// ---------------------------------------------------------------- the parser

interface MetricMention {
  metric: Metric;
  at: number;
  /** A weak mention ("calls" in "cost of gpt-4o calls") only counts when nothing else is measured. */
  weak: boolean;
}

interface EntityFilter {
  kind: EntityKind;
  values: string[];
  exclude: boolean;
  at: number;
}

class QuestionReader {
  private readonly tokens: Token[];
  private readonly entities: Entity[];
  private readonly understood: { at: number; words: string }[] = [];
  private readonly reasons = new Map<number, string>();

  private zone: string | null = null;
  private range: ResolvedRange | null = null;
  private bucket: TimeBucket | null = null;
  private autoBucket = false;
  private readonly metrics: MetricMention[] = [];
  private readonly dimensions: { dimension: Dimension; at: number }[] = [];
  private readonly entityFilters: EntityFilter[] = [];
  private status: CallStatus | null = null;
  /** "failed calls": a filter when something else is measured, else the thing measured. */
  private statusPhrase: { status: CallStatus; at: number } | null = null;
  private isByok: boolean | null = null;
  private ranking: 'most' | 'least' | null = null;
  private limit: number | null = null;
  private asksForShare = false;
  private namedChartType: ChartType | null = null;
  private latencyKinds: { metric: Metric; at: number; end: number; words: string }[] = [];
  private impliedMetric: { metric: Metric; at: number } | null = null;
  private readonly tags: string[] = [];
  private readonly userIds: string[] = [];
  private readonly metadata: { key: string; value: string }[] = [];

  constructor(
    private readonly question: string,
    private readonly context: ParseContext,
  ) {
    this.tokens = tokenize(question);
    this.entities = entitiesOf(context.known);
  }

  read(): ParseOutcome {
    this.readZones();
    this.readAttribution();
    this.readExactEntities();
    this.readChartTypes();
    this.readTimeRanges();
    this.readBuckets();
    this.readStatusAndKeyPhrases();
    this.readCompoundDimensions();
    this.readRanking();
    this.readMetrics();
    this.readDimensions();
    this.readShareWords();
    this.readFiller();
    this.readTypos();
    this.readNameFamilies();
    return this.finish();
  }

  // ------------------------------------------------------------ token helpers

  private free(i: number): boolean {
    return i >= 0 && i < this.tokens.length && !this.tokens[i].used && !this.tokens[i].blocked;
  }

  /** Whether tokens [from, to) cover whole written words, so "gpt" never matches inside "gpt-5". */
  private wholeChunks(from: number, to: number): boolean {
    const chunkOf = (i: number) => (i >= 0 && i < this.tokens.length ? this.tokens[i].chunk : -2);
    return chunkOf(from - 1) !== chunkOf(from) && chunkOf(to - 1) !== chunkOf(to);
  }

  private text(i: number): string {
    return this.free(i) ? this.tokens[i].text : '';
  }

  private take(from: number, to: number, words: string): void {
    for (let i = from; i < to; i++) this.tokens[i].used = true;
    if (words) this.understood.push({ at: from, words });
  }

  private eachFree(visit: (i: number) => void): void {
    for (let i = 0; i < this.tokens.length; i++) if (this.free(i)) visit(i);
  }

  private numberAt(i: number): number | null {
    const text = this.text(i);
    if (/^\d{1,4}$/.test(text)) return Number(text);
    return NUMBER_WORDS[text] ?? null;
  }

  // ------------------------------------------------------------ tags, end users, metadata

  /** Token i's whole written word, when nothing took any of it and the vocabulary gives it no meaning: a name. */
  private nameAt(i: number): { value: string; end: number } | null {
    if (!this.free(i) || VOCABULARY.has(this.text(i))) return null;
    let end = i;
    while (end < this.tokens.length && this.tokens[end].chunk === this.tokens[i].chunk) {
      if (!this.free(end)) return null;
      end++;
    }
    if (!this.wholeChunks(i, end)) return null;
    return { value: this.tokens[i].written, end };
  }

  /**
   * "tag prod", "tagged beta": calls carrying the tag; "user u-42", "customer acme": that end
   * user's calls; "where feature is search", "where plan = pro", "feature=search": a metadata
   * pair. Names and values are taken as written; "by tag" and "per user" stay groupings.
   */
  private readAttribution(): void {
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      if ((TAG_WORDS.has(word) || USER_WORDS.has(word)) && !['by', 'per', 'each', 'every', 'across'].includes(this.text(i - 1))) {
        const name = this.nameAt(i + 1);
        if (!name) return;
        const isTag = TAG_WORDS.has(word);
        (isTag ? this.tags : this.userIds).push(name.value);
        const start = ['with', 'for', 'of'].includes(this.text(i - 1)) ? i - 1 : i;
        return this.take(start, name.end, `${isTag ? 'tag' : 'user'} ${name.value}`);
      }
      // feature=search: one written word whose two sides are the key and the value
      const written = this.tokens[i].written;
      const equals = written.indexOf('=');
      if (equals > 0 && equals < written.length - 1 && (i === 0 || this.tokens[i - 1].chunk !== this.tokens[i].chunk)) {
        let end = i;
        while (end < this.tokens.length && this.tokens[end].chunk === this.tokens[i].chunk) end++;
        const pair = { key: written.slice(0, equals), value: written.slice(equals + 1) };
        this.metadata.push(pair);
        return this.take(this.text(i - 1) === 'where' ? i - 1 : i, end, `where ${pair.key} is ${pair.value}`);
      }
      if (word !== 'where' && !(word === 'and' && this.metadata.length > 0 && this.tokens[i - 1]?.used)) return;
      const key = this.nameAt(i + 1);
      if (!key) return;
      const verb = METADATA_VERBS.has(this.text(key.end)) ? key.end + 1 : this.tokens[key.end]?.chunk === this.tokens[key.end - 1].chunk + 2 ? key.end : -1;
      const value = verb >= 0 ? (this.nameAt(verb) ?? (this.free(verb) ? { value: this.tokens[verb].written, end: verb + 1 } : null)) : null;
      if (!value) return;
      const pair = { key: this.tokens[i + 1].written, value: value.value };
      this.metadata.push(pair);
      this.take(i, value.end, `where ${pair.key} is ${pair.value}`);
    });
  }

  // ------------------------------------------------------------ zones and chart types

  private setZone(zone: string, at: number, to: number): void {
    if (this.zone && this.zone !== zone) {
      this.reasons.set(at, `the question already names the timezone ${this.zone}`);
      return;
    }
    this.zone = zone;
    this.take(at, to, `in ${zone}`);
  }

  private readZones(): void {
    this.eachFree((i) => {
      const token = this.tokens[i];
      if (token.zone) return this.setZone(token.zone, i, i + 1);
      const abbreviation = ZONE_ABBREVIATIONS[token.text];
      if (abbreviation) {
        const end = ZONE_WORDS.has(this.text(i + 1)) ? i + 2 : i + 1;
        return this.setZone(abbreviation, i, end);
      }
      // "<city> time": Berlin time, New York time, Los Angeles timezone.
      for (let length = 3; length >= 1; length--) {
        if (!ZONE_WORDS.has(this.text(i + length))) continue;
        const span = this.tokens.slice(i, i + length);
        if (span.length < length || span.some((t) => t.used)) continue;
        const zone = cityZones().get(span.map((t) => t.norm).join(''));
        if (zone) return this.setZone(zone, i, i + length + 1);
      }
    });
  }

  private readChartTypes(): void {
    this.eachFree((i) => {
      const type = CHART_WORDS[this.text(i)];
      if (!type) return;
      const next = this.text(i + 1);
      const named = next === 'chart' || next === 'graph' || next === 'plot';
      const stackedArea = this.text(i) === 'stacked' && (next === 'area' || next === 'chart');
      // "line" and "area" are ordinary words too; they name a chart only with "chart" or after "as a".
      const afterAs = this.text(i - 1) === 'as' || (this.text(i - 2) === 'as' && ['a', 'an'].includes(this.text(i - 1)));
      if (!named && !stackedArea && !afterAs && !['pie', 'donut', 'doughnut', 'histogram', 'stacked'].includes(this.text(i))) return;
      this.namedChartType = type;
      const end = stackedArea ? (named || this.text(i + 2) === 'chart' ? i + 3 : i + 2) : named ? i + 2 : i + 1;
      this.take(i, end, `as a ${type.toLowerCase()} chart`);
    });
  }

  // ------------------------------------------------------------ time

  private setRange(range: ResolvedRange, from: number, to: number): boolean {
    if (this.range) {
      this.reasons.set(from, `the question already names a time range: ${this.range.title}`);
      for (let i = from; i < to; i++) this.tokens[i].blocked = true;
      return false;
    }
    this.range = range;
    this.take(from, to, range.title);
    return true;
  }

  private get zoneOrDefault(): string {
    return this.zone ?? this.context.timezone;
  }

  /** A date at token i: "2026-03-01", "march 3", "3rd of march 2026", "yesterday". */
  private dateAt(i: number): { day: LocalDay; end: number } | null {
    if (!this.free(i)) return null;
    const token = this.tokens[i];
    const { now } = this.context;
    const zone = this.zoneOrDefault;
    if (token.day) return isRealDay(token.day) ? { day: token.day, end: i + 1 } : null;
    if (token.text === 'today') return { day: localDay(now, zone), end: i + 1 };
    if (token.text === 'yesterday') return { day: calendarDay(-1, zone, now), end: i + 1 };
    const weekday = WEEKDAY_WORDS[token.text];
    if (weekday) return { day: lastWeekday(weekday, zone, now, false), end: i + 1 };
    if (['last', 'previous'].includes(token.text) && WEEKDAY_WORDS[this.text(i + 1)]) {
      return { day: lastWeekday(WEEKDAY_WORDS[this.text(i + 1)], zone, now, true), end: i + 2 };
    }
    const dayNumber = (j: number): number | null => {
      const match = /^(\d{1,2})(st|nd|rd|th)?$/.exec(this.text(j));
      return match && Number(match[1]) >= 1 && Number(match[1]) <= 31 ? Number(match[1]) : null;
    };
    const yearAt = (j: number): number | null => (/^(19|20)\d{2}$/.test(this.text(j)) ? Number(this.text(j)) : null);
    const complete = (month: number, day: number, yearIndex: number): { day: LocalDay; end: number } | null => {
      const year = yearAt(yearIndex);
      if (year !== null) {
        const exact = { year, month, day };
        return isRealDay(exact) ? { day: exact, end: yearIndex + 1 } : null;
      }
      const guessed = completeYear(month, day, zone, now);
      return guessed ? { day: guessed, end: yearIndex } : null;
    };
    const month = MONTHS[token.text];
    if (month && dayNumber(i + 1) !== null) return complete(month, dayNumber(i + 1)!, i + 2);
    const day = dayNumber(i);
    if (day !== null) {
      const ofSkip = this.text(i + 1) === 'of' ? 1 : 0;
      const monthAfter = MONTHS[this.text(i + 1 + ofSkip)];
      if (monthAfter) return complete(monthAfter, day, i + 2 + ofSkip);
    }
    return null;
  }

  private readTimeRanges(): void {
    const { now } = this.context;
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      const zone = this.zoneOrDefault;

      // between A and B / from A to B / A to B
      const startsRange = word === 'between' || word === 'from';
      const first = this.dateAt(startsRange ? i + 1 : i);
      if (first) {
        const joiner = this.text(first.end);
        const joins = word === 'between' ? ['and', 'to', 'until', 'till', 'through', 'thru'] : ['to', 'until', 'till', 'through', 'thru', 'and'];
        if (joins.includes(joiner) && (startsRange || joiner !== 'and')) {
          const second = this.dateAt(first.end + 1);
          if (second) {
            const [a, b] = compareDays(first.day, second.day) <= 0 ? [first.day, second.day] : [second.day, first.day];
            this.setRange(daysRange(a, b, zone, now), i, second.end);
            return;
          }
        }
      }

      // since last week, since this month
      if (word === 'since' && ['last', 'this', 'previous'].includes(this.text(i + 1)) && ['week', 'month', 'year'].includes(this.text(i + 2))) {
        const unit = this.text(i + 2) as 'week' | 'month' | 'year';
        const start = calendarRange(unit, this.text(i + 1) === 'this' ? 0 : -1, zone, now);
        this.setRange({ ...start, to: now, phrase: `since the start of ${this.text(i + 1)} ${unit}`, title: `since ${this.text(i + 1)} ${unit}` }, i, i + 3);
        return;
      }

      // since March, since January 2026: from the first of the most recent such month
      const sinceMonth = word === 'since' && this.free(i + 1) && !this.dateAt(i + 1) ? MONTHS[this.text(i + 1)] : undefined;
      if (sinceMonth) {
        const yearText = this.text(i + 2);
        const explicitYear = /^(19|20)\d{2}$/.test(yearText) ? Number(yearText) : null;
        const today = localDay(now, zone);
        const year = explicitYear ?? (sinceMonth <= today.month ? today.year : today.year - 1);
        this.setRange(sinceRange({ year, month: sinceMonth, day: 1 }, zone, now, `since ${formatMonth(year, sinceMonth)}`), i, explicitYear === null ? i + 2 : i + 3);
        return;
      }

      // since A
      if (word === 'since' || (word === 'after' && this.dateAt(i + 1))) {
        const start = this.dateAt(i + 1);
        if (start) {
          const words = ['yesterday', 'today'].includes(this.text(i + 1)) ? `since ${this.text(i + 1)}` : undefined;
          this.setRange(sinceRange(start.day, zone, now, words), i, start.end);
          return;
        }
      }

      // last 7 days / past 24 hours / 3 weeks / 7d / 2 days ago (but "top 3 days" ranks days)
      if (['top', 'bottom'].includes(this.text(i - 1))) return;
      const prefixed = ['last', 'past', 'previous', 'prior', 'trailing', 'recent', 'next'].includes(word) ? 1 : 0;
      const compact = COMPACT_DURATION.exec(this.text(i + prefixed));
      let count = compact ? Number(compact[1]) : this.numberAt(i + prefixed);
      let unitIndex = i + prefixed + (compact ? 0 : 1);
      if (!compact && count !== null && this.text(unitIndex) === 'of') unitIndex++;
      const unit = compact ? UNIT_WORDS[compact[2]] : UNIT_WORDS[this.text(unitIndex)];
      if (count !== null && unit && (prefixed || compact || BARE_UNITS.has(this.text(unitIndex)))) {
        if (word === 'next') {
          this.reasons.set(i, 'a time range in the future has no data yet');
          for (let j = i; j <= unitIndex; j++) this.tokens[j].blocked = true;
          return;
        }
        if (count < 1) {
          this.reasons.set(i, `a time range needs at least 1 ${unit}, but got ${count}`);
          return;
        }
        if (this.text(unitIndex + 1) === 'ago') {
          if (unit === 'hour') {
            this.reasons.set(i, 'a whole hour some hours ago is not a range this reads; ask for "the last N hours"');
            return;
          }
          this.setRange(calendarRange(unit, -count, zone, now), i, unitIndex + 2);
          return;
        }
        count = Math.min(count, 100_000);
        this.setRange(rollingRange(count, unit, now), i, unitIndex + 1);
        return;
      }

      // last week / past month / this year / current month / this week so far
      const thisOrLast = ['this', 'current', 'last', 'past', 'previous', 'prior'].includes(word);
      const bareUnit = UNIT_WORDS[this.text(i + 1)];
      if (thisOrLast && bareUnit && BARE_UNITS.has(this.text(i + 1)) && !this.text(i + 1).endsWith('s')) {
        const end = this.text(i + 2) === 'so' && this.text(i + 3) === 'far' ? i + 4 : i + 2;
        if (word === 'this' || word === 'current') {
          if (bareUnit === 'hour') this.setRange(rollingRange(1, 'hour', now), i, end);
          else this.setRange(calendarRange(bareUnit, 0, zone, now), i, end);
        } else if (word === 'past' || bareUnit === 'hour' || bareUnit === 'day') {
          this.setRange(rollingRange(1, bareUnit, now), i, end);
        } else {
          this.setRange(calendarRange(bareUnit, -1, zone, now), i, end);
        }
        return;
      }

      // week to date, mtd, ytd
      const toDate: Record<string, 'week' | 'month' | 'year'> = wordTable({ wtd: 'week', mtd: 'month', ytd: 'year' });
      if (toDate[word]) {
        this.setRange(calendarRange(toDate[word], 0, zone, now), i, i + 1);
        return;
      }
      if (['week', 'month', 'year'].includes(word) && this.text(i + 1) === 'to' && this.text(i + 2) === 'date') {
        this.setRange(calendarRange(word as 'week' | 'month' | 'year', 0, zone, now), i, i + 3);
        return;
      }

      if (word === 'today') {
        this.setRange(calendarRange('day', 0, zone, now), i, i + 1);
        return;
      }
      if (word === 'yesterday') {
        const dayBefore = this.text(i - 1) === 'before' && this.text(i - 2) === 'day';
        if (dayBefore) {
          this.setRange(calendarRange('day', -2, zone, now), i - 2, i + 1);
          if (this.text(i - 3) === 'the') this.take(i - 3, i - 2, '');
          return;
        }
        this.setRange(calendarRange('day', -1, zone, now), i, i + 1);
        return;
      }

      // in 2025, during 2024: a calendar year up to now
      if (/^(19|20)\d{2}$/.test(word) && ['in', 'during', 'for', 'throughout', 'of'].includes(this.text(i - 1))) {
        const year = Number(word);
        const today = localDay(now, zone);
        if (year > today.year) {
          this.reasons.set(i, `a year in the future has no data yet, but got ${year}`);
          return;
        }
        this.setRange({ ...calendarRange('year', year - today.year, zone, now), phrase: `in ${year}`, title: String(year) }, i, i + 1);
        return;
      }

      // in March / March 2026 / on 2026-03-01 / on Monday
      const monthAt = (j: number): number | undefined => (this.free(j) ? MONTHS[this.text(j)] : undefined);
      const month = monthAt(i);
      if (month && !this.dateAt(i)) {
        const yearText = this.text(i + 1);
        const explicitYear = /^(19|20)\d{2}$/.test(yearText) ? Number(yearText) : null;
        // "may" is also a verb: take it as a month only with a year or after in/during/since.
        if (this.text(i) === 'may' && explicitYear === null && !['in', 'during', 'for', 'of'].includes(this.text(i - 1))) return;
        const today = localDay(now, zone);
        const year = explicitYear ?? (month <= today.month ? today.year : today.year - 1);
        this.setRange(monthRange(year, month, zone, now), i, explicitYear === null ? i + 1 : i + 2);
        return;
      }
      const day = this.dateAt(i);
      if (day) {
        this.setRange(dayRange(day.day, zone, now), i, day.end);
      }
    });
  }

  // ------------------------------------------------------------ buckets

  private setBucket(bucket: TimeBucket | null, from: number, to: number, words: string): void {
    if (this.bucket && bucket && this.bucket !== bucket) {
      this.reasons.set(from, `the question already asks for ${this.bucket.toLowerCase()} buckets`);
      return;
    }
    if (bucket) this.bucket = bucket;
    else this.autoBucket = true;
    this.take(from, to, words);
  }

  private readBuckets(): void {
    const unitBucket = (text: string): TimeBucket | null => (BARE_UNITS.has(text) || text === 'date' || text === 'dates' ? (BUCKET_OF_UNIT[UNIT_WORDS[text] ?? 'day'] ?? null) : null);
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      if (BUCKET_ADVERBS[word]) return this.setBucket(BUCKET_ADVERBS[word], i, i + 1, word);
      // day by day, week over week, month-to-month
      const unit = unitBucket(word);
      if (unit && ['by', 'over', 'to', 'on'].includes(this.text(i + 1)) && unitBucket(this.text(i + 2)) === unit) {
        return this.setBucket(unit, i, i + 3, `${word.replace(/s$/, '')} by ${word.replace(/s$/, '')}`);
      }
      const shorthand: Record<string, TimeBucket> = wordTable({ dod: 'DAY', wow: 'WEEK', mom: 'MONTH' });
      if (shorthand[word]) return this.setBucket(shorthand[word], i, i + 1, word);
      // per day, by the hour, each week, every month, a day
      if (['per', 'by', 'each', 'every', 'a', 'an'].includes(word)) {
        const skip = this.text(i + 1) === 'the' ? 1 : 0;
        const bucket = unitBucket(this.text(i + 1 + skip));
        if (bucket) return this.setBucket(bucket, i, i + 2 + skip, `per ${this.text(i + 1 + skip).replace(/s$/, '')}`);
      }
      if ((word === 'over' || word === 'through' || word === 'across') && this.text(i + 1) === 'time') return this.setBucket(null, i, i + 2, 'over time');
      if (word === 'time' && this.text(i + 1) === 'series') return this.setBucket(null, i, i + 2, 'over time');
      if (TREND_WORDS.has(word)) return this.setBucket(null, i, i + 1, 'over time');
      // "which day", "busiest hour", "days": a bare unit is a bucket
      if (unit) return this.setBucket(unit, i, i + 1, `per ${word.replace(/s$/, '')}`);
    });
  }

  // ------------------------------------------------------------ status and BYOK

  private setStatus(status: CallStatus, from: number, to: number): void {
    if (this.status && this.status !== status) {
      this.reasons.set(from, 'the question already keeps only one kind of call');
      return;
    }
    this.status = status;
    this.take(from, to, status === 'ERROR' ? 'errors only' : 'successful calls only');
  }

  private setByok(value: boolean, from: number, to: number): void {
    if (this.isByok !== null && this.isByok !== value) {
      this.reasons.set(from, 'the question already keeps only one kind of key');
      return;
    }
    this.isByok = value;
    this.take(from, to, value ? 'BYOK only' : 'platform keys only');
  }

  private addDimension(dimension: Dimension, from: number, to: number, words: string): void {
    if (!this.dimensions.some((d) => d.dimension === dimension)) this.dimensions.push({ dimension, at: from });
    this.take(from, to, words);
  }

  private readStatusAndKeyPhrases(): void {
    const callNoun = (j: number) => REQUEST_WORDS.has(this.text(j));
    const isError = (j: number) => ERROR_WORDS.has(this.text(j));
    const isSuccess = (j: number) => SUCCESS_WORDS.has(this.text(j));
    const isByokWord = (j: number) => this.text(j) === 'byok';
    const platformAt = (j: number): number => {
      // "platform", "platform keys", "non byok", "our keys"
      if (this.text(j) === 'platform') return this.text(j + 1) === 'key' || this.text(j + 1) === 'keys' ? j + 2 : j + 1;
      if ((this.text(j) === 'non' || this.text(j) === 'not') && isByokWord(j + 1)) return j + 2;
      return -1;
    };
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      // success vs errors, errors and successes: a split by status
      if ((isSuccess(i) && CONJUNCTIONS.has(this.text(i + 1)) && isError(i + 2)) || (isError(i) && CONJUNCTIONS.has(this.text(i + 1)) && isSuccess(i + 2))) {
        this.impliedMetric ??= { metric: 'REQUESTS', at: i };
        return this.addDimension('STATUS', i, i + 3, 'by status');
      }
      // byok vs platform, platform vs byok, by byok, byok split
      const platformFirst = platformAt(i);
      if (platformFirst > 0 && ['vs', 'versus', 'or', 'and'].includes(this.text(platformFirst)) && isByokWord(platformFirst + 1)) {
        return this.addDimension('IS_BYOK', i, platformFirst + 2, 'BYOK or not');
      }
      if (isByokWord(i) && ['vs', 'versus', 'or', 'and'].includes(this.text(i + 1))) {
        const end = platformAt(i + 2);
        if (end > 0) return this.addDimension('IS_BYOK', i, end, 'BYOK or not');
        if (this.text(i + 2) === 'not') return this.addDimension('IS_BYOK', i, i + 3, 'BYOK or not');
      }
      if (['by', 'per', 'across'].includes(word) && isByokWord(i + 1)) return this.addDimension('IS_BYOK', i, i + 2, 'BYOK or not');
      if (isByokWord(i) && ['split', 'breakdown', 'share'].includes(this.text(i + 1))) return this.addDimension('IS_BYOK', i, i + 2, 'BYOK or not');
      if (word === 'key' && ['type', 'source', 'kind'].includes(this.text(i + 1))) return this.addDimension('IS_BYOK', i, i + 2, 'BYOK or not');
      // platform keys only, non-byok, without byok
      if (platformFirst > 0) return this.setByok(false, i, this.text(platformFirst) === 'only' ? platformFirst + 1 : platformFirst);
      if ((word === 'without' || word === 'excluding') && isByokWord(i + 1)) return this.setByok(false, i, i + 2);
      // byok only, only byok, byok calls, own keys, bring your own key
      if (isByokWord(i)) return this.setByok(true, i, this.text(i + 1) === 'only' || this.text(i + 1) === 'keys' ? i + 2 : i + 1);
      if (word === 'own' && (this.text(i + 1) === 'key' || this.text(i + 1) === 'keys')) return this.setByok(true, i, i + 2);
      if (word === 'own' && this.text(i + 1) === 'api' && ['key', 'keys'].includes(this.text(i + 2))) return this.setByok(true, i, i + 3);

      // errors only, only errors, only failed calls, just failures, without errors
      if ((word === 'only' || word === 'just') && (isError(i + 1) || isSuccess(i + 1))) {
        const end = callNoun(i + 2) ? i + 3 : i + 2;
        return this.setStatus(isError(i + 1) ? 'ERROR' : 'SUCCESS', i, end);
      }
      if (isError(i) || isSuccess(i)) {
        const noun = callNoun(i + 1) ? 1 : 0;
        if (this.text(i + 1 + noun) === 'only') return this.setStatus(isError(i) ? 'ERROR' : 'SUCCESS', i, i + 2 + noun);
      }
      if (['without', 'excluding', 'no', 'except'].includes(word) && isError(i + 1)) return this.setStatus('SUCCESS', i, i + 2);
      // percentage of failed calls, share of errors: a rate
      const rateBefore = RATE_WORDS.has(this.text(i - 1)) ? i - 1 : this.text(i - 1) === 'of' && (RATE_WORDS.has(this.text(i - 2)) || SHARE_WORDS.has(this.text(i - 2))) ? i - 2 : -1;
      if (rateBefore >= 0 && isError(i)) {
        this.addMetric('ERROR_RATE', rateBefore);
        return this.take(rateBefore, callNoun(i + 1) ? i + 2 : i + 1, 'error rate');
      }
      // failed calls, successful requests, cost of errors: a filter when something else is measured
      if ((isError(i) || isSuccess(i)) && callNoun(i + 1) && !RATE_WORDS.has(this.text(i + 2)) && !RATE_WORDS.has(this.text(i - 1))) {
        this.statusPhrase = { status: isError(i) ? 'ERROR' : 'SUCCESS', at: i };
        this.take(i, i + 2, isError(i) ? 'failed calls' : 'successful calls');
        return;
      }
      if (['of', 'on', 'from', 'in'].includes(this.text(i - 1)) && isError(i) && !RATE_WORDS.has(this.text(i + 1))) {
        this.statusPhrase = { status: 'ERROR', at: i };
        this.take(i, i + 1, 'failed calls');
      }
    });
  }

  private readCompoundDimensions(): void {
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      if (['request', 'requests', 'call', 'calls', 'req'].includes(word) && ['type', 'types', 'kind', 'kinds'].includes(this.text(i + 1))) {
        return this.addDimension('REQUEST_TYPE', i, i + 2, 'by request type');
      }
      if (word === 'use' && (this.text(i + 1) === 'case' || this.text(i + 1) === 'cases')) return this.addDimension('REQUEST_TYPE', i, i + 2, 'by request type');
    });
  }

  // ------------------------------------------------------------ names

  private addEntityFilter(kind: EntityKind, values: string[], from: number, to: number, label: string): void {
    let start = from;
    let end = to;
    // "model gpt-4o", "gpt-4o model", "agent support-bot"
    if (ENTITY_NOUNS[kind].has(this.text(start - 1))) start--;
    else if (ENTITY_NOUNS[kind].has(this.text(end)) && SINGULAR_NOUNS.has(this.text(end))) end++;
    const exclude = EXCLUDE_WORDS.has(this.text(start - 1)) || (this.text(start - 2) === 'other' && this.text(start - 1) === 'than');
    if (exclude) start -= this.text(start - 1) === 'than' ? 2 : 1;
    this.entityFilters.push({ kind, values, exclude, at: from });
    this.take(start, end, `${exclude ? 'excluding ' : ''}${ENTITY_WORDS[kind]} ${label}`);
  }

  /** Spans of free tokens starting at i, longest first, as (end, joined norm). */
  private spans(i: number, longest: number): { end: number; norm: string; single: boolean }[] {
    const spans: { end: number; norm: string; single: boolean }[] = [];
    let norm = '';
    for (let end = i + 1; end <= Math.min(this.tokens.length, i + longest); end++) {
      if (!this.free(end - 1)) break;
      norm += this.tokens[end - 1].norm;
      if (this.wholeChunks(i, end)) spans.push({ end, norm, single: end === i + 1 });
    }
    return spans.reverse();
  }

  private readExactEntities(): void {
    if (this.entities.length === 0) return;
    const byNorm = new Map<string, Entity[]>();
    for (const entity of this.entities) for (const norm of entity.norms) byNorm.set(norm, [...(byNorm.get(norm) ?? []), entity]);
    this.eachFree((i) => {
      if (!this.free(i)) return;
      for (const span of this.spans(i, 8)) {
        let candidates = byNorm.get(span.norm);
        if (!candidates || span.norm === '') continue;
        const nounBefore = Object.entries(ENTITY_NOUNS).find(([, nouns]) => nouns.has(this.text(i - 1)))?.[0] as EntityKind | undefined;
        if (nounBefore && candidates.some((c) => c.kind === nounBefore)) candidates = candidates.filter((c) => c.kind === nounBefore);
        // A name that is also a word of the vocabulary ("chat" is fine, "cost" is not) needs its noun.
        else if (span.single && VOCABULARY.has(this.text(i))) continue;
        const entity = KIND_PREFERENCE.map((kind) => candidates.find((c) => c.kind === kind)).find(Boolean)!;
        this.addEntityFilter(entity.kind, [entity.value], i, span.end, entity.label);
        return;
      }
    });
  }

  /** "claude" -> every claude model; "sonnet", "haiku", "gemini 2.5": the models whose names hold those parts. */
  private readNameFamilies(): void {
    const models = this.entities.filter((e) => e.kind === 'MODEL');
    if (models.length === 0) return;
    this.eachFree((i) => {
      if (!this.free(i)) return;
      for (const span of this.spans(i, 6)) {
        if (span.norm.length < 3 || /^\d+$/.test(span.norm)) continue;
        if (span.single && VOCABULARY.has(this.text(i))) continue;
        const matches = models.filter((model) => {
          for (let start = 0; start < model.segments.length; start++) {
            let joined = '';
            for (let end = start; end < model.segments.length; end++) {
              joined += model.segments[end];
              if (joined === span.norm) return true;
              if (joined.length >= span.norm.length) break;
            }
          }
          return false;
        });
        if (matches.length === 0) continue;
        const words = this.tokens
          .slice(i, span.end)
          .map((t) => t.text)
          .join(' ');
        this.addEntityFilter('MODEL', matches.map((m) => m.value), i, span.end, matches.length === 1 ? matches[0].label : `${words} (${matches.map((m) => m.value).join(', ')})`);
        return;
      }
    });
  }

  /** One-letter typos in model and provider names, taken only when exactly one name is that close. */
  private readTypos(): void {
    const names = this.entities.filter((e) => e.kind === 'MODEL' || e.kind === 'PROVIDER');
    if (names.length === 0) return;
    this.eachFree((i) => {
      if (!this.free(i)) return;
      for (const span of this.spans(i, 6)) {
        if (span.norm.length < 4) continue;
        if (span.single && VOCABULARY.has(this.text(i))) continue;
        const close = names.filter((entity) => entity.norms.some((norm) => withinOneEdit(span.norm, norm)));
        const distinct = [...new Map(close.map((e) => [`${e.kind}:${e.value}`, e])).values()];
        if (distinct.length === 1) {
          this.addEntityFilter(distinct[0].kind, [distinct[0].value], i, span.end, distinct[0].label);
          return;
        }
        if (distinct.length > 1) {
          const words = this.tokens
            .slice(i, span.end)
            .map((t) => t.text)
            .join(' ');
          this.reasons.set(i, `"${words}" is close to several names: ${distinct.map((e) => e.value).join(', ')}`);
          return;
        }
      }
    });
  }

  // ------------------------------------------------------------ measures

  private addMetric(metric: Metric, at: number, weak = false): void {
    this.metrics.push({ metric, at, weak });
  }

  private readRanking(): void {
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      const setRanking = (ranking: 'most' | 'least') => {
        this.ranking ??= ranking;
      };
      // top 5, bottom 3, top-10, top5
      const glued = /^(top|bottom)(\d{1,3})$/.exec(word);
      if (word === 'top' || word === 'bottom' || glued) {
        const count = glued ? Number(glued[2]) : this.numberAt(i + 1);
        setRanking(word.startsWith('bottom') ? 'least' : 'most');
        if (count !== null) {
          if (count < 1 || count > 100) {
            this.reasons.set(i, `top takes 1 to 100, but got ${count}`);
            return;
          }
          this.limit = count;
          this.take(i, glued ? i + 1 : i + 2, `${glued ? glued[1] : word} ${count}`);
          return;
        }
        // "top model" is one; "top models" a handful
        const noun = this.text(i + 1);
        this.limit = SINGULAR_NOUNS.has(noun) ? 1 : 5;
        this.take(i, i + 1, `${word} ${this.limit}`);
        return;
      }
      const next = this.text(i + 1);
      if (word === 'most' && ['used', 'popular', 'active', 'called', 'busy'].includes(next)) {
        setRanking('most');
        this.impliedMetric ??= { metric: 'REQUESTS', at: i };
        return this.take(i, i + 2, `most ${next}`);
      }
      if (word === 'least' && ['used', 'popular', 'active', 'called', 'busy'].includes(next)) {
        setRanking('least');
        this.impliedMetric ??= { metric: 'REQUESTS', at: i };
        return this.take(i, i + 2, `least ${next}`);
      }
      if ((word === 'most' || word === 'least') && ['expensive', 'costly', 'pricey'].includes(next)) {
        setRanking(word);
        this.impliedMetric ??= { metric: 'TOTAL_COST', at: i };
        return this.take(i, i + 2, `${word} expensive`);
      }
      if (['busiest', 'popular'].includes(word)) {
        setRanking('most');
        this.impliedMetric ??= { metric: 'REQUESTS', at: i };
        return this.take(i, i + 1, word);
      }
      if (['costliest', 'priciest', 'expensive'].includes(word)) {
        setRanking('most');
        this.impliedMetric ??= { metric: 'TOTAL_COST', at: i };
        return this.take(i, i + 1, word);
      }
      if (word === 'cheapest') {
        setRanking('least');
        this.impliedMetric ??= { metric: 'TOTAL_COST', at: i };
        return this.take(i, i + 1, word);
      }
      if (word === 'slowest') {
        setRanking('most');
        this.impliedMetric ??= { metric: 'AVG_LATENCY_MS', at: i };
        return this.take(i, i + 1, word);
      }
      if (word === 'fastest' || word === 'quickest') {
        setRanking('least');
        this.impliedMetric ??= { metric: 'AVG_LATENCY_MS', at: i };
        return this.take(i, i + 1, word);
      }
      if (MOST_WORDS.has(word)) {
        setRanking('most');
        return this.take(i, i + 1, word);
      }
      if (LEAST_WORDS.has(word)) {
        setRanking('least');
        return this.take(i, i + 1, word);
      }
      if (RANK_WORDS.has(word)) {
        setRanking('most');
        return this.take(i, i + 1, word);
      }
    });
  }

  private readMetrics(): void {
    // reasoning (thinking) tokens, cache read / cached tokens, cache write tokens, unpriced requests
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const [word, next, after] = [this.text(i), this.text(i + 1), this.text(i + 2)];
      if ((word === 'reasoning' || word === 'thinking') && TOKEN_WORDS.has(next)) {
        this.addMetric('REASONING_TOKENS', i);
        return this.take(i, i + 2, 'reasoning tokens');
      }
      if (word === 'cached' && TOKEN_WORDS.has(next)) {
        this.addMetric('CACHE_READ_TOKENS', i);
        return this.take(i, i + 2, 'cache read tokens');
      }
      const cacheSide = word === 'cache' ? CACHE_SIDES[next] : undefined;
      if (cacheSide && TOKEN_WORDS.has(after)) {
        this.addMetric(cacheSide === 'read' ? 'CACHE_READ_TOKENS' : 'CACHE_WRITE_TOKENS', i);
        return this.take(i, i + 3, `cache ${cacheSide} tokens`);
      }
      if (word === 'unpriced' && REQUEST_WORDS.has(next)) {
        this.addMetric('UNPRICED_REQUESTS', i);
        return this.take(i, i + 2, 'unpriced requests');
      }
    });

    // error rate, failure %, rate of errors, % errors
    this.eachFree((i) => {
      if (!this.free(i)) return;
      if (ERROR_WORDS.has(this.text(i)) && RATE_WORDS.has(this.text(i + 1))) {
        this.addMetric('ERROR_RATE', i);
        return this.take(i, i + 2, 'error rate');
      }
      if (RATE_WORDS.has(this.text(i)) && this.text(i + 1) === 'of' && ERROR_WORDS.has(this.text(i + 2))) {
        this.addMetric('ERROR_RATE', i);
        return this.take(i, i + 3, 'error rate');
      }
      if (this.text(i) === '%' && ERROR_WORDS.has(this.text(i + 1))) {
        this.addMetric('ERROR_RATE', i);
        return this.take(i, i + 2, 'error rate');
      }
    });

    // latency: response time, how long, p95, 95th percentile, median, average
    let latencyNoun = -1;
    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      if (word === 'response' && (this.text(i + 1) === 'time' || this.text(i + 1) === 'times')) {
        latencyNoun = latencyNoun < 0 ? i : latencyNoun;
        return this.take(i, i + 2, 'response time');
      }
      if (word === 'how' && this.text(i + 1) === 'long') {
        latencyNoun = latencyNoun < 0 ? i : latencyNoun;
        return this.take(i, i + 2, 'how long');
      }
      if (LATENCY_WORDS.has(word)) {
        latencyNoun = latencyNoun < 0 ? i : latencyNoun;
        return this.take(i, i + 1, word);
      }
      const percentile = /^p(50|95|99)$/.exec(word) ?? /^(50|95|99)(th)?$/.exec(word);
      if (percentile && (word.startsWith('p') || ['percentile', 'pct', '%'].includes(this.text(i + 1)) || word.endsWith('th'))) {
        const metric = `P${percentile[1]}_LATENCY_MS` as Metric;
        const end = !word.startsWith('p') && ['percentile', 'pct', '%'].includes(this.text(i + 1)) ? i + 2 : i + 1;
        this.latencyKinds.push({ metric, at: i, end, words: `p${percentile[1]}` });
        return;
      }
      if (/^p\d+$/.test(word)) {
        this.reasons.set(i, `the percentiles on offer are p50, p95 and p99, but got ${word}`);
        return;
      }
      if (word === 'median') this.latencyKinds.push({ metric: 'P50_LATENCY_MS', at: i, end: i + 1, words: 'median' });
      if (AVERAGE_WORDS.has(word)) this.latencyKinds.push({ metric: 'AVG_LATENCY_MS', at: i, end: i + 1, words: word });
    });

    // input/output tokens and costs: each modifier attaches to the nearest tokens or cost word
    const nounKind = (j: number): 'tokens' | 'cost' | null => (TOKEN_WORDS.has(this.text(j)) ? 'tokens' : COST_WORDS.has(this.text(j)) ? 'cost' : null);
    const modifiers: { side: 'INPUT' | 'OUTPUT'; at: number }[] = [];
    this.eachFree((i) => {
      if (INPUT_WORDS.has(this.text(i))) modifiers.push({ side: 'INPUT', at: i });
      else if (OUTPUT_WORDS.has(this.text(i))) modifiers.push({ side: 'OUTPUT', at: i });
    });
    const attachedNouns = new Set<number>();
    for (const modifier of modifiers) {
      let noun = -1;
      for (let j = modifier.at + 1; j < this.tokens.length && j <= modifier.at + 4; j++) {
        if (nounKind(j)) {
          noun = j;
          break;
        }
        if (!(CONJUNCTIONS.has(this.text(j)) || INPUT_WORDS.has(this.text(j)) || OUTPUT_WORDS.has(this.text(j)))) break;
      }
      if (noun < 0) for (let j = modifier.at - 1; j >= 0 && j >= modifier.at - 2; j--) if (nounKind(j)) noun = j;
      const kind = noun >= 0 ? nounKind(noun)! : 'tokens';
      this.addMetric(`${modifier.side}_${kind === 'tokens' ? 'TOKENS' : 'COST'}` as Metric, modifier.at);
      this.take(modifier.at, modifier.at + 1, `${modifier.side.toLowerCase()} ${kind}`);
      if (noun >= 0) attachedNouns.add(noun);
    }
    for (const noun of attachedNouns) this.take(noun, noun + 1, '');

    this.eachFree((i) => {
      if (!this.free(i)) return;
      const word = this.text(i);
      if (COST_WORDS.has(word)) {
        this.addMetric('TOTAL_COST', i);
        return this.take(i, i + 1, 'cost');
      }
      if (TOKEN_WORDS.has(word)) {
        this.addMetric('TOTAL_TOKENS', i);
        const start = this.text(i - 1) === 'total' ? i - 1 : i;
        return this.take(start, i + 1, 'tokens');
      }
      if (ERROR_WORDS.has(word)) {
        this.addMetric('ERROR_COUNT', i);
        return this.take(i, i + 1, 'errors');
      }
      if ((REQUEST_WORDS.has(word) || TOKEN_WORDS.has(word)) && this.text(i - 1) === 'per' && !this.tokens[i - 1].used) {
        this.reasons.set(i - 1, `an average per ${word.replace(/s$/, '')} is not something the metrics engine measures; ask for the total and the number of requests`);
        this.tokens[i - 1].blocked = true;
        this.tokens[i].blocked = true;
        return;
      }
      if (REQUEST_WORDS.has(word)) {
        // "number of calls", "calls and cost": asked for; "cost of gpt-4o calls": only the noun
        const counted = (this.text(i - 1) === 'of' && ['number', 'count'].includes(this.text(i - 2))) || ['count', 'volume'].includes(this.text(i + 1));
        const joined = CONJUNCTIONS.has(this.text(i - 1)) || CONJUNCTIONS.has(this.text(i + 1));
        this.addMetric('REQUESTS', i, !(counted || joined));
        const start = counted && this.text(i - 1) === 'of' ? i - 2 : i;
        return this.take(start, this.text(i + 1) === 'count' || this.text(i + 1) === 'volume' ? i + 2 : i + 1, 'requests');
      }
      if (VOLUME_WORDS.has(word)) {
        this.addMetric('REQUESTS', i, true);
        return this.take(i, i + 1, word);
      }
    });

    // average, median and percentiles qualify latency; without a word for latency they imply it
    // only when nothing else is measured ("p95 by model", but not "median cost")
    const hasLatency = latencyNoun >= 0 || this.impliedMetric?.metric === 'AVG_LATENCY_MS';
    const otherMeasures = this.metrics.some((m) => !m.weak) || this.impliedMetric !== null;
    const percentilesOnly = this.latencyKinds.every((kind) => kind.metric !== 'AVG_LATENCY_MS');
    const kindsApply = hasLatency || (!otherMeasures && percentilesOnly);
    for (const kind of this.latencyKinds) {
      if (kindsApply) {
        this.addMetric(kind.metric, kind.at);
        this.take(kind.at, kind.end, kind.words);
      } else {
        this.reasons.set(kind.at, kind.metric === 'AVG_LATENCY_MS' ? 'averages are offered for latency only' : `"${kind.words}" goes with latency only`);
      }
    }
    if (hasLatency && this.latencyKinds.length === 0) {
      this.addMetric('AVG_LATENCY_MS', latencyNoun >= 0 ? latencyNoun : this.impliedMetric!.at);
    }
  }

  private readDimensions(): void {
    this.eachFree((i) => {
      const dimension = DIMENSION_NOUNS[this.text(i)];
      if (dimension) this.addDimension(dimension, i, i + 1, `by ${dimensionWords(dimension)}`);
    });
  }

  private readShareWords(): void {
    this.eachFree((i) => {
      if (SHARE_WORDS.has(this.text(i))) {
        this.asksForShare = true;
        this.take(i, i + 1, this.text(i));
      }
      if (this.text(i) === 'broken' && this.text(i + 1) === 'down') {
        this.asksForShare = true;
        this.take(i, i + 2, 'broken down');
      }
    });
  }

  private readFiller(): void {
    this.eachFree((i) => {
      if (FILLER.has(this.text(i))) this.take(i, i + 1, '');
    });
  }

  // ------------------------------------------------------------ the result

  /** Tokens [from, to) as typed: whole written words where the run covers them, else the words read. */
  private writtenWords(from: number, to: number): string {
    const parts: string[] = [];
    for (let i = from; i < to; i++) {
      const chunk = this.tokens[i].chunk;
      let end = i;
      while (end + 1 < to && this.tokens[end + 1].chunk === chunk) end++;
      const whole = this.wholeChunks(i, end + 1);
      parts.push(whole ? this.tokens[i].written : this.tokens.slice(i, end + 1).map((t) => t.text).join(' '));
      i = end;
    }
    return parts.join(' ');
  }

  private failure(message: string, unplaced: string[]): ParseOutcome {
    return { ok: false, message, understood: this.understoodWords(), unplaced };
  }

  private understoodWords(): string[] {
    return [...this.understood].sort((a, b) => a.at - b.at).map((u) => u.words);
  }

  private finish(): ParseOutcome {
    const examples = `Try a question like: ${EXAMPLE_QUESTIONS.map((q) => `"${q}"`).join(', ')}.`;
    const understood = this.understoodWords();
    const soFar = understood.length ? `Understood so far: ${understood.join(', ')}.` : 'Nothing in it names a measure, a grouping or a time range.';

    // A written word is placed whole or not at all: in "secret-model-x" the "model" is no grouping.
    const looseChunks = new Set(this.tokens.filter((t) => !t.used).map((t) => t.chunk));
    this.tokens.forEach((token, index) => {
      if (!looseChunks.has(token.chunk) || !token.used) return;
      token.used = false;
      const entry = this.understood.findIndex((u) => u.at === index);
      if (entry >= 0) this.understood.splice(entry, 1);
    });
    const understoodNow = this.understoodWords();
    const placedSoFar = understoodNow.length ? `Understood so far: ${understoodNow.join(', ')}.` : 'Nothing in it names a measure, a grouping or a time range.';

    // runs of words nothing placed, each with its reason when one is known
    const unplaced: string[] = [];
    for (let i = 0; i < this.tokens.length; i++) {
      if (this.tokens[i].used) continue;
      let end = i;
      while (end + 1 < this.tokens.length && !this.tokens[end + 1].used && !this.reasons.has(end + 1)) end++;
      const words = this.writtenWords(i, end + 1);
      const looksLikeName = /[a-z]/i.test(words) && /[\d_.-]/.test(words);
      const reason = this.reasons.get(i) ?? (looksLikeName ? 'not a model, provider or agent this workspace has used' : null);
      unplaced.push(reason ? `"${words}" (${reason})` : `"${words}"`);
      i = end;
    }
    if (unplaced.length > 0) {
      return this.failure(`Could not place ${listWords(unplaced)} in the question "${this.question.trim()}". ${placedSoFar} ${examples}`, unplaced);
    }

    const strong = this.metrics.filter((m) => !m.weak);
    let mentions = strong.length > 0 ? strong : this.metrics;
    if (this.impliedMetric && !mentions.some((m) => !m.weak)) mentions = [{ ...this.impliedMetric, weak: false }];
    let status = this.status;
    if (this.statusPhrase) {
      if (mentions.length === 0 || mentions.every((m) => m.metric === 'REQUESTS' && m.weak)) {
        // "failed calls by model": count them
        mentions = [{ metric: this.statusPhrase.status === 'ERROR' ? 'ERROR_COUNT' : 'REQUESTS', at: this.statusPhrase.at, weak: false }];
        if (this.statusPhrase.status === 'SUCCESS') status = 'SUCCESS';
      } else {
        status = this.statusPhrase.status;
      }
    }
    const metrics = [...new Set([...mentions].sort((a, b) => a.at - b.at).map((m) => m.metric))];
    if (metrics.length === 0) {
      return this.failure(
        `Found nothing to measure in the question "${this.question.trim()}": name cost, tokens, requests, latency or errors. ${soFar} ${examples}`,
        [],
      );
    }

    const { now } = this.context;
    const zone = this.zoneOrDefault;
    const range = this.range ?? defaultRange(this.bucket, this.autoBucket, now);
    if (range.from.getTime() >= range.to.getTime()) {
      return this.failure(`The time range ${range.title} has not started yet, so it has no data. ${examples}`, []);
    }

    let bucket = this.bucket;
    if (!bucket && this.autoBucket) bucket = bucketFor(range.to.getTime() - range.from.getTime());
    if (bucket) {
      const buckets = Math.ceil((range.to.getTime() - range.from.getTime()) / BUCKET_MS[bucket]);
      if (buckets > MAX_BUCKETS) {
        return this.failure(
          `${bucketWords(bucket)} ${range.phrase} would draw ${buckets.toLocaleString('en-US')} points, more than the ${MAX_BUCKETS.toLocaleString('en-US')} a chart shows: ask for a coarser bucket or a shorter range. ${examples}`,
          [],
        );
      }
    }

    const dimensions = this.dimensions.map((d) => d.dimension);
    const filter: UsageFilterJson = {};
    for (const kind of KIND_PREFERENCE) {
      const filters = this.entityFilters.filter((f) => f.kind === kind);
      if (filters.length === 0) continue;
      const included = [...new Set(filters.filter((f) => !f.exclude).flatMap((f) => f.values))];
      const excluded = new Set(filters.filter((f) => f.exclude).flatMap((f) => f.values));
      const values =
        included.length > 0
          ? included.filter((v) => !excluded.has(v))
          : this.entities.filter((e) => e.kind === kind && !excluded.has(e.value)).map((e) => e.value);
      if (values.length === 0) {
        return this.failure(`The question leaves no ${ENTITY_WORDS[kind]} to show: every one it names is also excluded. ${examples}`, []);
      }
      filter[FILTER_KEY[kind]] = values;
      // "gpt-4o vs claude-sonnet-4-5": naming two of a kind compares them
      const named = filters.filter((f) => !f.exclude).length;
      if (named >= 2 && dimensions.length === 0) dimensions.push(kind);
    }
    if (this.userIds.length > 0) filter.userIds = [...new Set(this.userIds)];
    if (this.tags.length > 0) filter.tags = [...new Set(this.tags)];
    if (this.metadata.length > 0) filter.metadata = this.metadata;
    if (this.isByok !== null) filter.isByok = this.isByok;
    if (status) filter.status = status;
    if (dimensions.length > 2) {
      return this.failure(
        `A chart splits by at most two things, but the question asks for ${listWords(dimensions.map(dimensionWords))}. ${examples}`,
        [],
      );
    }

    const query: MetricsQueryJson = range.period
      ? { period: range.period, timezone: zone, metrics }
      : { from: range.from.toISOString(), to: range.to.toISOString(), timezone: zone, metrics };
    if (dimensions.length > 0) query.groupBy = dimensions;
    if (bucket) query.bucket = bucket;
    if (Object.keys(filter).length > 0) query.filter = filter;

    let topGroups: number | null = null;
    if (this.ranking && dimensions.length > 0) {
      if (bucket) {
        topGroups = this.limit;
      } else {
        query.orderBy = metrics[0];
        query.descending = this.ranking === 'most';
        if (this.limit !== null) query.limit = this.limit;
      }
    }

    return {
      ok: true,
      interpretation: {
        query,
        rangePhrase: range.phrase,
        rangeTitle: range.title,
        asksForShare: this.asksForShare,
        namedChartType: this.namedChartType,
        ranking: this.ranking,
        topGroups,
        understood,
      },
    };
  }
}

/**
 * The range when the question names none: the last 7 days, or for a time axis a range its
 * buckets suit (a day of hours, a month of days, a quarter of weeks, a year of months).
 */
function defaultRange(bucket: TimeBucket | null, overTime: boolean, now: Date): ResolvedRange {
  if (bucket === 'HOUR') return rollingRange(1, 'day', now);
  if (bucket === 'DAY' || (overTime && !bucket)) return rollingRange(30, 'day', now);
  if (bucket === 'WEEK') return rollingRange(90, 'day', now);
  if (bucket === 'MONTH') return rollingRange(365, 'day', now);
  return rollingRange(7, 'day', now);
}

function calendarDay(offset: number, zone: string, now: Date): LocalDay {
  const today = localDay(now, zone);
  const moved = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

const HOUR_MS = 3_600_000;
const BUCKET_MS: Record<TimeBucket, number> = { HOUR: HOUR_MS, DAY: 24 * HOUR_MS, WEEK: 7 * 24 * HOUR_MS, MONTH: 28 * 24 * HOUR_MS };

/** Most points a time chart draws: 1,000 hours is six weeks of hourly buckets. */
export const MAX_BUCKETS = 1000;

/** The bucket "over time" gets: hours up to two days, days up to three months, weeks up to six, then months. */
export function bucketFor(lengthMs: number): TimeBucket {
  const days = lengthMs / (24 * HOUR_MS);
  if (days <= 2) return 'HOUR';
  if (days <= 92) return 'DAY';
  if (days <= 184) return 'WEEK';
  return 'MONTH';
}

const DIMENSION_WORDS: Record<Dimension, string> = {
  MODEL: 'model',
  PROVIDER: 'provider',
  AGENT: 'agent',
  TIER: 'tier',
  IS_BYOK: 'BYOK or not',
  REQUEST_TYPE: 'request type',
  STATUS: 'status',
  WORKSPACE: 'workspace',
  WORKFLOW: 'workflow',
  USER: 'user',
  TAG: 'tag',
};

/** A dimension in words: "model", "request type". */
export function dimensionWords(dimension: Dimension): string {
  return DIMENSION_WORDS[dimension];
}

function bucketWords(bucket: TimeBucket): string {
  return { HOUR: 'Hourly buckets', DAY: 'Daily buckets', WEEK: 'Weekly buckets', MONTH: 'Monthly buckets' }[bucket];
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Reads a question into a metrics query and chart hints; never throws for a bad question. */
export function interpretQuestion(question: string, context: ParseContext): ParseOutcome {
  const trimmed = question.trim();
  if (trimmed === '') {
    return {
      ok: false,
      message: `The question is empty. Try a question like: ${EXAMPLE_QUESTIONS.map((q) => `"${q}"`).join(', ')}.`,
      understood: [],
      unplaced: [],
    };
  }
  if (trimmed.length > MAX_QUESTION_LENGTH) {
    return {
      ok: false,
      message: `A question may be at most ${MAX_QUESTION_LENGTH} characters, but got ${trimmed.length}.`,
      understood: [],
      unplaced: [],
    };
  }
  return new QuestionReader(trimmed, context).read();
}
