import { calcPrice, findProvider, type ModelInfo } from '@pydantic/genai-prices';
import { In, type EntityManager } from 'typeorm';
import { ModelPriceOverrideEntity, PLATFORM_WORKSPACE_ID } from './model-price-override.entity';

export type PriceSource = 'REGISTRY' | 'OVERRIDE' | 'REPORTED';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** Dollars per million tokens. */
export interface Rates {
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok: number | null;
  cacheWritePerMTok: number | null;
}

export interface CallCost {
  /** Decimal strings, stored as numeric. */
  inputCost: string;
  outputCost: string;
  totalCost: string;
  priced: boolean;
  source: PriceSource | null;
}

/** Overrides that apply to one workspace: its own, then the platform's. Key: `provider\u0000model`. */
export type OverrideTable = Map<string, Rates>;

const overrideKey = (provider: string, modelId: string): string => `${provider}\u0000${modelId}`;

export const normaliseProvider = (provider: string): string => provider.trim().toLowerCase();

const money = (dollars: number): string => dollars.toFixed(12);

const rate = (value: string | null): number | null => (value === null ? null : Number(value));

/** The overrides of `workspaceId` and the platform's, read on a transaction's manager (ingest's, or `db.entities`). */
export async function loadOverrides(manager: EntityManager, workspaceId: string): Promise<OverrideTable> {
  const rows = await manager.findBy(ModelPriceOverrideEntity, { workspaceId: In([workspaceId, PLATFORM_WORKSPACE_ID]) });
  const table: OverrideTable = new Map();
  // Platform rows go in first, so the workspace's own rows overwrite them.
  for (const row of [...rows.filter((r) => r.workspaceId === PLATFORM_WORKSPACE_ID), ...rows.filter((r) => r.workspaceId !== PLATFORM_WORKSPACE_ID)]) {
    table.set(overrideKey(row.provider, row.modelId), {
      inputPerMTok: Number(row.inputPerMTok),
      outputPerMTok: Number(row.outputPerMTok),
      cacheReadPerMTok: rate(row.cacheReadPerMTok),
      cacheWritePerMTok: rate(row.cacheWritePerMTok),
    });
  }
  return table;
}

export function costFromRates(usage: TokenUsage, rates: Rates): { input: number; output: number } {
  const uncached = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  const input =
    uncached * rates.inputPerMTok +
    usage.cacheReadTokens * (rates.cacheReadPerMTok ?? rates.inputPerMTok) +
    usage.cacheWriteTokens * (rates.cacheWritePerMTok ?? rates.inputPerMTok);
  return { input: input / 1e6, output: (usage.outputTokens * rates.outputPerMTok) / 1e6 };
}

const registryMisses = new Set<string>();

type RegistryUsage = Record<string, number | undefined>;

/** Asks the registry, trying the named provider first and then any provider of the model. */
function askRegistry(provider: string, modelId: string, usage: RegistryUsage, at: Date): ReturnType<typeof calcPrice> {
  for (const options of [{ providerId: provider, timestamp: at }, { timestamp: at }]) {
    try {
      const result = calcPrice(usage, modelId, options);
      if (result) return result;
    } catch {
      // an unknown provider id: try the next way
    }
  }
  return null;
}

/** Dollars per token for a model whose registry prices are flat on a given day. */
interface LinearPrice {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

const linearPrices = new Map<string, LinearPrice | null>();
const PROBE = 1_000_000;

/**
 * The registry's prices are linear in the token counts unless they are tiered or depend on the
 * time of day; then four probes give the per-token rates, and every later call of that model on
 * that day is priced by arithmetic instead of a registry lookup (the lookup is most of ingest's
 * CPU time). Returns null where prices are not linear.
 */
function linearPrice(provider: string, modelId: string, at: Date): LinearPrice | null | undefined {
  const key = `${provider}\u0000${modelId}\u0000${at.toISOString().slice(0, 10)}`;
  if (linearPrices.has(key)) return linearPrices.get(key);
  const base = askRegistry(provider, modelId, { input_tokens: PROBE, output_tokens: PROBE }, at);
  if (!base) return undefined;
  const byTimeOfDay = Array.isArray(base.model.prices) && base.model.prices.some((p) => p.constraint?.type === 'time_of_date');
  const flat = Object.values(base.model_price).every((v) => v === undefined || typeof v === 'number');
  let linear: LinearPrice | null = null;
  if (flat && !byTimeOfDay) {
    const cacheRead = askRegistry(provider, modelId, { input_tokens: PROBE, output_tokens: 0, cache_read_tokens: PROBE }, at);
    const cacheWrite = askRegistry(provider, modelId, { input_tokens: PROBE, output_tokens: 0, cache_write_tokens: PROBE }, at);
    if (cacheRead && cacheWrite) {
      linear = {
        input: base.input_price / PROBE,
        output: base.output_price / PROBE,
        cacheRead: cacheRead.input_price / PROBE,
        cacheWrite: cacheWrite.input_price / PROBE,
      };
    }
  }
  if (linearPrices.size > 10_000) linearPrices.clear();
  linearPrices.set(key, linear);
  return linear;
}

/** The registry's price for a call, trying the named provider first and then any provider of the model. */
export function registryCost(provider: string, modelId: string, usage: TokenUsage, at: Date): { input: number; output: number } | null {
  const key = overrideKey(provider, modelId);
  if (registryMisses.has(key)) return null;
  const linear = linearPrice(provider, modelId, at);
  if (linear) {
    const uncached = usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens;
    return {
      input: uncached * linear.input + usage.cacheReadTokens * linear.cacheRead + usage.cacheWriteTokens * linear.cacheWrite,
      output: usage.outputTokens * linear.output,
    };
  }
  const result =
    linear === null
      ? askRegistry(
          provider,
          modelId,
          {
            input_tokens: usage.inputTokens,
            output_tokens: usage.outputTokens,
            cache_read_tokens: usage.cacheReadTokens || undefined,
            cache_write_tokens: usage.cacheWriteTokens || undefined,
          },
          at,
        )
      : null;
  if (!result) {
    registryMisses.add(key);
    return null;
  }
  return { input: result.input_price, output: result.output_price };
}

/**
 * Prices one call. A reported cost wins; then the workspace's (or platform's) override;
 * then the registry. A call none of them covers is unpriced, at zero cost.
 */
export function priceCall(
  call: TokenUsage & { provider: string; modelId: string; reportedCost?: number | null; occurredAt: Date },
  overrides: OverrideTable,
): CallCost {
  const rates = overrides.get(overrideKey(call.provider, call.modelId));
  const computed = rates ? costFromRates(call, rates) : registryCost(call.provider, call.modelId, call, call.occurredAt);
  if (call.reportedCost !== undefined && call.reportedCost !== null) {
    const reported = call.reportedCost;
    let inputShare: number;
    if (computed && computed.input + computed.output > 0) inputShare = computed.input / (computed.input + computed.output);
    else {
      const tokens = call.inputTokens + call.outputTokens;
      inputShare = tokens > 0 ? call.inputTokens / tokens : 1;
    }
    const input = Number(money(reported * inputShare));
    return { inputCost: money(input), outputCost: money(reported - input), totalCost: money(reported), priced: true, source: 'REPORTED' };
  }
  if (!computed) return { inputCost: money(0), outputCost: money(0), totalCost: money(0), priced: false, source: null };
  const input = money(computed.input);
  const output = money(computed.output);
  return {
    inputCost: input,
    outputCost: output,
    totalCost: money(Number(input) + Number(output)),
    priced: true,
    source: rates ? 'OVERRIDE' : 'REGISTRY',
  };
}

export interface RegistryModel {
  modelId: string;
  provider: string;
  displayName: string;
  contextWindow: number | null;
  rates: Rates | null;
  /** What the registry's price list and description say the model can do. */
  capabilities: string[];
}

const PRICED_CAPABILITIES: [string, string][] = [
  ['cache_read_mtok', 'prompt-caching'],
  ['input_audio_mtok', 'audio-input'],
  ['output_audio_mtok', 'audio-output'],
  ['web_searches_kcount', 'web-search'],
];

function capabilitiesOf(model: ModelInfo, prices: Record<string, unknown> | undefined): string[] {
  const found = ['text'];
  if (/vision|image|multimodal/i.test(model.description ?? '')) found.push('vision');
  for (const [key, capability] of PRICED_CAPABILITIES) if (prices?.[key] !== undefined) found.push(capability);
  if ((model.context_window ?? 0) >= 200_000) found.push('long-context');
  return found;
}

/** A rate per million tokens; for tiered prices, the base tier (what a call of ordinary length pays). */
const flat = (value: unknown): number | null => {
  if (typeof value === 'number') return value;
  const base = (value as { base?: unknown } | null)?.base;
  return typeof base === 'number' ? base : null;
};

/** What the registry knows of a model: name, context window, and its current flat rates. */
export function registryModel(modelId: string, provider?: string | null): RegistryModel | null {
  const providers = provider ? [findProvider({ providerId: normaliseProvider(provider) })] : [];
  const found = [...providers, findProvider({ modelId })].filter((p) => p !== undefined);
  for (const p of found) {
    const model = p.models.find((m: ModelInfo) => m.id === modelId || matches(m, modelId));
    if (!model) continue;
    const prices = Array.isArray(model.prices) ? model.prices[model.prices.length - 1]?.prices : model.prices;
    const input = flat(prices?.input_mtok);
    const output = flat(prices?.output_mtok);
    return {
      modelId,
      provider: p.id,
      displayName: model.name ?? model.id,
      contextWindow: model.context_window ?? null,
      capabilities: capabilitiesOf(model, prices),
      rates:
        input === null || output === null
          ? null
          : { inputPerMTok: input, outputPerMTok: output, cacheReadPerMTok: flat(prices?.cache_read_mtok), cacheWritePerMTok: flat(prices?.cache_write_mtok) },
    };
  }
  return null;
}

/** Every current model the registry prices at flat rates for a provider (for cheaper-model suggestions). */
export function registryModelsOf(provider: string): RegistryModel[] {
  const found = findProvider({ providerId: normaliseProvider(provider) });
  if (!found) return [];
  return found.models
    .filter((m) => !m.deprecated)
    .map((m) => registryModel(m.id, found.id))
    .filter((m): m is RegistryModel => m !== null && m.rates !== null);
}

function matches(model: ModelInfo, modelId: string): boolean {
  const test = (logic: ModelInfo['match']): boolean => {
    if ('equals' in logic) return logic.equals === modelId;
    if ('starts_with' in logic) return modelId.startsWith(logic.starts_with);
    if ('ends_with' in logic) return modelId.endsWith(logic.ends_with);
    if ('contains' in logic) return modelId.includes(logic.contains);
    if ('regex' in logic) return new RegExp(logic.regex).test(modelId);
    if ('or' in logic) return logic.or.some(test);
    if ('and' in logic) return logic.and.every(test);
    return false;
  };
  return test(model.match);
}
