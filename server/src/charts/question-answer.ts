/** Turns what the passes read into a metrics query and chart hints, or a message saying what could not be placed. */
import type { TimeBucket } from '../metrics/metrics.model';
import { EXAMPLE_QUESTIONS, type MetricsQueryJson, type ParseOutcome, type UsageFilterJson } from './question-types';
import { dimensionWords } from '../metrics/dimension-catalogue';
import { ENTITY_WORDS, FILTER_KEY, KIND_PREFERENCE } from './question-tokens';
import { type Reading, understoodWords, writtenWords, zoneOf } from './question-reading';
import { type ResolvedRange, rollingRange } from './time-expressions';

/** The query and chart hints of what the passes found, or why there are none. */
export function answer(reading: Reading): ParseOutcome {
  const examples = `Try a question like: ${EXAMPLE_QUESTIONS.map((q) => `"${q}"`).join(', ')}.`;
  const understood = understoodWords(reading);
  const soFar = understood.length ? `Understood so far: ${understood.join(', ')}.` : 'Nothing in it names a measure, a grouping or a time range.';
  const r = placedWhole(reading);
  const failure = (message: string, unplaced: string[]): ParseOutcome => ({ ok: false, message, understood: understoodWords(r), unplaced });
  const understoodNow = understoodWords(r);
  const placedSoFar = understoodNow.length ? `Understood so far: ${understoodNow.join(', ')}.` : 'Nothing in it names a measure, a grouping or a time range.';

  // runs of words nothing placed, each with its reason when one is known
  const unplaced: string[] = [];
  for (let i = 0; i < r.tokens.length; i++) {
    if (r.tokens[i].used) continue;
    let end = i;
    while (end + 1 < r.tokens.length && !r.tokens[end + 1].used && !r.reasons.has(end + 1)) end++;
    const words = writtenWords(r, i, end + 1);
    const looksLikeName = /[a-z]/i.test(words) && /[\d_.-]/.test(words);
    const reason = r.reasons.get(i) ?? (looksLikeName ? 'not a model, provider or agent this workspace has used' : null);
    unplaced.push(reason ? `"${words}" (${reason})` : `"${words}"`);
    i = end;
  }
  if (unplaced.length > 0) {
    return failure(`Could not place ${listWords(unplaced)} in the question "${r.question.trim()}". ${placedSoFar} ${examples}`, unplaced);
  }

  const strong = r.metrics.filter((m) => !m.weak);
  let mentions = strong.length > 0 ? strong : r.metrics;
  if (r.impliedMetric && !mentions.some((m) => !m.weak)) mentions = [{ ...r.impliedMetric, weak: false }];
  let status = r.status;
  if (r.statusPhrase) {
    if (mentions.length === 0 || mentions.every((m) => m.metric === 'REQUESTS' && m.weak)) {
      // "failed calls by model": count them
      mentions = [{ metric: r.statusPhrase.status === 'ERROR' ? 'ERROR_COUNT' : 'REQUESTS', at: r.statusPhrase.at, weak: false }];
      if (r.statusPhrase.status === 'SUCCESS') status = 'SUCCESS';
    } else {
      status = r.statusPhrase.status;
    }
  } else if (status && mentions.every((m) => m.metric === 'REQUESTS' && m.weak)) {
    // "errors only", "successes only by model": with nothing else measured, those calls are what is counted
    mentions = [{ metric: status === 'ERROR' ? 'ERROR_COUNT' : 'REQUESTS', at: 0, weak: false }];
    if (status === 'ERROR') status = null;
  }
  const metrics = [...new Set([...mentions].sort((a, b) => a.at - b.at).map((m) => m.metric))];
  if (metrics.length === 0) {
    return failure(
      `Found nothing to measure in the question "${r.question.trim()}": name cost, tokens, requests, latency or errors. ${soFar} ${examples}`,
      [],
    );
  }

  const { now } = r.context;
  const zone = zoneOf(r);
  const range = r.range ?? defaultRange(r.bucket, r.autoBucket, now);
  if (range.from.getTime() >= range.to.getTime()) {
    return failure(`The time range ${range.title} has not started yet, so it has no data. ${examples}`, []);
  }

  let bucket = r.bucket;
  if (!bucket && r.autoBucket) bucket = bucketFor(range.to.getTime() - range.from.getTime());
  if (bucket) {
    const buckets = Math.ceil((range.to.getTime() - range.from.getTime()) / BUCKET_MS[bucket]);
    if (buckets > MAX_BUCKETS) {
      return failure(
        `${bucketWords(bucket)} ${range.phrase} would draw ${buckets.toLocaleString('en-US')} points, more than the ${MAX_BUCKETS.toLocaleString('en-US')} a chart shows: ask for a coarser bucket or a shorter range. ${examples}`,
        [],
      );
    }
  }

  const dimensions = r.dimensions.map((d) => d.dimension);
  const filter: UsageFilterJson = {};
  for (const kind of KIND_PREFERENCE) {
    const filters = r.entityFilters.filter((f) => f.kind === kind);
    if (filters.length === 0) continue;
    const included = [...new Set(filters.filter((f) => !f.exclude).flatMap((f) => f.values))];
    const excluded = new Set(filters.filter((f) => f.exclude).flatMap((f) => f.values));
    const values =
      included.length > 0
        ? included.filter((v) => !excluded.has(v))
        : r.entities.filter((e) => e.kind === kind && !excluded.has(e.value)).map((e) => e.value);
    if (values.length === 0) {
      return failure(`The question leaves no ${ENTITY_WORDS[kind]} to show: every one it names is also excluded. ${examples}`, []);
    }
    filter[FILTER_KEY[kind]] = values;
    // "gpt-4o vs claude-sonnet-4-5": naming two of a kind compares them
    const named = filters.filter((f) => !f.exclude).length;
    if (named >= 2 && dimensions.length === 0) dimensions.push(kind);
  }
  if (r.userIds.length > 0) filter.userIds = [...new Set(r.userIds)];
  if (r.tags.length > 0) filter.tags = [...new Set(r.tags)];
  if (r.metadata.length > 0) filter.metadata = [...r.metadata];
  if (r.isByok !== null) filter.isByok = r.isByok;
  if (status) filter.status = status;
  if (dimensions.length > 2) {
    return failure(
      `A chart splits by at most two things, but the question asks for ${listWords(dimensions.map(dimensionWords))}. ${examples}`,
      [],
    );
  }

  if (r.ranking && dimensions.length === 0 && !bucket) {
    return failure(
      `The question "${r.question.trim()}" asks for the ${r.ranking}, but of what? Name what to rank, as in "which agent spent the ${r.ranking}", ` +
        `"which model cost the ${r.ranking}" or "which day cost the ${r.ranking}". ${soFar}`,
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
  if (r.ranking && dimensions.length > 0) {
    if (bucket) {
      topGroups = r.limit;
    } else {
      query.orderBy = metrics[0];
      query.descending = r.ranking === 'most';
      if (r.limit !== null) query.limit = r.limit;
    }
  }

  return {
    ok: true,
    interpretation: {
      query,
      rangePhrase: range.phrase,
      rangeTitle: range.title,
      asksForShare: r.asksForShare,
      namedChartType: r.namedChartType,
      ranking: r.ranking,
      topGroups,
      understood,
    },
  };
}

/** A written word is placed whole or not at all: in "secret-model-x" the "model" is no grouping. */
function placedWhole(r: Reading): Reading {
  const looseChunks = new Set(r.tokens.filter((t) => !t.used).map((t) => t.chunk));
  const freed = new Set(r.tokens.flatMap((token, index) => (looseChunks.has(token.chunk) && token.used ? [index] : [])));
  if (freed.size === 0) return r;
  // each freed word drops the first thing understood at its place
  const dropping = new Set(freed);
  const understood = r.understood.filter((u) => !(dropping.has(u.at) && dropping.delete(u.at)));
  return { ...r, tokens: r.tokens.map((token, index) => (freed.has(index) ? { ...token, used: false } : token)), understood };
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

const HOUR_MS = 3_600_000;
const BUCKET_MS: Record<TimeBucket, number> = { HOUR: HOUR_MS, DAY: 24 * HOUR_MS, WEEK: 7 * 24 * HOUR_MS, MONTH: 28 * 24 * HOUR_MS };

/** Most points a time chart draws: 1,000 hours is six weeks of hourly buckets. */
const MAX_BUCKETS = 1000;

/** The bucket "over time" gets: hours up to two days, days up to three months, weeks up to six, then months. */
function bucketFor(lengthMs: number): TimeBucket {
  const days = lengthMs / (24 * HOUR_MS);
  if (days <= 2) return 'HOUR';
  if (days <= 92) return 'DAY';
  if (days <= 184) return 'WEEK';
  return 'MONTH';
}

function bucketWords(bucket: TimeBucket): string {
  return { HOUR: 'Hourly buckets', DAY: 'Daily buckets', WEEK: 'Weekly buckets', MONTH: 'Monthly buckets' }[bucket];
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
