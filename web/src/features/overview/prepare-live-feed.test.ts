import { createSeriesColors } from '../../components/series-colors';
import type { FeedCallFragment } from '../../gql/graphql';
import { mergeFeedCalls, prepareFeedRows } from './prepare-live-feed';

const call = (overrides: Partial<FeedCallFragment> = {}): FeedCallFragment => ({
  __typename: 'LlmCall',
  id: '1',
  occurredAt: '2025-05-03T14:05:09Z',
  modelId: 'gpt-4o',
  provider: 'openai',
  agent: { __typename: 'Agent', id: 'support-bot', name: 'Support bot' },
  inputTokens: 1200,
  outputTokens: 340,
  totalTokens: 1540,
  totalCost: 0.0123,
  priced: true,
  latencyMs: 840,
  status: 'SUCCESS',
  errorType: null,
  ...overrides,
});

const options = { timeZone: 'UTC', now: new Date('2025-05-03T15:00:00Z'), colors: createSeriesColors() };

describe('prepareFeedRows', () => {
  it('writes a call as a row a person reads at a glance', () => {
    expect(prepareFeedRows([call()], options)[0]).toMatchObject({
      time: '14:05:09',
      model: 'gpt-4o',
      provider: 'openai',
      agent: 'Support bot',
      tokens: '1.2k in · 340 out',
      cost: '$0.01',
      latency: '840 ms',
      status: { ok: true, text: 'OK', detail: null },
    });
  });

  it('puts the date before the time of a call from another day', () => {
    expect(prepareFeedRows([call({ occurredAt: '2025-05-01T09:30:00Z' })], options)[0].time).toBe('1 May, 09:30');
  });

  it('writes the time in the viewer time zone', () => {
    expect(prepareFeedRows([call()], { ...options, timeZone: 'Asia/Kolkata' })[0].time).toBe('19:35:09');
  });

  it('says an error in words, with its type', () => {
    expect(prepareFeedRows([call({ status: 'ERROR', errorType: 'rate_limit' })], options)[0].status).toEqual({
      ok: false,
      text: 'Error',
      detail: 'rate_limit',
    });
  });

  it('says "unpriced" rather than $0.00 when no price was known', () => {
    expect(prepareFeedRows([call({ priced: false, totalCost: 0 })], options)[0].cost).toBe('unpriced');
  });

  it('shows a dash for a call without an agent', () => {
    expect(prepareFeedRows([call({ agent: null })], options)[0].agent).toBe('—');
  });

  it('gives a model the colour it has on the charts', () => {
    const colors = createSeriesColors();
    const expected = colors.colorFor('claude');
    expect(prepareFeedRows([call({ modelId: 'claude' })], { ...options, colors })[0].modelColor).toBe(expected);
  });
});

describe('mergeFeedCalls', () => {
  const ids = (calls: { id: string }[]) => calls.map((c) => c.id);

  it('puts arrived calls on top, the latest arrival first', () => {
    expect(ids(mergeFeedCalls([{ id: 'a' }, { id: 'b' }], [{ id: 'c' }, { id: 'd' }]))).toEqual(['d', 'c', 'a', 'b']);
  });

  it('does not repeat a call already in the feed', () => {
    expect(ids(mergeFeedCalls([{ id: 'a' }, { id: 'b' }], [{ id: 'b' }]))).toEqual(['b', 'a']);
  });

  it('keeps at most max calls, dropping the oldest', () => {
    expect(ids(mergeFeedCalls([{ id: 'a' }, { id: 'b' }, { id: 'c' }], [{ id: 'd' }], 3))).toEqual(['d', 'a', 'b']);
  });
});
