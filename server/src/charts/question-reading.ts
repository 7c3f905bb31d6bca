/**
 * One question being read: its tokens, which of them are taken or blocked, and the facts found so far.
 * A reading is a value: the matchers in read-*.ts only look at it, and apply() in question-finding.ts
 * makes the next one of what they found; question-answer.ts makes the query of the last.
 */
import type { CallStatus, Dimension, Metric, TimeBucket } from '../metrics/metrics.model';
import type { ChartType, ParseContext } from './question-types';
import { NUMBER_WORDS, VOCABULARY } from './question-words';
import { type Entity, type EntityKind, type Token, entitiesOf, tokenize } from './question-tokens';
import type { ResolvedRange } from './time-expressions';

export interface MetricMention {
  metric: Metric;
  at: number;
  /** A weak mention ("calls" in "cost of gpt-4o calls") only counts when nothing else is measured. */
  weak: boolean;
}

export interface EntityFilter {
  kind: EntityKind;
  values: string[];
  exclude: boolean;
  at: number;
  end: number;
}

export interface LatencyKind {
  metric: Metric;
  at: number;
  end: number;
  words: string;
}

export interface Reading {
  readonly question: string;
  readonly context: ParseContext;
  readonly entities: readonly Entity[];
  readonly tokens: readonly Token[];
  readonly understood: readonly { at: number; words: string }[];
  readonly reasons: ReadonlyMap<number, string>;

  readonly zone: string | null;
  readonly range: ResolvedRange | null;
  readonly bucket: TimeBucket | null;
  readonly autoBucket: boolean;
  readonly metrics: readonly MetricMention[];
  readonly dimensions: readonly { dimension: Dimension; at: number }[];
  readonly entityFilters: readonly EntityFilter[];
  readonly status: CallStatus | null;
  /** "failed calls": a filter when something else is measured, else the thing measured. */
  readonly statusPhrase: { status: CallStatus; at: number } | null;
  readonly isByok: boolean | null;
  readonly ranking: 'most' | 'least' | null;
  readonly limit: number | null;
  readonly asksForShare: boolean;
  readonly namedChartType: ChartType | null;
  /** The first word for latency ("latency", "response time", "how long"): average, median and percentiles qualify it. */
  readonly latencyNoun: number | null;
  readonly latencyKinds: readonly LatencyKind[];
  readonly impliedMetric: { metric: Metric; at: number } | null;
  readonly tags: readonly string[];
  readonly userIds: readonly string[];
  readonly metadata: readonly { key: string; value: string }[];
}

/** A question before any pass has read it. */
export function startReading(question: string, context: ParseContext): Reading {
  return {
    question,
    context,
    entities: entitiesOf(context.known),
    tokens: tokenize(question),
    understood: [],
    reasons: new Map(),
    zone: null,
    range: null,
    bucket: null,
    autoBucket: false,
    metrics: [],
    dimensions: [],
    entityFilters: [],
    status: null,
    statusPhrase: null,
    isByok: null,
    ranking: null,
    limit: null,
    asksForShare: false,
    namedChartType: null,
    latencyNoun: null,
    latencyKinds: [],
    impliedMetric: null,
    tags: [],
    userIds: [],
    metadata: [],
  };
}

export function free(r: Reading, i: number): boolean {
  return i >= 0 && i < r.tokens.length && !r.tokens[i].used && !r.tokens[i].blocked;
}

/** The positions of the tokens no pass has taken or blocked, in order. */
export function freePositions(r: Reading): number[] {
  return r.tokens.map((_, i) => i).filter((i) => free(r, i));
}

/** Whether tokens [from, to) cover whole written words, so "gpt" never matches inside "gpt-5". */
export function wholeChunks(r: Reading, from: number, to: number): boolean {
  const chunkOf = (i: number) => (i >= 0 && i < r.tokens.length ? r.tokens[i].chunk : -2);
  return chunkOf(from - 1) !== chunkOf(from) && chunkOf(to - 1) !== chunkOf(to);
}

/** Token i's word while it is free, else ''. */
export function text(r: Reading, i: number): string {
  return free(r, i) ? r.tokens[i].text : '';
}

export function numberAt(r: Reading, i: number): number | null {
  const word = text(r, i);
  if (/^\d{1,4}$/.test(word)) return Number(word);
  return NUMBER_WORDS[word] ?? null;
}

/** Token i's whole written word, when nothing took any of it and the vocabulary gives it no meaning: a name. */
export function nameAt(r: Reading, i: number): { value: string; end: number } | null {
  if (!free(r, i) || VOCABULARY.has(text(r, i))) return null;
  let end = i;
  while (end < r.tokens.length && r.tokens[end].chunk === r.tokens[i].chunk) {
    if (!free(r, end)) return null;
    end++;
  }
  if (!wholeChunks(r, i, end)) return null;
  return { value: r.tokens[i].written, end };
}

/** Spans of free tokens starting at i, longest first, as (end, joined norm). */
export function spans(r: Reading, i: number, longest: number): { end: number; norm: string; single: boolean }[] {
  const found: { end: number; norm: string; single: boolean }[] = [];
  let norm = '';
  for (let end = i + 1; end <= Math.min(r.tokens.length, i + longest); end++) {
    if (!free(r, end - 1)) break;
    norm += r.tokens[end - 1].norm;
    if (wholeChunks(r, i, end)) found.push({ end, norm, single: end === i + 1 });
  }
  return found.reverse();
}

/** Tokens [from, to) as typed: whole written words where the run covers them, else the words read. */
export function writtenWords(r: Reading, from: number, to: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const chunk = r.tokens[i].chunk;
    let end = i;
    while (end + 1 < to && r.tokens[end + 1].chunk === chunk) end++;
    const whole = wholeChunks(r, i, end + 1);
    parts.push(whole ? r.tokens[i].written : r.tokens.slice(i, end + 1).map((t) => t.text).join(' '));
    i = end;
  }
  return parts.join(' ');
}

/** The zone days and "today" are read in: the question's, else the workspace's. */
export function zoneOf(r: Reading): string {
  return r.zone ?? r.context.timezone;
}

export function understoodWords(r: Reading): string[] {
  return [...r.understood].sort((a, b) => a.at - b.at).map((u) => u.words);
}
