import { useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Card } from '../../components/Card';
import { cardStatus } from '../../components/card-status';
import { Legend } from '../../components/charts/Legend';
import { StackedAreaChart } from '../../components/charts/StackedAreaChart';
import { seriesColors } from '../../components/series-colors';
import { formatDollars } from '../../format';
import { DailyCostByModelDocument, type Period } from '../../gql/graphql';
import { CARD_PERIOD_PARAMS, periodOption } from '../../period';
import { PeriodOverride, useCardPeriod } from './card-controls';
import { dailyChartPeriod, prepareDailyCost } from './prepare-daily-cost';

/** Daily cost by model as stacked bands, with its own period and time zone when the page's do not suit. */
export function DailyCostCard({ period, timeZone, workspaceTimeZone }: { period: Period; timeZone: string; workspaceTimeZone: string }) {
  const [periodOverride, setPeriodOverride] = useCardPeriod(CARD_PERIOD_PARAMS.costTrend);
  const [zone, setZone] = useState(timeZone);
  const zoneId = useId();
  const effective = periodOverride ?? dailyChartPeriod(period);
  const { data, loading, error, refetch } = useQuery(DailyCostByModelDocument, { variables: { period: effective, timezone: zone } });
  const chart = data ? prepareDailyCost(data.llmDailyCostByModel, { timeZone: zone, colors: seriesColors }) : null;
  const phrase = periodOption(effective).phrase;
  const zones = [...new Set([timeZone, workspaceTimeZone, 'UTC'])];
  const status = cardStatus({
    loading,
    error,
    hasData: chart !== null,
    isEmpty: chart?.emptyReason !== null,
    emptyMessage:
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
    retry: () => void refetch(),
  });
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
        <>
          <Legend label="Cost per model over the period" items={chart.series.map((band) => ({ id: band.id, label: band.label, color: band.color, value: band.totalLabel }))} />
          <StackedAreaChart
            axis={chart.axis}
            series={chart.series}
            totals={chart.dayTotals}
            formatValue={formatDollars}
            showPoints={chart.showPoints}
            ariaLabel={`Daily cost by model over ${phrase}, days in ${zone}`}
          />
        </>
      ) : null}
    </Card>
  );
}
