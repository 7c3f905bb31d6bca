/** Matchers that read filters: tags, users and metadata, kinds of call and key, and the workspace's own names (exact, by family, or one typo away). */
import type { CallStatus, Dimension } from '../metrics/metrics.model';
import {
  CONJUNCTIONS,
  ERROR_WORDS,
  METADATA_VERBS,
  RATE_WORDS,
  REQUEST_WORDS,
  SHARE_WORDS,
  SINGULAR_NOUNS,
  SUCCESS_WORDS,
  TAG_WORDS,
  TYPO_TARGETS,
  USER_WORDS,
  VOCABULARY,
} from './question-words';
import { ENTITY_NOUNS, ENTITY_WORDS, EXCLUDE_PAIRS, EXCLUDE_WORDS, type Entity, type EntityKind, KIND_PREFERENCE, normalise, withinOneEdit } from './question-tokens';
import { type Reading, free, nameAt, spans, text, wholeChunks } from './question-reading';
import type { Finding } from './question-finding';

/** A grouping read from tokens [from, to). */
export const dimensionFinding = (dimension: Dimension, from: number, to: number, words: string): Finding => ({ dimension: { dimension, at: from }, take: { from, to, words } });

/**
 * A filter by the name at tokens [from, to), with the noun beside it ("model gpt-4o", "gpt-4o model") and the words
 * that exclude it ("excluding gpt-4o", "other than gpt-4o"); a name listed right after an excluded one is excluded too.
 */
export function entityFinding(r: Reading, kind: EntityKind, values: string[], from: number, to: number, label: string): Finding {
  let start = from;
  let end = to;
  if (ENTITY_NOUNS[kind].has(text(r, start - 1))) start--;
  else if (ENTITY_NOUNS[kind].has(text(r, end)) && SINGULAR_NOUNS.has(text(r, end))) end++;
  const pair = EXCLUDE_PAIRS.some(([first, second]) => text(r, start - 2) === first && text(r, start - 1) === second);
  const listed = (j: number) => r.entityFilters.some((f) => f.kind === kind && f.exclude && f.end === j);
  const continues = listed(start) || (['and', 'or', 'nor'].includes(text(r, start - 1)) && listed(start - 1));
  const exclude = pair || EXCLUDE_WORDS.has(text(r, start - 1)) || continues;
  if (pair || EXCLUDE_WORDS.has(text(r, start - 1))) start -= pair ? 2 : 1;
  return { entityFilter: { kind, values, exclude, at: from, end }, take: { from: start, to: end, words: `${exclude ? 'excluding ' : ''}${ENTITY_WORDS[kind]} ${label}` } };
}

/**
 * "tag prod", "tagged beta": calls carrying the tag; "user u-42", "customer acme": that end
 * user's calls; "where feature is search", "where plan = pro", "feature=search": a metadata
 * pair. Names and values are taken as written; "by tag" and "per user" stay groupings.
 */
export function attributionAt(r: Reading, i: number): Finding | null {
  const word = text(r, i);
  if ((TAG_WORDS.has(word) || USER_WORDS.has(word)) && !['by', 'per', 'each', 'every', 'across'].includes(text(r, i - 1))) {
    const name = nameAt(r, i + 1);
    if (!name) return null;
    const isTag = TAG_WORDS.has(word);
    const start = ['with', 'for', 'of'].includes(text(r, i - 1)) ? i - 1 : i;
    const take = { from: start, to: name.end, words: `${isTag ? 'tag' : 'user'} ${name.value}` };
    return isTag ? { tag: name.value, take } : { userId: name.value, take };
  }
  // feature=search: one written word whose two sides are the key and the value
  const written = r.tokens[i].written;
  const equals = written.indexOf('=');
  if (equals > 0 && equals < written.length - 1 && (i === 0 || r.tokens[i - 1].chunk !== r.tokens[i].chunk)) {
    let end = i;
    while (end < r.tokens.length && r.tokens[end].chunk === r.tokens[i].chunk) end++;
    const pair = { key: written.slice(0, equals), value: written.slice(equals + 1) };
    return { metadata: pair, take: { from: text(r, i - 1) === 'where' ? i - 1 : i, to: end, words: `where ${pair.key} is ${pair.value}` } };
  }
  if (word !== 'where' && !(word === 'and' && r.metadata.length > 0 && r.tokens[i - 1]?.used)) return null;
  const key = nameAt(r, i + 1);
  if (!key) return null;
  const verb = METADATA_VERBS.has(text(r, key.end)) ? key.end + 1 : r.tokens[key.end]?.chunk === r.tokens[key.end - 1].chunk + 2 ? key.end : -1;
  const value = verb >= 0 ? (nameAt(r, verb) ?? (free(r, verb) ? { value: r.tokens[verb].written, end: verb + 1 } : null)) : null;
  if (!value) return null;
  const pair = { key: r.tokens[i + 1].written, value: value.value };
  return { metadata: pair, take: { from: i, to: value.end, words: `where ${pair.key} is ${pair.value}` } };
}

const byokFinding = (byok: boolean, from: number, to: number): Finding => ({ byok, take: { from, to, words: byok ? 'BYOK only' : 'platform keys only' } });
const statusFinding = (status: CallStatus, from: number, to: number): Finding => ({
  status,
  take: { from, to, words: status === 'ERROR' ? 'errors only' : 'successful calls only' },
});

export function statusOrKeyPhraseAt(r: Reading, i: number): Finding | null {
  const callNoun = (j: number) => REQUEST_WORDS.has(text(r, j));
  const isError = (j: number) => ERROR_WORDS.has(text(r, j));
  const isSuccess = (j: number) => SUCCESS_WORDS.has(text(r, j));
  const isByokWord = (j: number) => text(r, j) === 'byok';
  const platformAt = (j: number): number => {
    // "platform", "platform keys", "non byok", "our keys"
    if (text(r, j) === 'platform') return text(r, j + 1) === 'key' || text(r, j + 1) === 'keys' ? j + 2 : j + 1;
    if ((text(r, j) === 'non' || text(r, j) === 'not') && isByokWord(j + 1)) return j + 2;
    return -1;
  };
  const word = text(r, i);
  // success vs errors, errors and successes: a split by status
  if ((isSuccess(i) && CONJUNCTIONS.has(text(r, i + 1)) && isError(i + 2)) || (isError(i) && CONJUNCTIONS.has(text(r, i + 1)) && isSuccess(i + 2))) {
    return { ...dimensionFinding('STATUS', i, i + 3, 'by status'), impliedMetric: { metric: 'REQUESTS', at: i } };
  }
  // byok vs platform, platform vs byok, by byok, byok split
  const platformFirst = platformAt(i);
  if (platformFirst > 0 && ['vs', 'versus', 'or', 'and'].includes(text(r, platformFirst)) && isByokWord(platformFirst + 1)) {
    return dimensionFinding('IS_BYOK', i, platformFirst + 2, 'BYOK or not');
  }
  if (isByokWord(i) && ['vs', 'versus', 'or', 'and'].includes(text(r, i + 1))) {
    const end = platformAt(i + 2);
    if (end > 0) return dimensionFinding('IS_BYOK', i, end, 'BYOK or not');
    if (text(r, i + 2) === 'not') return dimensionFinding('IS_BYOK', i, i + 3, 'BYOK or not');
  }
  if (['by', 'per', 'across'].includes(word) && isByokWord(i + 1)) return dimensionFinding('IS_BYOK', i, i + 2, 'BYOK or not');
  if (isByokWord(i) && ['split', 'breakdown', 'share'].includes(text(r, i + 1))) return dimensionFinding('IS_BYOK', i, i + 2, 'BYOK or not');
  if (word === 'key' && ['type', 'source', 'kind'].includes(text(r, i + 1))) return dimensionFinding('IS_BYOK', i, i + 2, 'BYOK or not');
  // platform keys only, non-byok, without byok
  if (platformFirst > 0) return byokFinding(false, i, text(r, platformFirst) === 'only' ? platformFirst + 1 : platformFirst);
  if ((word === 'without' || word === 'excluding') && isByokWord(i + 1)) return byokFinding(false, i, i + 2);
  // byok only, only byok, byok calls, own keys, bring your own key
  if (isByokWord(i)) return byokFinding(true, i, text(r, i + 1) === 'only' || text(r, i + 1) === 'keys' ? i + 2 : i + 1);
  if (word === 'own' && (text(r, i + 1) === 'key' || text(r, i + 1) === 'keys')) return byokFinding(true, i, i + 2);
  if (word === 'own' && text(r, i + 1) === 'api' && ['key', 'keys'].includes(text(r, i + 2))) return byokFinding(true, i, i + 3);

  // errors only, only errors, only failed calls, just failures, without errors
  if ((word === 'only' || word === 'just') && (isError(i + 1) || isSuccess(i + 1))) {
    const end = callNoun(i + 2) ? i + 3 : i + 2;
    return statusFinding(isError(i + 1) ? 'ERROR' : 'SUCCESS', i, end);
  }
  if (isError(i) || isSuccess(i)) {
    const noun = callNoun(i + 1) ? 1 : 0;
    if (text(r, i + 1 + noun) === 'only') return statusFinding(isError(i) ? 'ERROR' : 'SUCCESS', i, i + 2 + noun);
  }
  if (['without', 'excluding', 'no', 'except'].includes(word) && isError(i + 1)) return statusFinding('SUCCESS', i, i + 2);
  // percentage of failed calls, share of errors: a rate
  const rateBefore = RATE_WORDS.has(text(r, i - 1)) ? i - 1 : text(r, i - 1) === 'of' && (RATE_WORDS.has(text(r, i - 2)) || SHARE_WORDS.has(text(r, i - 2))) ? i - 2 : -1;
  if (rateBefore >= 0 && isError(i)) {
    return { metric: { metric: 'ERROR_RATE', at: rateBefore, weak: false }, take: { from: rateBefore, to: callNoun(i + 1) ? i + 2 : i + 1, words: 'error rate' } };
  }
  // failed calls, successful requests, cost of errors: a filter when something else is measured
  if ((isError(i) || isSuccess(i)) && callNoun(i + 1) && !RATE_WORDS.has(text(r, i + 2)) && !RATE_WORDS.has(text(r, i - 1))) {
    return { statusPhrase: { status: isError(i) ? 'ERROR' : 'SUCCESS', at: i }, take: { from: i, to: i + 2, words: isError(i) ? 'failed calls' : 'successful calls' } };
  }
  if (['of', 'on', 'from', 'in'].includes(text(r, i - 1)) && isError(i) && !RATE_WORDS.has(text(r, i + 1))) {
    return { statusPhrase: { status: 'ERROR', at: i }, take: { from: i, to: i + 1, words: 'failed calls' } };
  }
  return null;
}

export function compoundDimensionAt(r: Reading, i: number): Finding | null {
  const word = text(r, i);
  if (['request', 'requests', 'call', 'calls', 'req'].includes(word) && ['type', 'types', 'kind', 'kinds'].includes(text(r, i + 1))) {
    return dimensionFinding('REQUEST_TYPE', i, i + 2, 'by request type');
  }
  if (word === 'use' && (text(r, i + 1) === 'case' || text(r, i + 1) === 'cases')) return dimensionFinding('REQUEST_TYPE', i, i + 2, 'by request type');
  return null;
}

// The names by normalised spelling, made once per workspace's names rather than at every word.
const namesByNorm = new WeakMap<readonly Entity[], Map<string, Entity[]>>();
function byNormOf(entities: readonly Entity[]): Map<string, Entity[]> {
  let byNorm = namesByNorm.get(entities);
  if (!byNorm) {
    byNorm = new Map<string, Entity[]>();
    for (const entity of entities) for (const norm of entity.norms) byNorm.set(norm, [...(byNorm.get(norm) ?? []), entity]);
    namesByNorm.set(entities, byNorm);
  }
  return byNorm;
}

export function exactEntityAt(r: Reading, i: number): Finding | null {
  if (r.entities.length === 0) return null;
  const byNorm = byNormOf(r.entities);
  for (const span of spans(r, i, 8)) {
    // "embeddings", "tool calls": a request type in the plural counts its calls
    const plural = !byNorm.has(span.norm) && span.norm.endsWith('s') ? byNorm.get(span.norm.slice(0, -1))?.filter((c) => c.kind === 'REQUEST_TYPE') : undefined;
    let candidates = byNorm.get(span.norm) ?? (plural?.length ? plural : undefined);
    if (!candidates || span.norm === '') continue;
    const nounBefore = Object.entries(ENTITY_NOUNS).find(([, nouns]) => nouns.has(text(r, i - 1)))?.[0] as EntityKind | undefined;
    if (nounBefore && candidates.some((c) => c.kind === nounBefore)) candidates = candidates.filter((c) => c.kind === nounBefore);
    // A name that is also a word of the vocabulary ("chat" is fine, "cost" is not) needs its noun.
    else if (span.single && VOCABULARY.has(text(r, i))) continue;
    const entity = KIND_PREFERENCE.map((kind) => candidates.find((c) => c.kind === kind)).find(Boolean)!;
    const filter = entityFinding(r, entity.kind, [entity.value], i, span.end, entity.label);
    return plural ? { ...filter, metric: { metric: 'REQUESTS', at: i, weak: true } } : filter;
  }
  return null;
}

/** One-letter typos in the reader's own words ("tokns", "provdier"), read only when every word that close means the same. */
export function wordTypoAt(r: Reading, i: number): Finding | null {
  const close = (typed: string, word: string) => word.length >= 4 && withinOneEdit(typed, word);
  const token = r.tokens[i];
  if (token.text.length < 5 || !/^[a-z]+$/.test(token.text) || VOCABULARY.has(token.text) || !wholeChunks(r, i, i + 1)) return null;
  // a name one letter off is the name's (typoAt), not a word's
  if (r.entities.some((entity) => entity.norms.some((norm) => withinOneEdit(token.norm, norm)))) return null;
  const groups = TYPO_TARGETS.filter((group) => [...group].some((word) => close(token.text, word)));
  if (groups.length !== 1) return null;
  const word = [...groups[0]].find((candidate) => close(token.text, candidate))!;
  return { retype: { at: i, text: word, norm: normalise(word) } };
}

/** "claude" -> every claude model; "sonnet", "haiku", "gemini 2.5": the models whose names hold those parts. */
export function nameFamilyAt(r: Reading, i: number): Finding | null {
  const models = r.entities.filter((e) => e.kind === 'MODEL');
  if (models.length === 0) return null;
  for (const span of spans(r, i, 6)) {
    if (span.norm.length < 3 || /^\d+$/.test(span.norm)) continue;
    if (span.single && VOCABULARY.has(text(r, i))) continue;
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
    const words = r.tokens
      .slice(i, span.end)
      .map((t) => t.text)
      .join(' ');
    return entityFinding(r, 'MODEL', matches.map((m) => m.value), i, span.end, matches.length === 1 ? matches[0].label : `${words} (${matches.map((m) => m.value).join(', ')})`);
  }
  return null;
}

/** One-letter typos in model and provider names, taken only when exactly one name is that close. */
export function typoAt(r: Reading, i: number): Finding | null {
  const names = r.entities.filter((e) => e.kind === 'MODEL' || e.kind === 'PROVIDER');
  if (names.length === 0) return null;
  for (const span of spans(r, i, 6)) {
    if (span.norm.length < 4) continue;
    if (span.single && VOCABULARY.has(text(r, i))) continue;
    const close = names.filter((entity) => entity.norms.some((norm) => withinOneEdit(span.norm, norm)));
    const distinct = [...new Map(close.map((e) => [`${e.kind}:${e.value}`, e])).values()];
    if (distinct.length === 1) return entityFinding(r, distinct[0].kind, [distinct[0].value], i, span.end, distinct[0].label);
    if (distinct.length > 1) {
      const words = r.tokens
        .slice(i, span.end)
        .map((t) => t.text)
        .join(' ');
      return { reason: { at: i, text: `"${words}" is close to several names: ${distinct.map((e) => e.value).join(', ')}` } };
    }
  }
  return null;
}
