import { formatDollars } from '../../format';
import type { CostBand } from './cost-bands';
import { Legend } from './Legend';
import { StackedAreaChart } from './StackedAreaChart';
import type { TimeAxis } from './time-axis';

/** A stacked cost chart, prepared: its bands over the days and each day's total. */
export interface StackedCost {
  axis: TimeAxis;
  series: readonly CostBand[];
  dayTotals: readonly number[];
  showPoints: boolean;
}

/** Cost bands stacked over the days (per model, per provider), under a legend with each band's total. */
export function StackedCostChart({ chart, legendLabel, ariaLabel }: { chart: StackedCost; legendLabel: string; ariaLabel: string }) {
  return (
    <>
      <Legend label={legendLabel} items={chart.series.map((band) => ({ id: band.id, label: band.label, color: band.color, value: band.totalLabel }))} />
      <StackedAreaChart axis={chart.axis} series={chart.series} totals={chart.dayTotals} formatValue={formatDollars} showPoints={chart.showPoints} ariaLabel={ariaLabel} />
    </>
  );
}
