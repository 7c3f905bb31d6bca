import fc from 'fast-check';
import { calcPrice } from '@pydantic/genai-prices';
import { registryCost, registryModel } from '../src/pricing/pricing.service';

const MODELS: [string, string][] = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-3-5-sonnet'],
  ['anthropic', 'claude-3-5-haiku'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['google', 'gemini-2.0-flash'],
  ['google', 'gemini-2.5-pro'],
  ['mistral', 'mistral-large-latest'],
];

describe('registry pricing', () => {
  it('prices every call exactly as the registry does, tiered and cached models included', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.integer({ min: 0, max: 400_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2026-11-01T00:00:00Z'), noInvalidDate: true }),
        ([provider, modelId], inputTokens, outputTokens, readShare, writeShare, at) => {
          const cacheReadTokens = Math.floor(inputTokens * readShare * 0.6);
          const cacheWriteTokens = Math.floor((inputTokens - cacheReadTokens) * writeShare * 0.5);
          const expected = calcPrice(
            {
              input_tokens: inputTokens,
              output_tokens: outputTokens,
              cache_read_tokens: cacheReadTokens || undefined,
              cache_write_tokens: cacheWriteTokens || undefined,
            },
            modelId,
            { providerId: provider, timestamp: at },
          );
          const actual = registryCost(provider, modelId, { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens }, at);
          if (!expected) return actual === null;
          expect(actual!.input).toBeCloseTo(expected.input_price, 9);
          expect(actual!.output).toBeCloseTo(expected.output_price, 9);
          return true;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('knows nothing of a model the registry does not list', () => {
    expect(registryCost('self-hosted', 'house-model-7b', { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 }, new Date())).toBeNull();
  });
});

describe('registry model facts', () => {
  it('gives a tiered model its base rates', () => {
    const model = registryModel('claude-sonnet-4-5', 'anthropic');
    expect(model?.rates).toEqual({ inputPerMTok: 3, outputPerMTok: 15, cacheReadPerMTok: 0.3, cacheWritePerMTok: 3.75 });
  });
});
