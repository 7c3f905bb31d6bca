import { cardStatus, describeError, type CardStatusInput } from './card-status';

const retry = () => {};
const base: CardStatusInput = { loading: false, error: null, hasData: false, isEmpty: false, emptyMessage: 'Send a call', retry };

describe('cardStatus', () => {
  it.each<[string, Partial<CardStatusInput>, string]>([
    ['loading with nothing to show', { loading: true }, 'loading'],
    ['an error with nothing to show', { error: new Error('boom') }, 'error'],
    ['an error while loading again', { loading: true, error: new Error('boom') }, 'error'],
    ['data', { hasData: true }, 'ready'],
    ['data that is empty', { hasData: true, isEmpty: true }, 'empty'],
    ['data kept on screen while a refetch runs', { hasData: true, loading: true }, 'ready'],
    ['data kept on screen after a refetch failed', { hasData: true, error: new Error('boom') }, 'ready'],
    ['neither data, loading nor an error', {}, 'empty'],
  ])('shows %s as %p', (_case, input, kind) => {
    expect(cardStatus({ ...base, ...input }).kind).toBe(kind);
  });
});

describe('describeError', () => {
  it.each([
    ['Failed to fetch', 'The gateway could not be reached. Check that it is running, then retry.'],
    ['Response not successful: Received status code 502', 'The gateway answered with HTTP 502. Retry in a moment.'],
    ['period must be one of LAST_24H…', 'period must be one of LAST_24H…'],
  ])('turns %p into %p', (message, expected) => {
    expect(describeError(new Error(message))).toBe(expected);
  });
});
