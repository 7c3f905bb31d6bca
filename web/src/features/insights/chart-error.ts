import { CombinedGraphQLErrors } from '@apollo/client';
import { describeError } from '../../components/card-status';

/** Why a chart is missing: the question was refused (the parser says why), or the request failed. */
export type ChartFailure = { kind: 'refused'; message: string } | { kind: 'failed'; message: string };

/** Tells a question the gateway could not read (BAD_USER_INPUT, shown as it is) from a failure worth a retry. */
export function chartFailure(error: Error): ChartFailure {
  if (CombinedGraphQLErrors.is(error)) {
    const refused = error.errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
    if (refused) return { kind: 'refused', message: refused.message };
  }
  return { kind: 'failed', message: describeError(error) };
}

/** The parser's examples, pulled out of its message so the page can offer them as buttons. */
export function examplesIn(message: string): { text: string; examples: string[] } {
  const at = message.indexOf('Try a question like:');
  if (at < 0) return { text: message, examples: [] };
  const examples = [...message.slice(at).matchAll(/"([^"]+)"/g)].map((match) => match[1]);
  return { text: message.slice(0, at).trim(), examples };
}

const NAMES_A_TIME = /\d|\b(today|yesterday|hours?|days?|weeks?|months?|years?|since|between|ago|hourly|daily|weekly|monthly|ytd|mtd|wtd|january|february|march|april|may|june|july|august|september|october|november|december)\b/i;

/** The question over the last 30 days, when it names no time of its own (it ran over the default 7 days); otherwise null. */
export function widerQuestion(question: string): string | null {
  if (NAMES_A_TIME.test(question)) return null;
  return `${question.trim().replace(/[?.!]+$/, '')} over the last 30 days`;
}
