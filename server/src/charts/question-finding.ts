/**
 * What a matcher found, and the one place a reading changes: apply() makes the next reading of a
 * finding, and holds the rules for findings that clash with what the question already said.
 */
import type { CallStatus, Dimension, Metric, TimeBucket } from '../metrics/metrics.model';
import type { Token } from './question-tokens';
import type { ChartType } from './question-types';
import type { EntityFilter, LatencyKind, MetricMention, Reading } from './question-reading';
import type { ResolvedRange } from './time-expressions';

/** Tokens [from, to). */
export interface Span {
  from: number;
  to: number;
}

/** What a matcher found at one place: the words it takes and what they say, or why they cannot be read. */
export interface Finding {
  /** Tokens taken and the words understood of them; '' for words that only support others ("the", fillers). */
  take?: Span & { words: string };
  /** Tokens taken along with `take`, with no words of their own ("the" in "the week before last"); they fall with it. */
  also?: Span[];
  /** Why the word at `at` is not read, shown beside it when it stays unplaced. */
  reason?: { at: number; text: string };
  /** Tokens left for the message only, so no later pass reads them. */
  block?: Span;
  /** Token `at` read as another word: a one-letter typo of the vocabulary. */
  retype?: { at: number; text: string; norm: string };

  // Facts a question names once: a second, different one clashes (see clash below).
  zone?: string;
  range?: ResolvedRange;
  /** 'auto' for "over time": the bucket the range suits. */
  bucket?: TimeBucket | 'auto';
  status?: CallStatus;
  byok?: boolean;

  // Facts where the first one said wins.
  ranking?: 'most' | 'least';
  impliedMetric?: { metric: Metric; at: number };
  latencyNoun?: number;

  // Facts where the last one said wins.
  limit?: number;
  statusPhrase?: { status: CallStatus; at: number };
  chartType?: ChartType;
  share?: true;

  // Facts that add up.
  metric?: MetricMention;
  dimension?: { dimension: Dimension; at: number };
  entityFilter?: EntityFilter;
  latencyKind?: LatencyKind;
  tag?: string;
  userId?: string;
  metadata?: { key: string; value: string };
}

/** What a matcher returns: one finding, several to apply in order, or nothing. */
export type Found = Finding | readonly Finding[] | null;

/**
 * Why a finding cannot stand beside what the reading holds: a question names one time range,
 * one zone, one bucket, one kind of call and one kind of key. Saying the same one twice is fine.
 */
function clash(r: Reading, f: Finding): string | null {
  if (f.zone !== undefined && r.zone && r.zone !== f.zone) return `the question already names the timezone ${r.zone}`;
  if (f.range && r.range) return `the question already names a time range: ${r.range.title}`;
  if (f.bucket && f.bucket !== 'auto' && r.bucket && r.bucket !== f.bucket) return `the question already asks for ${r.bucket.toLowerCase()} buckets`;
  if (f.status && r.status && r.status !== f.status) return 'the question already keeps only one kind of call';
  if (f.byok !== undefined && r.isByok !== null && r.isByok !== f.byok) return 'the question already keeps only one kind of key';
  return null;
}

/** The reading with a finding's words taken and its facts set; the reading given is left as it was. */
export function apply(r: Reading, f: Finding): Reading {
  const clashing = f.take ? clash(r, f) : null;
  if (clashing && f.take) {
    // A second range's words are kept from later passes, so "last week" after "yesterday" is reported, not read as a bucket.
    const tokens = f.range ? mark(r.tokens, [f.take], 'blocked') : r.tokens;
    return { ...r, tokens, reasons: withReason(r.reasons, f.take.from, clashing) };
  }
  let tokens = mark(mark(r.tokens, [f.take, ...(f.also ?? [])], 'used'), [f.block], 'blocked');
  if (f.retype) {
    const { at, text, norm } = f.retype;
    tokens = tokens.map((token, i) => (i === at ? { ...token, text, norm } : token));
  }
  const added = <T>(list: readonly T[], item: T | undefined): readonly T[] => (item === undefined ? list : [...list, item]);
  const newDimension = f.dimension && !r.dimensions.some((d) => d.dimension === f.dimension!.dimension) ? f.dimension : undefined;
  return {
    ...r,
    tokens,
    understood: f.take?.words ? [...r.understood, { at: f.take.from, words: f.take.words }] : r.understood,
    reasons: f.reason ? withReason(r.reasons, f.reason.at, f.reason.text) : r.reasons,
    zone: f.zone ?? r.zone,
    range: f.range ?? r.range,
    bucket: f.bucket && f.bucket !== 'auto' ? f.bucket : r.bucket,
    autoBucket: r.autoBucket || f.bucket === 'auto',
    status: f.status ?? r.status,
    isByok: f.byok ?? r.isByok,
    ranking: r.ranking ?? f.ranking ?? null,
    impliedMetric: r.impliedMetric ?? f.impliedMetric ?? null,
    latencyNoun: r.latencyNoun ?? f.latencyNoun ?? null,
    limit: f.limit ?? r.limit,
    statusPhrase: f.statusPhrase ?? r.statusPhrase,
    namedChartType: f.chartType ?? r.namedChartType,
    asksForShare: r.asksForShare || f.share === true,
    metrics: added(r.metrics, f.metric),
    dimensions: added(r.dimensions, newDimension),
    entityFilters: added(r.entityFilters, f.entityFilter),
    latencyKinds: added(r.latencyKinds, f.latencyKind),
    tags: added(r.tags, f.tag),
    userIds: added(r.userIds, f.userId),
    metadata: added(r.metadata, f.metadata),
  };
}

/** Each finding applied in turn, each seeing what the ones before it took. */
export function applyAll(r: Reading, found: Found): Reading {
  if (found === null) return r;
  return Array.isArray(found) ? found.reduce(apply, r) : apply(r, found as Finding);
}

function mark(tokens: readonly Token[], spans: readonly (Span | undefined)[], flag: 'used' | 'blocked'): readonly Token[] {
  const marked = spans.filter((span): span is Span => span !== undefined);
  if (marked.length === 0) return tokens;
  return tokens.map((token, i) => (marked.some((span) => i >= span.from && i < span.to) ? { ...token, [flag]: true } : token));
}

function withReason(reasons: ReadonlyMap<number, string>, at: number, reason: string): ReadonlyMap<number, string> {
  return new Map(reasons).set(at, reason);
}
