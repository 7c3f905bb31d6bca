/**
 * The bounds of one call, chosen from reality so that no sum can overflow (see rollup.ts and
 * agent-stats.ts for what each bound buys), and written into the schema's descriptions.
 */
export const CALL_BOUNDS = {
  /** Tokens of each count per request: ten times the largest context window on sale (10M). */
  maxTokensPerRequest: 100_000_000,
  /** A day: no LLM call waits longer, and a longer figure is a unit mistake. */
  maxLatencyMs: 86_400_000,
  /** Dollars a single request may report; the dearest request on sale today costs a few hundred. */
  maxReportedCostPerRequest: 10_000,
  earliestOccurredAt: new Date('2000-01-01T00:00:00Z'),
  /** Clocks drift; a call further ahead than this is a wrong clock or a wrong unit. */
  maxFutureMs: 5 * 60_000,
  /** Requests one imported row may stand for (a provider's daily figures for one model). */
  maxRequestCount: 100_000_000,
  /** Characters of modelId, provider, tier, requestType, errorType, eventId, executionId and workflow. */
  maxTextLength: 256,
  /** Characters of agentId. */
  maxAgentIdLength: 128,
  /** UTF-8 bytes of metadata as JSON. */
  maxMetadataBytes: 16_384,
  /** Characters of userId and sessionId. */
  maxAttributionIdLength: 200,
  /** Tags of one call, after duplicates are dropped. */
  maxTags: 50,
  /** Characters of one tag, after trimming. */
  maxTagLength: 200,
} as const;

export const MAX_FUTURE_MS = CALL_BOUNDS.maxFutureMs;
