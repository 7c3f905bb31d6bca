import { CombinedGraphQLErrors } from '@apollo/client';
import { chartFailure, examplesIn, widerQuestion } from './chart-error';

const REFUSAL =
  'Could not place "banana" in the question "banana cost". Understood so far: cost. Try a question like: "cost by model last 7 days", "p95 latency per model yesterday", "which agent spent the most this month?".';

describe('chartFailure', () => {
  it("shows the parser's refusal as it is", () => {
    const error = new CombinedGraphQLErrors({ errors: [{ message: REFUSAL, extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(chartFailure(error)).toEqual({ kind: 'refused', message: REFUSAL });
  });

  it('treats anything else as a failure worth a retry, in words', () => {
    expect(chartFailure(new Error('Failed to fetch'))).toEqual({ kind: 'failed', message: 'The gateway could not be reached. Check that it is running, then retry.' });
  });
});

describe('examplesIn', () => {
  it("splits the parser's examples from its explanation", () => {
    expect(examplesIn(REFUSAL)).toEqual({
      text: 'Could not place "banana" in the question "banana cost". Understood so far: cost.',
      examples: ['cost by model last 7 days', 'p95 latency per model yesterday', 'which agent spent the most this month?'],
    });
  });
});

describe('widerQuestion', () => {
  it('asks over the last 30 days when the question named no time', () => {
    expect(widerQuestion('cost by model?')).toBe('cost by model over the last 30 days');
  });

  it.each(['cost yesterday', 'cost last 7 days', 'daily cost', 'cost since march'])('leaves "%s" alone: it names a time', (question) => {
    expect(widerQuestion(question)).toBeNull();
  });
});
