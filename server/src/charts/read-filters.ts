/** Passes that read filters: tags, users and metadata, kinds of call and key, and the workspace's own names (exact, by family, or one typo away). */
import { CONJUNCTIONS, ERROR_WORDS, METADATA_VERBS, RATE_WORDS, REQUEST_WORDS, SHARE_WORDS, SUCCESS_WORDS, TAG_WORDS, TYPO_TARGETS, USER_WORDS, VOCABULARY } from './question-words';
import { ENTITY_NOUNS, type Entity, type EntityKind, KIND_PREFERENCE, normalise, withinOneEdit } from './question-tokens';
import type { Reading } from './question-reading';

/**
 * "tag prod", "tagged beta": calls carrying the tag; "user u-42", "customer acme": that end
 * user's calls; "where feature is search", "where plan = pro", "feature=search": a metadata
 * pair. Names and values are taken as written; "by tag" and "per user" stay groupings.
 */
export function readAttribution(r: Reading): void {
  r.eachFree((i) => {
    if (!r.free(i)) return;
    const word = r.text(i);
    if ((TAG_WORDS.has(word) || USER_WORDS.has(word)) && !['by', 'per', 'each', 'every', 'across'].includes(r.text(i - 1))) {
      const name = r.nameAt(i + 1);
      if (!name) return;
      const isTag = TAG_WORDS.has(word);
      (isTag ? r.tags : r.userIds).push(name.value);
      const start = ['with', 'for', 'of'].includes(r.text(i - 1)) ? i - 1 : i;
      return r.take(start, name.end, `${isTag ? 'tag' : 'user'} ${name.value}`);
    }
    // feature=search: one written word whose two sides are the key and the value
    const written = r.tokens[i].written;
    const equals = written.indexOf('=');
    if (equals > 0 && equals < written.length - 1 && (i === 0 || r.tokens[i - 1].chunk !== r.tokens[i].chunk)) {
      let end = i;
      while (end < r.tokens.length && r.tokens[end].chunk === r.tokens[i].chunk) end++;
      const pair = { key: written.slice(0, equals), value: written.slice(equals + 1) };
      r.metadata.push(pair);
      return r.take(r.text(i - 1) === 'where' ? i - 1 : i, end, `where ${pair.key} is ${pair.value}`);
    }
    if (word !== 'where' && !(word === 'and' && r.metadata.length > 0 && r.tokens[i - 1]?.used)) return;
    const key = r.nameAt(i + 1);
    if (!key) return;
    const verb = METADATA_VERBS.has(r.text(key.end)) ? key.end + 1 : r.tokens[key.end]?.chunk === r.tokens[key.end - 1].chunk + 2 ? key.end : -1;
    const value = verb >= 0 ? (r.nameAt(verb) ?? (r.free(verb) ? { value: r.tokens[verb].written, end: verb + 1 } : null)) : null;
    if (!value) return;
    const pair = { key: r.tokens[i + 1].written, value: value.value };
    r.metadata.push(pair);
    r.take(i, value.end, `where ${pair.key} is ${pair.value}`);
  });
}

export function readStatusAndKeyPhrases(r: Reading): void {
  const callNoun = (j: number) => REQUEST_WORDS.has(r.text(j));
  const isError = (j: number) => ERROR_WORDS.has(r.text(j));
  const isSuccess = (j: number) => SUCCESS_WORDS.has(r.text(j));
  const isByokWord = (j: number) => r.text(j) === 'byok';
  const platformAt = (j: number): number => {
    // "platform", "platform keys", "non byok", "our keys"
    if (r.text(j) === 'platform') return r.text(j + 1) === 'key' || r.text(j + 1) === 'keys' ? j + 2 : j + 1;
    if ((r.text(j) === 'non' || r.text(j) === 'not') && isByokWord(j + 1)) return j + 2;
    return -1;
  };
  r.eachFree((i) => {
    if (!r.free(i)) return;
    const word = r.text(i);
    // success vs errors, errors and successes: a split by status
    if ((isSuccess(i) && CONJUNCTIONS.has(r.text(i + 1)) && isError(i + 2)) || (isError(i) && CONJUNCTIONS.has(r.text(i + 1)) && isSuccess(i + 2))) {
      r.impliedMetric ??= { metric: 'REQUESTS', at: i };
      return r.addDimension('STATUS', i, i + 3, 'by status');
    }
    // byok vs platform, platform vs byok, by byok, byok split
    const platformFirst = platformAt(i);
    if (platformFirst > 0 && ['vs', 'versus', 'or', 'and'].includes(r.text(platformFirst)) && isByokWord(platformFirst + 1)) {
      return r.addDimension('IS_BYOK', i, platformFirst + 2, 'BYOK or not');
    }
    if (isByokWord(i) && ['vs', 'versus', 'or', 'and'].includes(r.text(i + 1))) {
      const end = platformAt(i + 2);
      if (end > 0) return r.addDimension('IS_BYOK', i, end, 'BYOK or not');
      if (r.text(i + 2) === 'not') return r.addDimension('IS_BYOK', i, i + 3, 'BYOK or not');
    }
    if (['by', 'per', 'across'].includes(word) && isByokWord(i + 1)) return r.addDimension('IS_BYOK', i, i + 2, 'BYOK or not');
    if (isByokWord(i) && ['split', 'breakdown', 'share'].includes(r.text(i + 1))) return r.addDimension('IS_BYOK', i, i + 2, 'BYOK or not');
    if (word === 'key' && ['type', 'source', 'kind'].includes(r.text(i + 1))) return r.addDimension('IS_BYOK', i, i + 2, 'BYOK or not');
    // platform keys only, non-byok, without byok
    if (platformFirst > 0) return r.setByok(false, i, r.text(platformFirst) === 'only' ? platformFirst + 1 : platformFirst);
    if ((word === 'without' || word === 'excluding') && isByokWord(i + 1)) return r.setByok(false, i, i + 2);
    // byok only, only byok, byok calls, own keys, bring your own key
    if (isByokWord(i)) return r.setByok(true, i, r.text(i + 1) === 'only' || r.text(i + 1) === 'keys' ? i + 2 : i + 1);
    if (word === 'own' && (r.text(i + 1) === 'key' || r.text(i + 1) === 'keys')) return r.setByok(true, i, i + 2);
    if (word === 'own' && r.text(i + 1) === 'api' && ['key', 'keys'].includes(r.text(i + 2))) return r.setByok(true, i, i + 3);

    // errors only, only errors, only failed calls, just failures, without errors
    if ((word === 'only' || word === 'just') && (isError(i + 1) || isSuccess(i + 1))) {
      const end = callNoun(i + 2) ? i + 3 : i + 2;
      return r.setStatus(isError(i + 1) ? 'ERROR' : 'SUCCESS', i, end);
    }
    if (isError(i) || isSuccess(i)) {
      const noun = callNoun(i + 1) ? 1 : 0;
      if (r.text(i + 1 + noun) === 'only') return r.setStatus(isError(i) ? 'ERROR' : 'SUCCESS', i, i + 2 + noun);
    }
    if (['without', 'excluding', 'no', 'except'].includes(word) && isError(i + 1)) return r.setStatus('SUCCESS', i, i + 2);
    // percentage of failed calls, share of errors: a rate
    const rateBefore = RATE_WORDS.has(r.text(i - 1)) ? i - 1 : r.text(i - 1) === 'of' && (RATE_WORDS.has(r.text(i - 2)) || SHARE_WORDS.has(r.text(i - 2))) ? i - 2 : -1;
    if (rateBefore >= 0 && isError(i)) {
      r.addMetric('ERROR_RATE', rateBefore);
      return r.take(rateBefore, callNoun(i + 1) ? i + 2 : i + 1, 'error rate');
    }
    // failed calls, successful requests, cost of errors: a filter when something else is measured
    if ((isError(i) || isSuccess(i)) && callNoun(i + 1) && !RATE_WORDS.has(r.text(i + 2)) && !RATE_WORDS.has(r.text(i - 1))) {
      r.statusPhrase = { status: isError(i) ? 'ERROR' : 'SUCCESS', at: i };
      r.take(i, i + 2, isError(i) ? 'failed calls' : 'successful calls');
      return;
    }
    if (['of', 'on', 'from', 'in'].includes(r.text(i - 1)) && isError(i) && !RATE_WORDS.has(r.text(i + 1))) {
      r.statusPhrase = { status: 'ERROR', at: i };
      r.take(i, i + 1, 'failed calls');
    }
  });
}

export function readCompoundDimensions(r: Reading): void {
  r.eachFree((i) => {
    if (!r.free(i)) return;
    const word = r.text(i);
    if (['request', 'requests', 'call', 'calls', 'req'].includes(word) && ['type', 'types', 'kind', 'kinds'].includes(r.text(i + 1))) {
      return r.addDimension('REQUEST_TYPE', i, i + 2, 'by request type');
    }
    if (word === 'use' && (r.text(i + 1) === 'case' || r.text(i + 1) === 'cases')) return r.addDimension('REQUEST_TYPE', i, i + 2, 'by request type');
  });
}

export function readExactEntities(r: Reading): void {
  if (r.entities.length === 0) return;
  const byNorm = new Map<string, Entity[]>();
  for (const entity of r.entities) for (const norm of entity.norms) byNorm.set(norm, [...(byNorm.get(norm) ?? []), entity]);
  r.eachFree((i) => {
    if (!r.free(i)) return;
    for (const span of r.spans(i, 8)) {
      // "embeddings", "tool calls": a request type in the plural counts its calls
      const plural = !byNorm.has(span.norm) && span.norm.endsWith('s') ? byNorm.get(span.norm.slice(0, -1))?.filter((c) => c.kind === 'REQUEST_TYPE') : undefined;
      let candidates = byNorm.get(span.norm) ?? (plural?.length ? plural : undefined);
      if (!candidates || span.norm === '') continue;
      const nounBefore = Object.entries(ENTITY_NOUNS).find(([, nouns]) => nouns.has(r.text(i - 1)))?.[0] as EntityKind | undefined;
      if (nounBefore && candidates.some((c) => c.kind === nounBefore)) candidates = candidates.filter((c) => c.kind === nounBefore);
      // A name that is also a word of the vocabulary ("chat" is fine, "cost" is not) needs its noun.
      else if (span.single && VOCABULARY.has(r.text(i))) continue;
      const entity = KIND_PREFERENCE.map((kind) => candidates.find((c) => c.kind === kind)).find(Boolean)!;
      r.addEntityFilter(entity.kind, [entity.value], i, span.end, entity.label);
      if (plural) r.addMetric('REQUESTS', i, true);
      return;
    }
  });
}

/** One-letter typos in the reader's own words ("tokns", "provdier"), read only when every word that close means the same. */
export function readWordTypos(r: Reading): void {
  const close = (typed: string, word: string) => word.length >= 4 && withinOneEdit(typed, word);
  r.eachFree((i) => {
    const token = r.tokens[i];
    if (token.text.length < 5 || !/^[a-z]+$/.test(token.text) || VOCABULARY.has(token.text) || !r.wholeChunks(i, i + 1)) return;
    // a name one letter off is the name's (readTypos), not a word's
    if (r.entities.some((entity) => entity.norms.some((norm) => withinOneEdit(token.norm, norm)))) return;
    const groups = TYPO_TARGETS.filter((group) => [...group].some((word) => close(token.text, word)));
    if (groups.length !== 1) return;
    token.text = [...groups[0]].find((word) => close(token.text, word))!;
    token.norm = normalise(token.text);
  });
}

/** "claude" -> every claude model; "sonnet", "haiku", "gemini 2.5": the models whose names hold those parts. */
export function readNameFamilies(r: Reading): void {
  const models = r.entities.filter((e) => e.kind === 'MODEL');
  if (models.length === 0) return;
  r.eachFree((i) => {
    if (!r.free(i)) return;
    for (const span of r.spans(i, 6)) {
      if (span.norm.length < 3 || /^\d+$/.test(span.norm)) continue;
      if (span.single && VOCABULARY.has(r.text(i))) continue;
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
      r.addEntityFilter('MODEL', matches.map((m) => m.value), i, span.end, matches.length === 1 ? matches[0].label : `${words} (${matches.map((m) => m.value).join(', ')})`);
      return;
    }
  });
}

/** One-letter typos in model and provider names, taken only when exactly one name is that close. */
export function readTypos(r: Reading): void {
  const names = r.entities.filter((e) => e.kind === 'MODEL' || e.kind === 'PROVIDER');
  if (names.length === 0) return;
  r.eachFree((i) => {
    if (!r.free(i)) return;
    for (const span of r.spans(i, 6)) {
      if (span.norm.length < 4) continue;
      if (span.single && VOCABULARY.has(r.text(i))) continue;
      const close = names.filter((entity) => entity.norms.some((norm) => withinOneEdit(span.norm, norm)));
      const distinct = [...new Map(close.map((e) => [`${e.kind}:${e.value}`, e])).values()];
      if (distinct.length === 1) {
        r.addEntityFilter(distinct[0].kind, [distinct[0].value], i, span.end, distinct[0].label);
        return;
      }
      if (distinct.length > 1) {
        const words = r.tokens
          .slice(i, span.end)
          .map((t) => t.text)
          .join(' ');
        r.reasons.set(i, `"${words}" is close to several names: ${distinct.map((e) => e.value).join(', ')}`);
        return;
      }
    }
  });
}
