import { Pie } from '@nivo/pie';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame } from './ChartFrame';
import { TooltipRow } from './ChartTooltip';
import { sliceChartText } from './chart-text';
import { chartTheme } from './chart-theme';
import { preparedSliceProps } from './slice-pie';
import { inkOn, LIGHT_INK } from '../contrast';

/** One slice, prepared: its value, colour and the words the tooltip shows. */
export interface DonutSlice {
  id: string;
  label: string;
  value: number;
  color: string;
  /** The value in words: "$12.30", "3 workspaces". */
  valueLabel: string;
  /** The share of the whole in words: "42.0%". */
  shareLabel: string;
}

/** Props of the donut chart. */
export interface DonutChartProps {
  /** Slices in drawing order (clockwise from the top); zero slices are left out by the caller. */
  slices: readonly DonutSlice[];
  /** What the chart shows, for screen readers (the legend beside it carries the figures). */
  ariaLabel: string;
  /** Replaces the summary derived from the data, read after the title. */
  summary?: string;
  /** The hole's share of the radius: 0 draws a full pie. @default 0.6 */
  innerRadius?: number;
  /** Text in the donut's hole: the total. Ignored for a pie. */
  centerLabel?: string;
  /** @default 220 */
  height?: number;
}

/** A donut (or, with no hole, a pie) of prepared slices; it draws what it is given and decides nothing. */
export function DonutChart({ slices, ariaLabel, summary, innerRadius = 0.6, centerLabel, height = 220 }: DonutChartProps) {
  const scheme = useColorScheme();
  const theme = chartTheme(scheme);
  const byId = new Map(slices.map((slice) => [slice.id, slice]));
  const Center = ({ centerX, centerY }: { centerX: number; centerY: number }) =>
    centerLabel && innerRadius > 0 ? (
      <text
        x={centerX}
        y={centerY}
        textAnchor="middle"
        dominantBaseline="central"
        style={{ fontSize: 15, fontWeight: 650, fill: scheme === 'dark' ? '#f3f4f6' : '#111827' }}
      >
        {centerLabel}
      </text>
    ) : null;
  return (
    <ChartFrame title={ariaLabel} text={sliceChartText(slices)} summary={summary} height={height}>
      {(width) => (
        <Pie<DonutSlice>
          {...preparedSliceProps(slices)}
          width={width}
          height={height}
          margin={{ top: 12, right: 12, bottom: 12, left: 12 }}
          innerRadius={innerRadius}
          padAngle={slices.length > 1 ? 0.8 : 0}
          cornerRadius={2}
          enableArcLinkLabels={false}
          enableArcLabels
          arcLabel={(slice) => byId.get(String(slice.id))?.shareLabel ?? ''}
          arcLabelsSkipAngle={28}
          arcLabelsTextColor={(datum) => inkOn(byId.get(String(datum.id))?.color ?? LIGHT_INK)}
          tooltip={({ datum }) => {
            const slice = byId.get(String(datum.id));
            return (
              <div className="chart-tooltip">
                <TooltipRow color={datum.color} label={slice?.label ?? String(datum.id)} value={slice?.valueLabel ?? datum.formattedValue} />
                {slice ? <div className="muted small">{slice.shareLabel} of the whole</div> : null}
              </div>
            );
          }}
          layers={['arcs', 'arcLabels', Center]}
          theme={theme}
        />
      )}
    </ChartFrame>
  );
}
