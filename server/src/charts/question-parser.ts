/**
 * Reads a question in plain words ("cost by model last 7 days", "p95 latency per model
 * yesterday", "which agent spent the most this month?") into a metrics query, without a
 * language model: a fixed vocabulary, a few phrase patterns, and the names the workspace
 * actually uses. Word order, case and punctuation do not matter. Anything it cannot place
 * is reported back rather than guessed.
 */
import { answer } from './question-answer';
import { Reading } from './question-reading';
import { EXAMPLE_QUESTIONS, MAX_QUESTION_LENGTH, type ParseContext, type ParseOutcome } from './question-types';
import { readAttribution, readCompoundDimensions, readExactEntities, readNameFamilies, readStatusAndKeyPhrases, readTypos, readWordTypos } from './read-filters';
import { readChartTypes, readDimensions, readFiller, readMetrics, readRanking, readShareWords } from './read-measures';
import { readCalendarPhrases } from './read-calendar';
import { readBuckets, readTimeRanges, readZones } from './read-time';

export * from './question-types';

/**
 * The passes, in the order they take words: each takes only words no earlier pass took, so the
 * more specific readings (names, dates, phrases) come before single words and fillers.
 */
const PASSES: ((reading: Reading) => void)[] = [
  readZones,
  readAttribution,
  readExactEntities,
  readWordTypos,
  readChartTypes,
  readCalendarPhrases,
  readTimeRanges,
  readBuckets,
  readStatusAndKeyPhrases,
  readCompoundDimensions,
  readRanking,
  readMetrics,
  readDimensions,
  readShareWords,
  readFiller,
  readTypos,
  readNameFamilies,
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
  const reading = new Reading(trimmed, context);
  for (const pass of PASSES) pass(reading);
  return answer(reading);
}
