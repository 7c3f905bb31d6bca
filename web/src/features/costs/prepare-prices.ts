import { formatCount, formatDollars } from '../../format';
import type { ModelPriceInput, RepriceCallsMutation } from '../../gql/graphql';

/** The price form as typed: dollars per million tokens, as text; the cache prices may stay empty. */
export interface PriceFormValues {
  modelId: string;
  provider: string;
  inputPerMTok: string;
  outputPerMTok: string;
  cacheReadPerMTok: string;
  cacheWritePerMTok: string;
}

type PriceField = 'provider' | 'inputPerMTok' | 'outputPerMTok' | 'cacheReadPerMTok' | 'cacheWritePerMTok';

/** The form's answer: setModelPrice's input, or a message per field that is wrong. */
export type PriceFormResult = { ok: true; input: ModelPriceInput } | { ok: false; errors: Partial<Record<PriceField, string>> };

/** The most the gateway accepts, in dollars per million tokens. */
const MAX_PER_MTOK = 100_000;

function readPrice(text: string, required: boolean): { value: number | null; error: string | null } {
  const cleaned = text.trim().replace(/^\$/, '');
  if (cleaned === '') return required ? { value: null, error: 'Enter dollars per million tokens, such as 2.50' } : { value: null, error: null };
  const value = Number(cleaned);
  if (!Number.isFinite(value) || value < 0 || value > MAX_PER_MTOK) {
    return { value: null, error: `Enter dollars per million tokens from 0 to ${formatCount(MAX_PER_MTOK)}, but got "${text.trim()}"` };
  }
  return { value, error: null };
}

/** Reads the price form as the gateway will check it: input and output prices required, cache prices optional. */
export function parsePriceForm(values: PriceFormValues): PriceFormResult {
  const errors: Partial<Record<PriceField, string>> = {};
  const provider = values.provider.trim();
  if (!provider) errors.provider = 'Enter the provider, such as openai';
  const input = readPrice(values.inputPerMTok, true);
  const output = readPrice(values.outputPerMTok, true);
  const cacheRead = readPrice(values.cacheReadPerMTok, false);
  const cacheWrite = readPrice(values.cacheWritePerMTok, false);
  if (input.error) errors.inputPerMTok = input.error;
  if (output.error) errors.outputPerMTok = output.error;
  if (cacheRead.error) errors.cacheReadPerMTok = cacheRead.error;
  if (cacheWrite.error) errors.cacheWritePerMTok = cacheWrite.error;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      modelId: values.modelId,
      provider,
      inputPerMTok: input.value ?? 0,
      outputPerMTok: output.value ?? 0,
      ...(cacheRead.value !== null ? { cacheReadPerMTok: cacheRead.value } : {}),
      ...(cacheWrite.value !== null ? { cacheWritePerMTok: cacheWrite.value } : {}),
    },
  };
}

/** What a re-price did, in a sentence: "Re-priced 1,234 calls of the last 30 days; their cost rose by $5.67." */
export function describeReprice(result: RepriceCallsMutation['repriceLlmCalls'], phrase: string): string {
  const calls = `${formatCount(result.updated)} ${result.updated === 1 ? 'call' : 'calls'}`;
  if (result.updated === 0) return `No calls of ${phrase} needed a new price.`;
  const change =
    Math.abs(result.costDelta) < 1e-9
      ? 'their cost did not change'
      : `their cost ${result.costDelta > 0 ? 'rose' : 'fell'} by ${formatDollars(Math.abs(result.costDelta))}`;
  return `Re-priced ${calls} of ${phrase}; ${change}.`;
}
