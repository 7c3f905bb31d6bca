import { Line } from '@nivo/line';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame } from './ChartFrame';
import { TooltipRow } from './ChartTooltip';
import { timeSeriesChartText } from './chart-text';
import type { LineChartSeries } from './LineChart';
import type { TimeAxis } from './time-axis';
import { lineData, timeSeriesLineProps } from './time-series-line';

/** Props of the stacked area chart. */
export interface StackedAreaChartProps {
  axis: TimeAxis;
  /** Bottom of the stack first; a value (never a gap: stacks need numbers) for every slot of the axis. */
  series: readonly LineChartSeries[];
  /** Each slot's total over all series, for the tooltip. */
  totals: readonly number[];
  /** Writes a value on the y axis and in tooltips. */
  formatValue(value: number): string;
  /** What the chart shows, for screen readers. */
  ariaLabel: string;
  /** Replaces the summary derived from the data, read after the title. */
  summary?: string;
  /** Dots on every value: useful with few buckets, noise with many. @default false */
  showPoints?: boolean;
  /** @default 280 */
  height?: number;
}

type Datum = { x: string; y: number };

const MARGIN = { top: 12, right: 24, bottom: 32, left: 64 };

/** Series stacked as filled bands over a prepared time axis; it draws what it is given and decides nothing. */
export function StackedAreaChart({ axis, series, totals, formatValue, ariaLabel, summary, showPoints = false, height = 280 }: StackedAreaChartProps) {
  const scheme = useColorScheme();
  const slots = new Map(axis.slots.map((slot, index) => [slot.key, { slot, index }]));
  const byId = new Map(series.map((band) => [band.id, band]));
  const data = lineData(axis, series, 0);
  return (
    <ChartFrame title={ariaLabel} text={timeSeriesChartText(axis.slots, series, formatValue, totals)} summary={summary} height={height}>
      {(width) => (
        <Line<{ id: string; data: Datum[] }>
          {...timeSeriesLineProps({ axis, width, margin: MARGIN, formatValue, scheme })}
          height={height}
          data={data}
          yScale={{ type: 'linear', min: 0, max: 'auto', stacked: true }}
          colors={(band) => byId.get(String(band.id))?.color ?? '#888'}
          lineWidth={1.5}
          enableArea
          areaOpacity={0.78}
          areaBaselineValue={0}
          enablePoints={showPoints}
          pointSize={5}
          sliceTooltip={({ slice }) => {
            const key = String(slice.points[0]?.data.x ?? '');
            const at = slots.get(key);
            // Top band first, as the stack reads from top to bottom.
            const points = [...slice.points].reverse();
            return (
              <div className="chart-tooltip">
                <div className="chart-tooltip-title">{at?.slot.fullLabel ?? key}</div>
                {points.map((point) => (
                  <TooltipRow key={point.id} color={point.seriesColor} label={byId.get(String(point.seriesId))?.label ?? String(point.seriesId)} value={formatValue(Number(point.data.y))} />
                ))}
                {at ? (
                  <div className="chart-tooltip-row chart-tooltip-total">
                    <span />
                    <span>Total</span>
                    <strong>{formatValue(totals[at.index] ?? 0)}</strong>
                  </div>
                ) : null}
              </div>
            );
          }}
        />
      )}
    </ChartFrame>
  );
}
