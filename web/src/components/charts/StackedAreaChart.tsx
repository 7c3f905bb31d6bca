import { Line } from '@nivo/line';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame, DRAWING_ONLY } from './ChartFrame';
import { timeSeriesChartText } from './chart-text';
import { chartTheme } from './chart-theme';
import type { LineChartSeries } from './LineChart';
import type { TimeAxis } from './time-axis';

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

const TICK_SPACING_PX = 56;
const MARGIN = { top: 12, right: 24, bottom: 32, left: 64 };

function ticksThatFit(tickKeys: readonly string[], width: number): string[] {
  const fit = Math.max(2, Math.floor((width - MARGIN.left - MARGIN.right) / TICK_SPACING_PX));
  const step = Math.ceil(tickKeys.length / fit);
  return tickKeys.filter((_, index) => (tickKeys.length - 1 - index) % step === 0);
}

/** Series stacked as filled bands over a prepared time axis; it draws what it is given and decides nothing. */
export function StackedAreaChart({ axis, series, totals, formatValue, ariaLabel, summary, showPoints = false, height = 280 }: StackedAreaChartProps) {
  const scheme = useColorScheme();
  const slots = new Map(axis.slots.map((slot, index) => [slot.key, { slot, index }]));
  const byId = new Map(series.map((band) => [band.id, band]));
  const data = series.map((band) => ({
    id: band.id,
    data: axis.slots.map((slot, index): Datum => ({ x: slot.key, y: band.values[index] ?? 0 })),
  }));
  return (
    <ChartFrame title={ariaLabel} text={timeSeriesChartText(axis.slots, series, formatValue, totals)} summary={summary} height={height}>
      {(width) => (
        <Line<{ id: string; data: Datum[] }>
          width={width}
          height={height}
          data={data}
          xScale={{ type: 'point' }}
          yScale={{ type: 'linear', min: 0, max: 'auto', stacked: true }}
          margin={MARGIN}
          colors={(band) => byId.get(String(band.id))?.color ?? '#888'}
          lineWidth={1.5}
          enableArea
          areaOpacity={0.78}
          areaBaselineValue={0}
          enablePoints={showPoints}
          pointSize={5}
          pointBorderWidth={0}
          enableGridX={false}
          gridYValues={5}
          axisLeft={{ tickSize: 0, tickPadding: 8, tickValues: 5, format: (value) => formatValue(Number(value)) }}
          axisBottom={{
            tickSize: 0,
            tickPadding: 10,
            tickValues: ticksThatFit(axis.tickKeys, width),
            format: (key) => slots.get(String(key))?.slot.tickLabel ?? String(key),
          }}
          enableSlices="x"
          sliceTooltip={({ slice }) => {
            const key = String(slice.points[0]?.data.x ?? '');
            const at = slots.get(key);
            // Top band first, as the stack reads from top to bottom.
            const points = [...slice.points].reverse();
            return (
              <div className="chart-tooltip">
                <div className="chart-tooltip-title">{at?.slot.fullLabel ?? key}</div>
                {points.map((point) => (
                  <div key={point.id} className="chart-tooltip-row">
                    <span className="swatch" style={{ background: point.seriesColor }} aria-hidden="true" />
                    <span>{byId.get(String(point.seriesId))?.label ?? String(point.seriesId)}</span>
                    <strong>{formatValue(Number(point.data.y))}</strong>
                  </div>
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
          theme={chartTheme(scheme)}
          {...DRAWING_ONLY}
          animate={false}
        />
      )}
    </ChartFrame>
  );
}
