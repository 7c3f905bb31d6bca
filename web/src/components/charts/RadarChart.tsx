import { Radar } from '@nivo/radar';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame, DRAWING_ONLY } from './ChartFrame';
import { TooltipRow } from './ChartTooltip';
import { radarChartText } from './chart-text';
import { chartTheme } from './chart-theme';

/** One shape on the radar, prepared: a 0 to 100 value per axis and the real figure behind each. */
export interface RadarChartSeries {
  id: string;
  label: string;
  color: string;
  /** One per axis, 0 to 100. */
  values: readonly number[];
  /** The figure each value stands for, shown in the tooltip. */
  texts: readonly string[];
}

/** Props of the radar chart. */
export interface RadarChartProps {
  axes: readonly string[];
  series: readonly RadarChartSeries[];
  /** What the chart shows, for screen readers. */
  ariaLabel: string;
  /** Replaces the summary derived from the data, read after the title. */
  summary?: string;
  /** @default 320 */
  height?: number;
}

type AxisRow = Record<string, string | number> & { axis: string };

/** Series on shared axes scaled 0 to 100; it draws what it is given and decides nothing. */
export function RadarChart({ axes, series, ariaLabel, summary, height = 320 }: RadarChartProps) {
  const scheme = useColorScheme();
  const byId = new Map(series.map((shape) => [shape.id, shape]));
  const data: AxisRow[] = axes.map((axis, index) => ({ axis, ...Object.fromEntries(series.map((shape) => [shape.id, shape.values[index] ?? 0])) }));
  return (
    <ChartFrame title={ariaLabel} text={radarChartText(axes, series)} summary={summary} height={height}>
      {(width) => {
        const narrow = width < 420;
        return (
          <Radar<AxisRow>
            width={width}
            height={height}
            data={data}
            keys={series.map((shape) => shape.id)}
            indexBy="axis"
            maxValue={100}
            margin={narrow ? { top: 32, right: 84, bottom: 32, left: 84 } : { top: 40, right: 100, bottom: 40, left: 100 }}
            colors={({ key }) => byId.get(key)?.color ?? '#888'}
            fillOpacity={0.18}
            borderWidth={2}
            gridLevels={4}
            gridLabelOffset={narrow ? 10 : 16}
            dotSize={6}
            dotBorderWidth={0}
            theme={chartTheme(scheme)}
            sliceTooltip={({ index }) => {
              const axisIndex = axes.indexOf(String(index));
              return (
                <div className="chart-tooltip">
                  <div className="chart-tooltip-title">{String(index)}</div>
                  {series.map((shape) => (
                    <TooltipRow key={shape.id} color={shape.color} label={shape.label} value={shape.texts[axisIndex] ?? ''} />
                  ))}
                </div>
              );
            }}
            {...DRAWING_ONLY}
            animate={false}
          />
        );
      }}
    </ChartFrame>
  );
}
