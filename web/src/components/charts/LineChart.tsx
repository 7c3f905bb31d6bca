import { Line } from '@nivo/line';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame } from './ChartFrame';
import { TooltipRow } from './ChartTooltip';
import { timeSeriesChartText } from './chart-text';
import type { TimeAxis } from './time-axis';
import { lineData, timeSeriesLineProps } from './time-series-line';

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

const MARGIN = { top: 12, right: 24, bottom: 32, left: 56 };

/** A line chart over a prepared time axis and series; it draws what it is given and decides nothing. */
export function LineChart({ axis, series, formatValue, ariaLabel, summary, showPoints = false, height = 260 }: LineChartProps) {
  const scheme = useColorScheme();
  const fullLabels = new Map(axis.slots.map((slot) => [slot.key, slot.fullLabel]));
  const byId = new Map(series.map((line) => [line.id, line]));
  const data = lineData(axis, series, null);
  return (
    <ChartFrame title={ariaLabel} text={timeSeriesChartText(axis.slots, series, formatValue)} summary={summary} height={height}>
      {(width) => (
        <Line<{ id: string; data: Datum[] }>
          {...timeSeriesLineProps({ axis, width, margin: MARGIN, formatValue, scheme })}
          height={height}
          data={data}
          yScale={{ type: 'linear', min: 0, max: 'auto', stacked: false }}
          colors={(line) => byId.get(String(line.id))?.color ?? '#888'}
          lineWidth={2}
          enablePoints={showPoints}
          pointSize={6}
          sliceTooltip={({ slice }) => {
            const key = String(slice.points[0]?.data.x ?? '');
            return (
              <div className="chart-tooltip">
                <div className="chart-tooltip-title">{fullLabels.get(key) ?? key}</div>
                {slice.points.map((point) => {
                  const line = byId.get(String(point.seriesId));
                  return (
                    <TooltipRow
                      key={point.id}
                      color={point.seriesColor}
                      label={line?.label ?? String(point.seriesId)}
                      value={point.data.y === null ? 'no data' : formatValue(Number(point.data.y))}
                    />
                  );
                })}
              </div>
            );
          }}
        />
      )}
    </ChartFrame>
  );
}
