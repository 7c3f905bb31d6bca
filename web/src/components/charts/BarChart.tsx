import { Bar } from '@nivo/bar';
import { useColorScheme } from '../use-color-scheme';
import { ChartFrame, DRAWING_ONLY } from './ChartFrame';
import { SwatchTooltip } from './ChartTooltip';
import { barChartText } from './chart-text';
import { chartTheme } from './chart-theme';

/** One bar, fully prepared: its colour and texts are decided before it reaches the chart. */
export interface BarChartBar {
  id: string;
  label: string;
  value: number;
  /** The value as shown at the bar's end and in its tooltip: "$12.34". */
  valueLabel: string;
  color: string;
  /** A second line in the tooltip: "1,204 calls · 3.2M tokens". */
  detail?: string;
}

/** Props of the horizontal bar chart. */
export interface BarChartProps {
  /** Top to bottom, in the order they are shown. */
  bars: readonly BarChartBar[];
  /** What the chart shows, for screen readers: "Cost by model, the last 7 days". */
  ariaLabel: string;
  /** Replaces the derived summary read after the title (`barChartText`). */
  summary?: string;
  /** Writes a value at a bar's end: the same formatter the prepared labels came from. */
  formatValue(value: number): string;
  /** Labels longer than this are cut with an ellipsis on the axis (the tooltip has them whole); half of it on narrow cards. @default 26 */
  maxLabelLength?: number;
}

type BarRow = { id: string; value: number };

const BAR_HEIGHT = 30;

/** A horizontal bar chart over prepared bars; it draws what it is given and decides nothing. */
export function BarChart({ bars, ariaLabel, summary, formatValue, maxLabelLength = 26 }: BarChartProps) {
  const scheme = useColorScheme();
  const byId = new Map(bars.map((bar) => [bar.id, bar]));
  const longestValue = Math.max(0, ...bars.map((bar) => bar.valueLabel.length));
  // nivo stacks a horizontal layout's first row at the bottom; reverse so the first bar is on top.
  const rows: BarRow[] = [...bars].reverse().map((bar) => ({ id: bar.id, value: bar.value }));
  const height = Math.max(120, bars.length * BAR_HEIGHT + 8);
  return (
    <ChartFrame title={ariaLabel} text={barChartText(bars)} summary={summary} height={height}>
      {(width) => {
        const labelLength = width < 420 ? Math.ceil(maxLabelLength / 2) : maxLabelLength;
        const short = (label: string) => (label.length > labelLength ? `${label.slice(0, labelLength - 1)}…` : label);
        const longest = Math.max(0, ...bars.map((bar) => short(bar.label).length));
        return (
          <Bar<BarRow>
            width={width}
            height={height}
            data={rows}
            keys={['value']}
            indexBy="id"
            layout="horizontal"
            margin={{ top: 4, right: 16 + longestValue * 7.5, bottom: 4, left: 16 + longest * 6.6 }}
            padding={0.28}
            colors={({ indexValue }) => byId.get(String(indexValue))?.color ?? '#888'}
            borderRadius={3}
            enableLabel={false}
            enableTotals
            totalsOffset={6}
            valueFormat={formatValue}
            enableGridX
            gridXValues={4}
            enableGridY={false}
            axisLeft={{ tickSize: 0, tickPadding: 8, format: (id) => short(byId.get(String(id))?.label ?? String(id)) }}
            axisBottom={null}
            theme={chartTheme(scheme)}
            {...DRAWING_ONLY}
            tooltip={({ indexValue }) => {
              const bar = byId.get(String(indexValue));
              if (!bar) return null;
              return (
                <SwatchTooltip color={bar.color} label={bar.label}>
                  <div>
                    <strong>{bar.valueLabel}</strong>
                  </div>
                  {bar.detail ? <div className="muted">{bar.detail}</div> : null}
                </SwatchTooltip>
              );
            }}
            animate={false}
          />
        );
      }}
    </ChartFrame>
  );
}
