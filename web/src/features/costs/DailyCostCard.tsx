import { useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Card } from '../../components/Card';
import { queryCardStatus } from '../../components/card-status';
import { StackedCostChart } from '../../components/charts/StackedCostChart';
import { seriesColors } from '../../components/series-colors';
import { DailyCostByModelDocument, type Period, type UsageFilter } from '../../gql/graphql';
import { FilteredDailyCostDocument } from '../attribution/gql/graphql';
import { CARD_PERIOD_PARAMS, periodOption } from '../../period';
import { PeriodOverride, useCardPeriod } from './card-controls';
import { periodDays } from '../attribution/prepare-attribution';
import { dailyChartPeriod, dailyCostFromMetrics, prepareDailyCost } from './prepare-daily-cost';

/**
 * Daily cost by model as stacked bands, with its own period and time zone when the page's do not
 * suit; under an attribution filter, of the filtered calls (from usageMetrics, as llmDailyCostByModel takes no filter).
 */
export function DailyCostCard({ period, timeZone, workspaceTimeZone, filter }: { period: Period; timeZone: string; workspaceTimeZone: string; filter?: UsageFilter }) {
  const [periodOverride, setPeriodOverride] = useCardPeriod(CARD_PERIOD_PARAMS.costTrend);
  const [zone, setZone] = useState(timeZone);
  const zoneId = useId();
  const effective = periodOverride ?? dailyChartPeriod(period);
  const all = useQuery(DailyCostByModelDocument, { variables: { period: effective, timezone: zone }, skip: filter !== undefined });
  const filtered = useQuery(FilteredDailyCostDocument, { variables: { period: effective, timezone: zone, filter: filter ?? {} }, skip: filter === undefined });
  const { loading, error, refetch } = filter ? filtered : all;
  const data = filter ? filtered.data && dailyCostFromMetrics(periodDays(effective, new Date(), zone), filtered.data.usageMetrics.rows, zone) : all.data?.llmDailyCostByModel;
  const chart = data ? prepareDailyCost(data, { timeZone: zone, colors: seriesColors }) : null;
  const phrase = periodOption(effective).phrase;
  const zones = [...new Set([timeZone, workspaceTimeZone, 'UTC'])];
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: chart !== null, isEmpty: chart?.emptyReason !== null },
    chart?.emptyReason === 'no-cost' ? (
      <p>
        Calls arrived in {phrase}, but none has a known price. Set a price for the model under <strong>Unpriced models</strong> below, then
        re-price.
      </p>
    ) : (
      <p>
        No calls in {phrase}. Send one with the <code>trackLlmCall</code> mutation, or pick a longer period for this chart.
      </p>
    ),
  );
  return (
    <Card
      title="Daily cost by model"
      className="card-wide"
      caption={
        <>
          <span>{chart?.caption ?? `Spend per model and day over ${phrase}, stacked`}</span>
          <span className="card-controls">
            <PeriodOverride pagePeriod={period} defaultPeriod={dailyChartPeriod(period)} value={periodOverride} onChange={setPeriodOverride} />
            <span className="control">
              <label htmlFor={zoneId}>Days in</label>
              <select id={zoneId} className="select" value={zone} onChange={(event) => setZone(event.target.value)}>
                {zones.map((candidate) => (
                  <option key={candidate} value={candidate}>
                    {candidate}
                    {candidate === timeZone ? ' (this browser)' : candidate === workspaceTimeZone ? ' (workspace)' : ''}
                  </option>
                ))}
              </select>
            </span>
          </span>
        </>
      }
      aside={chart ? <span className="figure">{chart.totalLabel}</span> : null}
      status={status}
      minBodyHeight={300}
    >
      {chart ? (
        <StackedCostChart chart={chart} legendLabel="Cost per model over the period" ariaLabel={`Daily cost by model over ${phrase}, days in ${zone}`} />
      ) : null}
    </Card>
  );
}
