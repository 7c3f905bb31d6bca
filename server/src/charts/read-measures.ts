/** Matchers that read what to measure and how to show it: metrics, rankings, groupings, shares and chart types. */
import type { Metric } from '../metrics/metrics.model';
import {
  AVERAGE_WORDS,
  CACHE_SIDES,
  CHART_WORDS,
  CONJUNCTIONS,
  COST_WORDS,
  DIMENSION_NOUNS,
  ERROR_WORDS,
  FILLER,
  FLAKY_WORDS,
  INPUT_WORDS,
  LATENCY_WORDS,
  LEAST_WORDS,
  MOST_WORDS,
  NAME_WORDS,
  OUTPUT_WORDS,
  QUALIFIER_NOUNS,
  RANK_WORDS,
  RATE_WORDS,
  RELIABLE_WORDS,
  REQUEST_WORDS,
  SHARE_WORDS,
  SINGULAR_NOUNS,
  TOKEN_WORDS,
  USE_VERBS,
  VOLUME_WORDS,
} from './question-words';
import { dimensionWords } from '../metrics/dimension-catalogue';
import { type Reading, freePositions, numberAt, text } from './question-reading';
import { type Finding, apply } from './question-finding';
import { dimensionFinding } from './read-filters';

const metricFinding = (metric: Metric, from: number, to: number, words: string, weak = false): Finding => ({ metric: { metric, at: from, weak }, take: { from, to, words } });

export function chartTypeAt(r: Reading, i: number): Finding | null {
  const type = CHART_WORDS[text(r, i)];
  if (!type) return null;
  const next = text(r, i + 1);
  const named = next === 'chart' || next === 'graph' || next === 'plot';
  const stackedArea = text(r, i) === 'stacked' && (next === 'area' || next === 'chart');
  // "line" and "area" are ordinary words too; they name a chart only with "chart" or after "as a".
  const afterAs = text(r, i - 1) === 'as' || (text(r, i - 2) === 'as' && ['a', 'an'].includes(text(r, i - 1)));
  if (!named && !stackedArea && !afterAs && !['pie', 'donut', 'doughnut', 'histogram', 'stacked'].includes(text(r, i))) return null;
  const end = stackedArea ? (named || text(r, i + 2) === 'chart' ? i + 3 : i + 2) : named ? i + 2 : i + 1;
  return { chartType: type, take: { from: i, to: end, words: `as a ${type.toLowerCase()} chart` } };
}

export function rankingAt(r: Reading, i: number): Finding | null {
  const word = text(r, i);
  // top 5, bottom 3, top-10, top5
  const glued = /^(top|bottom)(\d{1,3})$/.exec(word);
  if (word === 'top' || word === 'bottom' || glued) {
    const count = glued ? Number(glued[2]) : numberAt(r, i + 1);
    const ranking = word.startsWith('bottom') ? 'least' : 'most';
    if (count !== null) {
      if (count < 1 || count > 100) return { ranking, reason: { at: i, text: `top takes 1 to 100, but got ${count}` } };
      return { ranking, limit: count, take: { from: i, to: glued ? i + 1 : i + 2, words: `${glued ? glued[1] : word} ${count}` } };
    }
    // "top model" is one; "top models" a handful
    const limit = SINGULAR_NOUNS.has(text(r, i + 1)) ? 1 : 5;
    return { ranking, limit, take: { from: i, to: i + 1, words: `${word} ${limit}` } };
  }
  const next = text(r, i + 1);
  // "3 most expensive models", "the 10 busiest agents": a count before the ranking word limits as "top 3" does
  const rank = (ranking: 'most' | 'least', to: number, words: string, metric?: Metric): Finding => {
    const count = r.limit === null ? numberAt(r, i - 1) : null;
    const counted = count !== null && count >= 1 && count <= 100;
    return {
      ranking,
      impliedMetric: metric ? { metric, at: i } : undefined,
      limit: counted ? count : undefined,
      take: { from: counted ? i - 1 : i, to, words: counted ? `${count} ${words}` : words },
    };
  };
  const opposite = (ranking: 'most' | 'least') => (ranking === 'most' ? 'least' : 'most');
  if (word === 'most' || word === 'least') {
    if (['used', 'popular', 'active', 'called', 'busy'].includes(next)) return rank(word, i + 2, `${word} ${next}`, 'REQUESTS');
    if (['expensive', 'costly', 'pricey'].includes(next)) return rank(word, i + 2, `${word} expensive`, 'TOTAL_COST');
    if (RELIABLE_WORDS.has(next)) return rank(opposite(word), i + 2, `${word} ${next}`, 'ERROR_RATE');
  }
  if (['busiest', 'popular'].includes(word)) return rank('most', i + 1, word, 'REQUESTS');
  if (['costliest', 'priciest', 'expensive'].includes(word)) return rank('most', i + 1, word, 'TOTAL_COST');
  if (word === 'cheapest') return rank('least', i + 1, word, 'TOTAL_COST');
  if (word === 'slowest') return rank('most', i + 1, word, 'AVG_LATENCY_MS');
  if (word === 'fastest' || word === 'quickest') return rank('least', i + 1, word, 'AVG_LATENCY_MS');
  if (FLAKY_WORDS.has(word)) return rank('most', i + 1, word, 'ERROR_RATE');
  const ranking = MOST_WORDS.has(word) ? 'most' : LEAST_WORDS.has(word) ? 'least' : null;
  // "which model is used the most", "which agent do we use least": the number of calls
  const used = USE_VERBS.has(text(r, i - 1)) || (text(r, i - 1) === 'the' && USE_VERBS.has(text(r, i - 2)));
  if (ranking && used) return rank(ranking, i + 1, word, 'REQUESTS');
  if (ranking) return rank(ranking, i + 1, word);
  if (RANK_WORDS.has(word)) return rank('most', i + 1, word);
  return null;
}

/** Reasoning (thinking) tokens, cache read / cached tokens, cache write tokens, unpriced requests. */
export function detailMetricAt(r: Reading, i: number): Finding | null {
  const [word, next, after] = [text(r, i), text(r, i + 1), text(r, i + 2)];
  if ((word === 'reasoning' || word === 'thinking') && TOKEN_WORDS.has(next)) return metricFinding('REASONING_TOKENS', i, i + 2, 'reasoning tokens');
  if (word === 'cached' && TOKEN_WORDS.has(next)) return metricFinding('CACHE_READ_TOKENS', i, i + 2, 'cache read tokens');
  // cache read tokens, cache writes, cache hits
  const cacheSide = word === 'cache' ? CACHE_SIDES[next] : undefined;
  if (cacheSide) {
    return metricFinding(cacheSide === 'read' ? 'CACHE_READ_TOKENS' : 'CACHE_WRITE_TOKENS', i, TOKEN_WORDS.has(after) ? i + 3 : i + 2, `cache ${cacheSide} tokens`);
  }
  if (word === 'unpriced' && REQUEST_WORDS.has(next)) return metricFinding('UNPRICED_REQUESTS', i, i + 2, 'unpriced requests');
  return null;
}

/** Error rate, failure %, rate of errors, % errors. */
export function errorRateAt(r: Reading, i: number): Finding | null {
  if (ERROR_WORDS.has(text(r, i)) && RATE_WORDS.has(text(r, i + 1))) return metricFinding('ERROR_RATE', i, i + 2, 'error rate');
  if (RATE_WORDS.has(text(r, i)) && text(r, i + 1) === 'of' && ERROR_WORDS.has(text(r, i + 2))) return metricFinding('ERROR_RATE', i, i + 3, 'error rate');
  if (text(r, i) === '%' && ERROR_WORDS.has(text(r, i + 1))) return metricFinding('ERROR_RATE', i, i + 2, 'error rate');
  return null;
}

/** Latency: response time, how long; and the kinds that qualify it, p95, 95th percentile, median, average, settled once all is read. */
export function latencyAt(r: Reading, i: number): Finding | null {
  const word = text(r, i);
  if (word === 'response' && (text(r, i + 1) === 'time' || text(r, i + 1) === 'times')) return { latencyNoun: i, take: { from: i, to: i + 2, words: 'response time' } };
  if (word === 'how' && text(r, i + 1) === 'long') return { latencyNoun: i, take: { from: i, to: i + 2, words: 'how long' } };
  if (LATENCY_WORDS.has(word)) return { latencyNoun: i, take: { from: i, to: i + 1, words: word } };
  const percentile = /^p(50|95|99)$/.exec(word) ?? /^(50|95|99)(th)?$/.exec(word);
  if (percentile && (word.startsWith('p') || ['percentile', 'pct', '%'].includes(text(r, i + 1)) || word.endsWith('th'))) {
    const metric = `P${percentile[1]}_LATENCY_MS` as Metric;
    const end = !word.startsWith('p') && ['percentile', 'pct', '%'].includes(text(r, i + 1)) ? i + 2 : i + 1;
    return { latencyKind: { metric, at: i, end, words: `p${percentile[1]}` } };
  }
  if (/^p\d+$/.test(word)) return { reason: { at: i, text: `the percentiles on offer are p50, p95 and p99, but got ${word}` } };
  if (word === 'median') return { latencyKind: { metric: 'P50_LATENCY_MS', at: i, end: i + 1, words: 'median' } };
  if (AVERAGE_WORDS.has(word)) return { latencyKind: { metric: 'AVG_LATENCY_MS', at: i, end: i + 1, words: word } };
  return null;
}

/**
 * Input/output tokens and costs: each modifier attaches to the nearest tokens or cost word. The
 * nouns are taken only after every modifier has looked, so "input and output cost" gives both costs.
 */
export function readSides(r: Reading): Reading {
  const nounKind = (reading: Reading, j: number): 'tokens' | 'cost' | null =>
    TOKEN_WORDS.has(text(reading, j)) ? 'tokens' : COST_WORDS.has(text(reading, j)) ? 'cost' : null;
  const sideAt = (reading: Reading, at: number): { finding: Finding; noun: number } => {
    const side = INPUT_WORDS.has(text(reading, at)) ? 'INPUT' : 'OUTPUT';
    let noun = -1;
    for (let j = at + 1; j < reading.tokens.length && j <= at + 4; j++) {
      if (nounKind(reading, j)) {
        noun = j;
        break;
      }
      if (!(CONJUNCTIONS.has(text(reading, j)) || INPUT_WORDS.has(text(reading, j)) || OUTPUT_WORDS.has(text(reading, j)))) break;
    }
    if (noun < 0) for (let j = at - 1; j >= 0 && j >= at - 2; j--) if (nounKind(reading, j)) noun = j;
    const kind = noun >= 0 ? nounKind(reading, noun)! : 'tokens';
    return { finding: metricFinding(`${side}_${kind === 'tokens' ? 'TOKENS' : 'COST'}` as Metric, at, at + 1, `${side.toLowerCase()} ${kind}`), noun };
  };
  const modifiers = freePositions(r).filter((i) => INPUT_WORDS.has(text(r, i)) || OUTPUT_WORDS.has(text(r, i)));
  const sides = modifiers.reduce(
    ({ reading, nouns }, at) => {
      const { finding, noun } = sideAt(reading, at);
      return { reading: apply(reading, finding), nouns: noun >= 0 ? [...nouns, noun] : nouns };
    },
    { reading: r, nouns: [] as number[] },
  );
  return apply(sides.reading, { also: sides.nouns.map((noun) => ({ from: noun, to: noun + 1 })) });
}

export function measureAt(r: Reading, i: number): Finding | null {
  const word = text(r, i);
  if (COST_WORDS.has(word)) return metricFinding('TOTAL_COST', i, i + 1, 'cost');
  if (TOKEN_WORDS.has(word)) return { metric: { metric: 'TOTAL_TOKENS', at: i, weak: false }, take: { from: text(r, i - 1) === 'total' ? i - 1 : i, to: i + 1, words: 'tokens' } };
  if (ERROR_WORDS.has(word)) return metricFinding('ERROR_COUNT', i, i + 1, 'errors');
  if ((REQUEST_WORDS.has(word) || TOKEN_WORDS.has(word)) && text(r, i - 1) === 'per' && !r.tokens[i - 1].used) {
    const reason = `an average per ${word.replace(/s$/, '')} is not something the metrics engine measures; ask for the total and the number of requests`;
    return { reason: { at: i - 1, text: reason }, block: { from: i - 1, to: i + 1 } };
  }
  if (REQUEST_WORDS.has(word)) {
    // "number of calls", "calls and cost": asked for; "cost of gpt-4o calls": only the noun
    const counted = (text(r, i - 1) === 'of' && ['number', 'count'].includes(text(r, i - 2))) || ['count', 'volume'].includes(text(r, i + 1));
    const joined = CONJUNCTIONS.has(text(r, i - 1)) || CONJUNCTIONS.has(text(r, i + 1));
    const start = counted && text(r, i - 1) === 'of' ? i - 2 : i;
    const end = text(r, i + 1) === 'count' || text(r, i + 1) === 'volume' ? i + 2 : i + 1;
    return { metric: { metric: 'REQUESTS', at: i, weak: !(counted || joined) }, take: { from: start, to: end, words: 'requests' } };
  }
  if (VOLUME_WORDS.has(word)) return metricFinding('REQUESTS', i, i + 1, word, true);
  return null;
}

/**
 * Average, median and percentiles qualify latency; without a word for latency they imply it
 * only when nothing else is measured ("p95 by model", but not "median cost").
 */
export function latencyFindings(r: Reading): Finding[] {
  const hasLatency = r.latencyNoun !== null || r.impliedMetric?.metric === 'AVG_LATENCY_MS';
  const otherMeasures = r.metrics.some((m) => !m.weak) || r.impliedMetric !== null;
  const percentilesOnly = r.latencyKinds.every((kind) => kind.metric !== 'AVG_LATENCY_MS');
  const kindsApply = hasLatency || (!otherMeasures && percentilesOnly);
  const kinds = r.latencyKinds.map((kind): Finding => {
    if (kindsApply) return metricFinding(kind.metric, kind.at, kind.end, kind.words);
    return { reason: { at: kind.at, text: kind.metric === 'AVG_LATENCY_MS' ? 'averages are offered for latency only' : `"${kind.words}" goes with latency only` } };
  });
  if (!hasLatency || r.latencyKinds.length > 0) return kinds;
  return [...kinds, { metric: { metric: 'AVG_LATENCY_MS', at: r.latencyNoun ?? r.impliedMetric!.at, weak: false } }];
}

/** Whether a word names something measured or a dimension: "llm" before it is an adjective ("llm spend", "llm provider"). */
const namesMeasureOrDimension = (word: string) =>
  [COST_WORDS, TOKEN_WORDS, REQUEST_WORDS, VOLUME_WORDS, LATENCY_WORDS, ERROR_WORDS].some((words) => words.has(word)) || DIMENSION_NOUNS[word] !== undefined;

export function dimensionAt(r: Reading, i: number): Finding | null {
  // two-word nouns first: "end user", "service tier"
  const pair = DIMENSION_NOUNS[`${text(r, i)} ${text(r, i + 1)}`];
  const dimension = pair ?? DIMENSION_NOUNS[text(r, i)];
  if (!dimension) return null;
  if (QUALIFIER_NOUNS.has(text(r, i)) && namesMeasureOrDimension(r.tokens[i + 1]?.text ?? '')) return { take: { from: i, to: i + 1, words: '' } };
  const end = pair ? i + 2 : i + 1;
  // "by model name", "per user id"
  return dimensionFinding(dimension, i, NAME_WORDS.has(text(r, end)) ? end + 1 : end, `by ${dimensionWords(dimension)}`);
}

export function shareWordAt(r: Reading, i: number): Finding | null {
  if (SHARE_WORDS.has(text(r, i))) return { share: true, take: { from: i, to: i + 1, words: text(r, i) } };
  if (text(r, i) === 'broken' && text(r, i + 1) === 'down') return { share: true, take: { from: i, to: i + 2, words: 'broken down' } };
  return null;
}

export function fillerAt(r: Reading, i: number): Finding | null {
  return FILLER.has(text(r, i)) ? { take: { from: i, to: i + 1, words: '' } } : null;
}
