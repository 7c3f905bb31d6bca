/**
 * One question being read: its tokens, which of them each pass has taken, and what they said.
 * The passes in read-*.ts take words in turn; question-answer.ts makes the query of what they found.
 */
import type { CallStatus, Dimension, Metric, TimeBucket } from '../metrics/metrics.model';
import type { ChartType, ParseContext, ParseOutcome } from './question-types';
import { NUMBER_WORDS, SINGULAR_NOUNS, VOCABULARY } from './question-words';
import { ENTITY_NOUNS, ENTITY_WORDS, EXCLUDE_PAIRS, EXCLUDE_WORDS, type Entity, type EntityKind, type Token, entitiesOf, tokenize } from './question-tokens';
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

/** A question and what the passes have read of it so far; each pass takes only words no earlier pass took. */
export class Reading {
  readonly tokens: Token[];
  readonly entities: Entity[];
  readonly understood: { at: number; words: string }[] = [];
  readonly reasons = new Map<number, string>();

  zone: string | null = null;
  range: ResolvedRange | null = null;
  bucket: TimeBucket | null = null;
  autoBucket = false;
  readonly metrics: MetricMention[] = [];
  readonly dimensions: { dimension: Dimension; at: number }[] = [];
  readonly entityFilters: EntityFilter[] = [];
  status: CallStatus | null = null;
  /** "failed calls": a filter when something else is measured, else the thing measured. */
  statusPhrase: { status: CallStatus; at: number } | null = null;
  isByok: boolean | null = null;
  ranking: 'most' | 'least' | null = null;
  limit: number | null = null;
  asksForShare = false;
  namedChartType: ChartType | null = null;
  latencyKinds: { metric: Metric; at: number; end: number; words: string }[] = [];
  impliedMetric: { metric: Metric; at: number } | null = null;
  readonly tags: string[] = [];
  readonly userIds: string[] = [];
  readonly metadata: { key: string; value: string }[] = [];

  constructor(
    readonly question: string,
    readonly context: ParseContext,
  ) {
    this.tokens = tokenize(question);
    this.entities = entitiesOf(context.known);
  }

  free(i: number): boolean {
    return i >= 0 && i < this.tokens.length && !this.tokens[i].used && !this.tokens[i].blocked;
  }

  /** Whether tokens [from, to) cover whole written words, so "gpt" never matches inside "gpt-5". */
  wholeChunks(from: number, to: number): boolean {
    const chunkOf = (i: number) => (i >= 0 && i < this.tokens.length ? this.tokens[i].chunk : -2);
    return chunkOf(from - 1) !== chunkOf(from) && chunkOf(to - 1) !== chunkOf(to);
  }

  text(i: number): string {
    return this.free(i) ? this.tokens[i].text : '';
  }

  take(from: number, to: number, words: string): void {
    for (let i = from; i < to; i++) this.tokens[i].used = true;
    if (words) this.understood.push({ at: from, words });
  }

  eachFree(visit: (i: number) => void): void {
    for (let i = 0; i < this.tokens.length; i++) if (this.free(i)) visit(i);
  }

  numberAt(i: number): number | null {
    const text = this.text(i);
    if (/^\d{1,4}$/.test(text)) return Number(text);
    return NUMBER_WORDS[text] ?? null;
  }

  /** Token i's whole written word, when nothing took any of it and the vocabulary gives it no meaning: a name. */
  nameAt(i: number): { value: string; end: number } | null {
    if (!this.free(i) || VOCABULARY.has(this.text(i))) return null;
    let end = i;
    while (end < this.tokens.length && this.tokens[end].chunk === this.tokens[i].chunk) {
      if (!this.free(end)) return null;
      end++;
    }
    if (!this.wholeChunks(i, end)) return null;
    return { value: this.tokens[i].written, end };
  }

  setZone(zone: string, at: number, to: number): void {
    if (this.zone && this.zone !== zone) {
      this.reasons.set(at, `the question already names the timezone ${this.zone}`);
      return;
    }
    this.zone = zone;
    this.take(at, to, `in ${zone}`);
  }

  setRange(range: ResolvedRange, from: number, to: number): boolean {
    if (this.range) {
      this.reasons.set(from, `the question already names a time range: ${this.range.title}`);
      for (let i = from; i < to; i++) this.tokens[i].blocked = true;
      return false;
    }
    this.range = range;
    this.take(from, to, range.title);
    return true;
  }

  get zoneOrDefault(): string {
    return this.zone ?? this.context.timezone;
  }

  setBucket(bucket: TimeBucket | null, from: number, to: number, words: string): void {
    if (this.bucket && bucket && this.bucket !== bucket) {
      this.reasons.set(from, `the question already asks for ${this.bucket.toLowerCase()} buckets`);
      return;
    }
    if (bucket) this.bucket = bucket;
    else this.autoBucket = true;
    this.take(from, to, words);
  }

  setStatus(status: CallStatus, from: number, to: number): void {
    if (this.status && this.status !== status) {
      this.reasons.set(from, 'the question already keeps only one kind of call');
      return;
    }
    this.status = status;
    this.take(from, to, status === 'ERROR' ? 'errors only' : 'successful calls only');
  }

  setByok(value: boolean, from: number, to: number): void {
    if (this.isByok !== null && this.isByok !== value) {
      this.reasons.set(from, 'the question already keeps only one kind of key');
      return;
    }
    this.isByok = value;
    this.take(from, to, value ? 'BYOK only' : 'platform keys only');
  }

  addDimension(dimension: Dimension, from: number, to: number, words: string): void {
    if (!this.dimensions.some((d) => d.dimension === dimension)) this.dimensions.push({ dimension, at: from });
    this.take(from, to, words);
  }

  addEntityFilter(kind: EntityKind, values: string[], from: number, to: number, label: string): void {
    let start = from;
    let end = to;
    // "model gpt-4o", "gpt-4o model", "agent support-bot"
    if (ENTITY_NOUNS[kind].has(this.text(start - 1))) start--;
    else if (ENTITY_NOUNS[kind].has(this.text(end)) && SINGULAR_NOUNS.has(this.text(end))) end++;
    const pair = EXCLUDE_PAIRS.some(([first, second]) => this.text(start - 2) === first && this.text(start - 1) === second);
    // "excluding gpt-4o and gpt-4o-mini": a name listed right after an excluded one is excluded too
    const listed = (j: number) => this.entityFilters.some((f) => f.kind === kind && f.exclude && f.end === j);
    const continues = listed(start) || (['and', 'or', 'nor'].includes(this.text(start - 1)) && listed(start - 1));
    const exclude = pair || EXCLUDE_WORDS.has(this.text(start - 1)) || continues;
    if (pair || EXCLUDE_WORDS.has(this.text(start - 1))) start -= pair ? 2 : 1;
    this.entityFilters.push({ kind, values, exclude, at: from, end });
    this.take(start, end, `${exclude ? 'excluding ' : ''}${ENTITY_WORDS[kind]} ${label}`);
  }

  /** Spans of free tokens starting at i, longest first, as (end, joined norm). */
  spans(i: number, longest: number): { end: number; norm: string; single: boolean }[] {
    const spans: { end: number; norm: string; single: boolean }[] = [];
    let norm = '';
    for (let end = i + 1; end <= Math.min(this.tokens.length, i + longest); end++) {
      if (!this.free(end - 1)) break;
      norm += this.tokens[end - 1].norm;
      if (this.wholeChunks(i, end)) spans.push({ end, norm, single: end === i + 1 });
    }
    return spans.reverse();
  }

  addMetric(metric: Metric, at: number, weak = false): void {
    this.metrics.push({ metric, at, weak });
  }

  /** Tokens [from, to) as typed: whole written words where the run covers them, else the words read. */
  writtenWords(from: number, to: number): string {
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

  failure(message: string, unplaced: string[]): ParseOutcome {
    return { ok: false, message, understood: this.understoodWords(), unplaced };
  }

  understoodWords(): string[] {
    return [...this.understood].sort((a, b) => a.at - b.at).map((u) => u.words);
  }
}
