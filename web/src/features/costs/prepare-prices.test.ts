import { describeReprice, parsePriceForm, type PriceFormValues } from './prepare-prices';

const form = (overrides: Partial<PriceFormValues> = {}): PriceFormValues => ({
  modelId: 'local-llm',
  provider: 'ollama',
  inputPerMTok: '0.5',
  outputPerMTok: '$1.50',
  cacheReadPerMTok: '',
  cacheWritePerMTok: '',
  ...overrides,
});

describe('parsePriceForm', () => {
  it('reads dollars per million tokens and leaves empty cache prices out', () => {
    expect(parsePriceForm(form())).toEqual({ ok: true, input: { modelId: 'local-llm', provider: 'ollama', inputPerMTok: 0.5, outputPerMTok: 1.5 } });
  });

  it('sends cache prices when they are given', () => {
    const result = parsePriceForm(form({ cacheReadPerMTok: '0.05', cacheWritePerMTok: '0' }));
    expect(result).toMatchObject({ ok: true, input: { cacheReadPerMTok: 0.05, cacheWritePerMTok: 0 } });
  });

  it.each([
    [{ provider: ' ' }, { provider: 'Enter the provider, such as openai' }],
    [{ inputPerMTok: '' }, { inputPerMTok: 'Enter dollars per million tokens, such as 2.50' }],
    [{ outputPerMTok: '-1' }, { outputPerMTok: 'Enter dollars per million tokens from 0 to 100,000, but got "-1"' }],
    [{ cacheReadPerMTok: 'free' }, { cacheReadPerMTok: 'Enter dollars per million tokens from 0 to 100,000, but got "free"' }],
    [{ inputPerMTok: '200000' }, { inputPerMTok: 'Enter dollars per million tokens from 0 to 100,000, but got "200000"' }],
  ])('refuses %o with %o', (overrides, errors) => {
    expect(parsePriceForm(form(overrides))).toEqual({ ok: false, errors });
  });
});

describe('describeReprice', () => {
  it.each([
    [{ updated: 1234, costDelta: 5.67 }, 'Re-priced 1,234 calls of the last 30 days; their cost rose by $5.67.'],
    [{ updated: 1, costDelta: -0.5 }, 'Re-priced 1 call of the last 30 days; their cost fell by $0.50.'],
    [{ updated: 12, costDelta: 0 }, 'Re-priced 12 calls of the last 30 days; their cost did not change.'],
    [{ updated: 0, costDelta: 0 }, 'No calls of the last 30 days needed a new price.'],
  ])('describes %o as "%s"', (result, text) => {
    expect(describeReprice({ __typename: 'RepriceResult', ...result }, 'the last 30 days')).toBe(text);
  });
});
