/**
 * Reads a question in plain words ("cost by model last 7 days", "p95 latency per model
 * yesterday", "which agent spent the most this month?") into a metrics query, without a
 * language model: a fixed vocabulary, a few phrase patterns, and the names the workspace
 * actually uses. Word order, case and punctuation do not matter. Anything it cannot place
 * is reported back rather than guessed.
 */
import { answer } from './question-answer';
import { type Reading, free, startReading } from './question-reading';
import { type Found, applyAll } from './question-finding';
import { EXAMPLE_QUESTIONS, MAX_QUESTION_LENGTH, type ParseContext, type ParseOutcome } from './question-types';
import { attributionAt, compoundDimensionAt, exactEntityAt, nameFamilyAt, statusOrKeyPhraseAt, typoAt, wordTypoAt } from './read-filters';
import { chartTypeAt, detailMetricAt, dimensionAt, errorRateAt, fillerAt, latencyAt, latencyFindings, measureAt, rankingAt, readSides, shareWordAt } from './read-measures';
import { calendarPhraseAt } from './read-calendar';
import { bucketAt, timeRangeAt, zoneAt } from './read-time';

export * from './question-types';

type Pass = (r: Reading) => Reading;

/** A pass over the free tokens, left to right: each finding is applied before the next word is looked at, so it sees what earlier words took. */
const scan =
  (matcher: (r: Reading, i: number) => Found): Pass =>
  (r) =>
    r.tokens.reduce((reading, _, i) => (free(reading, i) ? applyAll(reading, matcher(reading, i)) : reading), r);

/** A pass that looks at the whole reading once. */
const once =
  (matcher: (r: Reading) => Found): Pass =>
  (r) =>
    applyAll(r, matcher(r));

/**
 * The passes, in the order they take words: each takes only words no earlier pass took, so the
 * more specific readings (names, dates, phrases) come before single words and fillers.
 */
const PASSES: Pass[] = [
  scan(zoneAt),
  scan(attributionAt),
  scan(exactEntityAt),
  scan(wordTypoAt),
  scan(chartTypeAt),
  scan(calendarPhraseAt),
  scan(timeRangeAt),
  scan(bucketAt),
  scan(statusOrKeyPhraseAt),
  scan(compoundDimensionAt),
  scan(rankingAt),
  // what is measured: named details and rates before latency, input/output sides before the plain nouns
  scan(detailMetricAt),
  scan(errorRateAt),
  scan(latencyAt),
  readSides,
  scan(measureAt),
  once(latencyFindings),
  scan(dimensionAt),
  scan(shareWordAt),
  scan(fillerAt),
  scan(typoAt),
  scan(nameFamilyAt),
];

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
  return answer(PASSES.reduce((reading, pass) => pass(reading), startReading(trimmed, context)));
}
