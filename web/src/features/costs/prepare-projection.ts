import { describeTrend, type Trend } from '../../components/trend';
import { formatCount, formatDollars } from '../../format';
import type { CostProjectionQuery, Period } from '../../gql/graphql';
import { periodOption } from '../../period';

/** llmCostProjections' answer. */
export type ProjectionData = CostProjectionQuery['llmCostProjections'];

/** The projection card's figures, in words. */
export interface ProjectionFigures {
  projectedMonthly: string;
  dailyAverage: string;
  current: string;
  previous: string;
  /** The period's cost against the one before; a rise is bad news. */
  trend: Trend;
  /** How the projection was made: "5 days with calls in the last 7 days; $4.20 a day on average, times 30". */
  basis: string;
  /** Set when fewer days had calls than the period has, so the average leaves the quiet days out. */
  sparseNote: string | null;
  /** Set when a rolling period touches more calendar days than it is long (7 days reach into 8), each counted as a whole day. */
  partialDaysNote: string | null;
  /** True when the period had no calls at all: nothing to project from. */
  isEmpty: boolean;
}

const PERIOD_DAYS: Partial<Record<Period, number>> = { LAST_24H: 1, LAST_7D: 7, LAST_30D: 30, LAST_90D: 90 };

/** The projection of a month's cost from the period's daily average, and how it was made. */
export function prepareProjection(projection: ProjectionData, period: Period): ProjectionFigures {
  const phrase = periodOption(period).phrase;
  const days = projection.daysWithData;
  const dayWord = days === 1 ? 'day' : 'days';
  const periodDays = PERIOD_DAYS[period];
  return {
    projectedMonthly: formatDollars(projection.projectedMonthlyCost),
    dailyAverage: formatDollars(projection.dailyAverage),
    current: formatDollars(projection.currentPeriodCost),
    previous: formatDollars(projection.previousPeriodCost),
    trend: describeTrend(projection.changePct, 'lower-is-better', period),
    basis: `${formatCount(days)} ${dayWord} with calls in ${phrase}; ${formatDollars(projection.dailyAverage)} a day on average, times 30`,
    sparseNote:
      periodDays !== undefined && days > 0 && days < periodDays
        ? `Only ${formatCount(days)} of ${periodDays} days had calls: the average counts those days only, so the projection assumes every day of the month is as busy.`
        : null,
    partialDaysNote:
      periodDays !== undefined && days > periodDays
        ? `${phrase[0].toUpperCase()}${phrase.slice(1)} reach into ${formatCount(days)} calendar days, the first and the last only in part, so the daily average reads a little low.`
        : null,
    isEmpty: days === 0 && projection.currentPeriodCost === 0,
  };
}
