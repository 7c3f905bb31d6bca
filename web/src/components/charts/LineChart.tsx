import { Line } from '@nivo/line';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame, DRAWING_ONLY } from './ChartFrame';
import { timeSeriesChartText } from './chart-text';
import { chartTheme } from './chart-theme';
import type { TimeAxis } from './time-axis';

/** One line, prepared: a value (or null for a gap) for every slot of the axis. */
export interface LineChartSeries {
  id: string;
  label: string;
  color: string;
  values: readonly (number | null)[];
}

/** Props of the line chart. */
export interface LineChartProps {
  axis: TimeAxis;
  series: readonly LineChartSeries[];
  /** Writes a value on the y axis and in tooltips. */
  formatValue(value: number): string;
  /** What the chart shows, for screen readers. */
  ariaLabel: string;
  /** Replaces the summary derived from the data, read after the title. */
  summary?: string;
  /** Dots on every value: useful with few buckets, noise with many. @default false */
  showPoints?: boolean;
  /** @default 260 */
  height?: number;
}

type Datum = { x: string; y: number | null };

/** Room a tick label needs, so labels never overlap however narrow the card. */
const TICK_SPACING_PX = 56;
const MARGIN = { top: 12, right: 24, bottom: 32, left: 56 };

/** The prepared ticks, thinned (from the latest backwards) to what fits in `width`. */
function ticksThatFit(tickKeys: readonly string[], width: number): string[] {
  const fit = Math.max(2, Math.floor((width - MARGIN.left - MARGIN.right) / TICK_SPACING_PX));
  const step = Math.ceil(tickKeys.length / fit);
  return tickKeys.filter((_, index) => (tickKeys.length - 1 - index) % step === 0);
}

/** A line chart over a prepared time axis and series; it draws what it is given and decides nothing. */
export function LineChart({ axis, series, formatValue, ariaLabel, summary, showPoints = false, height = 260 }: LineChartProps) {
  const scheme = useColorScheme();
  const labels = new Map(axis.slots.map((slot) => [slot.key, slot]));
  const byId = new Map(series.map((line) => [line.id, line]));
  const data = series.map((line) => ({
    id: line.id,
    data: axis.slots.map((slot, index): Datum => ({ x: slot.key, y: line.values[index] ?? null })),
  }));
  return (
    <ChartFrame title={ariaLabel} text={timeSeriesChartText(axis.slots, series, formatValue)} summary={summary} height={height}>
      {(width) => (
        <Line<{ id: string; data: Datum[] }>
          width={width}
          height={height}
          data={data}
          xScale={{ type: 'point' }}
          yScale={{ type: 'linear', min: 0, max: 'auto', stacked: false }}
          margin={MARGIN}
          colors={(line) => byId.get(String(line.id))?.color ?? '#888'}
          lineWidth={2}
          enablePoints={showPoints}
          pointSize={6}
          pointBorderWidth={0}
          enableGridX={false}
          gridYValues={5}
          axisLeft={{ tickSize: 0, tickPadding: 8, tickValues: 5, format: (value) => formatValue(Number(value)) }}
          axisBottom={{
            tickSize: 0,
            tickPadding: 10,
            tickValues: ticksThatFit(axis.tickKeys, width),
            format: (key) => labels.get(String(key))?.tickLabel ?? String(key),
          }}
          enableSlices="x"
          sliceTooltip={({ slice }) => {
            const key = String(slice.points[0]?.data.x ?? '');
            return (
              <div className="chart-tooltip">
                <div className="chart-tooltip-title">{labels.get(key)?.fullLabel ?? key}</div>
                {slice.points.map((point) => {
                  const line = byId.get(String(point.seriesId));
                  return (
                    <div key={point.id} className="chart-tooltip-row">
                      <span className="swatch" style={{ background: point.seriesColor }} aria-hidden="true" />
                      <span>{line?.label ?? String(point.seriesId)}</span>
                      <strong>{point.data.y === null ? 'no data' : formatValue(Number(point.data.y))}</strong>
                    </div>
                  );
                })}
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
