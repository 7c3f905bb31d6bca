import type { Period } from './gql/graphql';

/** A period the picker offers, with the words it is shown in. */
export interface PeriodOption {
  value: Period;
  /** Short label on the picker button: "7d". */
  short: string;
  /** The period in a sentence: "the last 7 days". */
  phrase: string;
  lengthMs: number;
}

const HOUR_MS = 3_600_000;

/** The periods the dashboard offers, shortest first. */
export const PERIOD_OPTIONS: readonly PeriodOption[] = [
  { value: 'LAST_24H', short: '24h', phrase: 'the last 24 hours', lengthMs: 24 * HOUR_MS },
  { value: 'LAST_7D', short: '7d', phrase: 'the last 7 days', lengthMs: 7 * 24 * HOUR_MS },
  { value: 'LAST_30D', short: '30d', phrase: 'the last 30 days', lengthMs: 30 * 24 * HOUR_MS },
  { value: 'LAST_90D', short: '90d', phrase: 'the last 90 days', lengthMs: 90 * 24 * HOUR_MS },
];

/** The period a page shows when the URL names none. @default LAST_7D */
export const DEFAULT_PERIOD: Period = 'LAST_7D';

/** The period a URL parameter names, or the default when it names none the picker offers. */
export function parsePeriod(value: string | null | undefined): Period {
  return PERIOD_OPTIONS.find((option) => option.value === value)?.value ?? DEFAULT_PERIOD;
}

/** The picker's description of a period. */
export function periodOption(period: Period): PeriodOption {
  return PERIOD_OPTIONS.find((option) => option.value === period) ?? PERIOD_OPTIONS[1];
}

/**
 * A card's own period from its URL parameter: the period it names, or null (follow the page)
 * when it names none the picker offers.
 */
export function parseCardPeriod(value: string | null | undefined): Period | null {
  return PERIOD_OPTIONS.find((option) => option.value === value)?.value ?? null;
}

/** The URL parameter of each card that keeps a period of its own, so a link opens the cards as they were. */
export const CARD_PERIOD_PARAMS = {
  costTrend: 'trendPeriod',
  projection: 'projectionPeriod',
  comparison: 'comparisonPeriod',
} as const;
