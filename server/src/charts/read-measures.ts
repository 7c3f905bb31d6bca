/** Passes that read what to measure and how to show it: metrics, rankings, groupings, shares and chart types. */
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
import type { Reading } from './question-reading';

export function readChartTypes(r: Reading): void {
  r.eachFree((i) => {
    const type = CHART_WORDS[r.text(i)];
    if (!type) return;
    const next = r.text(i + 1);
    const named = next === 'chart' || next === 'graph' || next === 'plot';
    const stackedArea = r.text(i) === 'stacked' && (next === 'area' || next === 'chart');
    // "line" and "area" are ordinary words too; they name a chart only with "chart" or after "as a".
    const afterAs = r.text(i - 1) === 'as' || (r.text(i - 2) === 'as' && ['a', 'an'].includes(r.text(i - 1)));
    if (!named && !stackedArea && !afterAs && !['pie', 'donut', 'doughnut', 'histogram', 'stacked'].includes(r.text(i))) return;
    r.namedChartType = type;
    const end = stackedArea ? (named || r.text(i + 2) === 'chart' ? i + 3 : i + 2) : named ? i + 2 : i + 1;
    r.take(i, end, `as a ${type.toLowerCase()} chart`);
  });
}

export function readRanking(r: Reading): void {
  r.eachFree((i) => {
    if (!r.free(i)) return;
    const word = r.text(i);
    const setRanking = (ranking: 'most' | 'least') => {
      r.ranking ??= ranking;
    };
    // top 5, bottom 3, top-10, top5
    const glued = /^(top|bottom)(\d{1,3})$/.exec(word);
    if (word === 'top' || word === 'bottom' || glued) {
      const count = glued ? Number(glued[2]) : r.numberAt(i + 1);
      setRanking(word.startsWith('bottom') ? 'least' : 'most');
      if (count !== null) {
        if (count < 1 || count > 100) {
          r.reasons.set(i, `top takes 1 to 100, but got ${count}`);
          return;
        }
        r.limit = count;
        r.take(i, glued ? i + 1 : i + 2, `${glued ? glued[1] : word} ${count}`);
        return;
      }
      // "top model" is one; "top models" a handful
      const noun = r.text(i + 1);
      r.limit = SINGULAR_NOUNS.has(noun) ? 1 : 5;
      r.take(i, i + 1, `${word} ${r.limit}`);
      return;
    }
    const next = r.text(i + 1);
    // "3 most expensive models", "the 10 busiest agents": a count before the ranking word limits as "top 3" does
    const rank = (ranking: 'most' | 'least', to: number, words: string, metric?: Metric) => {
      setRanking(ranking);
      if (metric) r.impliedMetric ??= { metric, at: i };
      const count = r.limit === null ? r.numberAt(i - 1) : null;
      const counted = count !== null && count >= 1 && count <= 100;
      if (counted) r.limit = count;
      r.take(counted ? i - 1 : i, to, counted ? `${count} ${words}` : words);
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
    const used = USE_VERBS.has(r.text(i - 1)) || (r.text(i - 1) === 'the' && USE_VERBS.has(r.text(i - 2)));
    if (ranking && used) return rank(ranking, i + 1, word, 'REQUESTS');
    if (ranking) return rank(ranking, i + 1, word);
    if (RANK_WORDS.has(word)) return rank('most', i + 1, word);
  });
}

export function readMetrics(r: Reading): void {
  // reasoning (thinking) tokens, cache read / cached tokens, cache write tokens, unpriced requests
  r.eachFree((i) => {
    if (!r.free(i)) return;
    const [word, next, after] = [r.text(i), r.text(i + 1), r.text(i + 2)];
    if ((word === 'reasoning' || word === 'thinking') && TOKEN_WORDS.has(next)) {
      r.addMetric('REASONING_TOKENS', i);
      return r.take(i, i + 2, 'reasoning tokens');
    }
    if (word === 'cached' && TOKEN_WORDS.has(next)) {
      r.addMetric('CACHE_READ_TOKENS', i);
      return r.take(i, i + 2, 'cache read tokens');
    }
    // cache read tokens, cache writes, cache hits
    const cacheSide = word === 'cache' ? CACHE_SIDES[next] : undefined;
    if (cacheSide) {
      r.addMetric(cacheSide === 'read' ? 'CACHE_READ_TOKENS' : 'CACHE_WRITE_TOKENS', i);
      return r.take(i, TOKEN_WORDS.has(after) ? i + 3 : i + 2, `cache ${cacheSide} tokens`);
    }
    if (word === 'unpriced' && REQUEST_WORDS.has(next)) {
      r.addMetric('UNPRICED_REQUESTS', i);
      return r.take(i, i + 2, 'unpriced requests');
    }
  });

  // error rate, failure %, rate of errors, % errors
  r.eachFree((i) => {
    if (!r.free(i)) return;
    if (ERROR_WORDS.has(r.text(i)) && RATE_WORDS.has(r.text(i + 1))) {
      r.addMetric('ERROR_RATE', i);
      return r.take(i, i + 2, 'error rate');
    }
    if (RATE_WORDS.has(r.text(i)) && r.text(i + 1) === 'of' && ERROR_WORDS.has(r.text(i + 2))) {
      r.addMetric('ERROR_RATE', i);
      return r.take(i, i + 3, 'error rate');
    }
    if (r.text(i) === '%' && ERROR_WORDS.has(r.text(i + 1))) {
      r.addMetric('ERROR_RATE', i);
      return r.take(i, i + 2, 'error rate');
    }
  });

  // latency: response time, how long, p95, 95th percentile, median, average
  let latencyNoun = -1;
  r.eachFree((i) => {
    if (!r.free(i)) return;
    const word = r.text(i);
    if (word === 'response' && (r.text(i + 1) === 'time' || r.text(i + 1) === 'times')) {
      latencyNoun = latencyNoun < 0 ? i : latencyNoun;
      return r.take(i, i + 2, 'response time');
    }
    if (word === 'how' && r.text(i + 1) === 'long') {
      latencyNoun = latencyNoun < 0 ? i : latencyNoun;
      return r.take(i, i + 2, 'how long');
    }
    if (LATENCY_WORDS.has(word)) {
      latencyNoun = latencyNoun < 0 ? i : latencyNoun;
      return r.take(i, i + 1, word);
    }
    const percentile = /^p(50|95|99)$/.exec(word) ?? /^(50|95|99)(th)?$/.exec(word);
    if (percentile && (word.startsWith('p') || ['percentile', 'pct', '%'].includes(r.text(i + 1)) || word.endsWith('th'))) {
      const metric = `P${percentile[1]}_LATENCY_MS` as Metric;
      const end = !word.startsWith('p') && ['percentile', 'pct', '%'].includes(r.text(i + 1)) ? i + 2 : i + 1;
      r.latencyKinds.push({ metric, at: i, end, words: `p${percentile[1]}` });
      return;
    }
    if (/^p\d+$/.test(word)) {
      r.reasons.set(i, `the percentiles on offer are p50, p95 and p99, but got ${word}`);
      return;
    }
    if (word === 'median') r.latencyKinds.push({ metric: 'P50_LATENCY_MS', at: i, end: i + 1, words: 'median' });
    if (AVERAGE_WORDS.has(word)) r.latencyKinds.push({ metric: 'AVG_LATENCY_MS', at: i, end: i + 1, words: word });
  });

  // input/output tokens and costs: each modifier attaches to the nearest tokens or cost word
  const nounKind = (j: number): 'tokens' | 'cost' | null => (TOKEN_WORDS.has(r.text(j)) ? 'tokens' : COST_WORDS.has(r.text(j)) ? 'cost' : null);
  const modifiers: { side: 'INPUT' | 'OUTPUT'; at: number }[] = [];
  r.eachFree((i) => {
    if (INPUT_WORDS.has(r.text(i))) modifiers.push({ side: 'INPUT', at: i });
    else if (OUTPUT_WORDS.has(r.text(i))) modifiers.push({ side: 'OUTPUT', at: i });
  });
  const attachedNouns = new Set<number>();
  for (const modifier of modifiers) {
    let noun = -1;
    for (let j = modifier.at + 1; j < r.tokens.length && j <= modifier.at + 4; j++) {
      if (nounKind(j)) {
        noun = j;
        break;
      }
      if (!(CONJUNCTIONS.has(r.text(j)) || INPUT_WORDS.has(r.text(j)) || OUTPUT_WORDS.has(r.text(j)))) break;
    }
    if (noun < 0) for (let j = modifier.at - 1; j >= 0 && j >= modifier.at - 2; j--) if (nounKind(j)) noun = j;
    const kind = noun >= 0 ? nounKind(noun)! : 'tokens';
    r.addMetric(`${modifier.side}_${kind === 'tokens' ? 'TOKENS' : 'COST'}` as Metric, modifier.at);
    r.take(modifier.at, modifier.at + 1, `${modifier.side.toLowerCase()} ${kind}`);
    if (noun >= 0) attachedNouns.add(noun);
  }
  for (const noun of attachedNouns) r.take(noun, noun + 1, '');

  r.eachFree((i) => {
    if (!r.free(i)) return;
    const word = r.text(i);
    if (COST_WORDS.has(word)) {
      r.addMetric('TOTAL_COST', i);
      return r.take(i, i + 1, 'cost');
    }
    if (TOKEN_WORDS.has(word)) {
      r.addMetric('TOTAL_TOKENS', i);
      const start = r.text(i - 1) === 'total' ? i - 1 : i;
      return r.take(start, i + 1, 'tokens');
    }
    if (ERROR_WORDS.has(word)) {
      r.addMetric('ERROR_COUNT', i);
      return r.take(i, i + 1, 'errors');
    }
    if ((REQUEST_WORDS.has(word) || TOKEN_WORDS.has(word)) && r.text(i - 1) === 'per' && !r.tokens[i - 1].used) {
      r.reasons.set(i - 1, `an average per ${word.replace(/s$/, '')} is not something the metrics engine measures; ask for the total and the number of requests`);
      r.tokens[i - 1].blocked = true;
      r.tokens[i].blocked = true;
      return;
    }
    if (REQUEST_WORDS.has(word)) {
      // "number of calls", "calls and cost": asked for; "cost of gpt-4o calls": only the noun
      const counted = (r.text(i - 1) === 'of' && ['number', 'count'].includes(r.text(i - 2))) || ['count', 'volume'].includes(r.text(i + 1));
      const joined = CONJUNCTIONS.has(r.text(i - 1)) || CONJUNCTIONS.has(r.text(i + 1));
      r.addMetric('REQUESTS', i, !(counted || joined));
      const start = counted && r.text(i - 1) === 'of' ? i - 2 : i;
      return r.take(start, r.text(i + 1) === 'count' || r.text(i + 1) === 'volume' ? i + 2 : i + 1, 'requests');
    }
    if (VOLUME_WORDS.has(word)) {
      r.addMetric('REQUESTS', i, true);
      return r.take(i, i + 1, word);
    }
  });

  // average, median and percentiles qualify latency; without a word for latency they imply it
  // only when nothing else is measured ("p95 by model", but not "median cost")
  const hasLatency = latencyNoun >= 0 || r.impliedMetric?.metric === 'AVG_LATENCY_MS';
  const otherMeasures = r.metrics.some((m) => !m.weak) || r.impliedMetric !== null;
  const percentilesOnly = r.latencyKinds.every((kind) => kind.metric !== 'AVG_LATENCY_MS');
  const kindsApply = hasLatency || (!otherMeasures && percentilesOnly);
  for (const kind of r.latencyKinds) {
    if (kindsApply) {
      r.addMetric(kind.metric, kind.at);
      r.take(kind.at, kind.end, kind.words);
    } else {
      r.reasons.set(kind.at, kind.metric === 'AVG_LATENCY_MS' ? 'averages are offered for latency only' : `"${kind.words}" goes with latency only`);
    }
  }
  if (hasLatency && r.latencyKinds.length === 0) {
    r.addMetric('AVG_LATENCY_MS', latencyNoun >= 0 ? latencyNoun : r.impliedMetric!.at);
  }
}

/** Whether a word names something measured or a dimension: "llm" before it is an adjective ("llm spend", "llm provider"). */
const namesMeasureOrDimension = (word: string) =>
  [COST_WORDS, TOKEN_WORDS, REQUEST_WORDS, VOLUME_WORDS, LATENCY_WORDS, ERROR_WORDS].some((words) => words.has(word)) || DIMENSION_NOUNS[word] !== undefined;

export function readDimensions(r: Reading): void {
  r.eachFree((i) => {
    // two-word nouns first: "end user", "service tier"
    const pair = DIMENSION_NOUNS[`${r.text(i)} ${r.text(i + 1)}`];
    const dimension = pair ?? DIMENSION_NOUNS[r.text(i)];
    if (!dimension) return;
    if (QUALIFIER_NOUNS.has(r.text(i)) && namesMeasureOrDimension(r.tokens[i + 1]?.text ?? '')) return r.take(i, i + 1, '');
    const end = pair ? i + 2 : i + 1;
    // "by model name", "per user id"
    r.addDimension(dimension, i, NAME_WORDS.has(r.text(end)) ? end + 1 : end, `by ${dimensionWords(dimension)}`);
  });
}

export function readShareWords(r: Reading): void {
  r.eachFree((i) => {
    if (SHARE_WORDS.has(r.text(i))) {
      r.asksForShare = true;
      r.take(i, i + 1, r.text(i));
    }
    if (r.text(i) === 'broken' && r.text(i + 1) === 'down') {
      r.asksForShare = true;
      r.take(i, i + 2, 'broken down');
    }
  });
}

export function readFiller(r: Reading): void {
  r.eachFree((i) => {
    if (FILLER.has(r.text(i))) r.take(i, i + 1, '');
  });
}
