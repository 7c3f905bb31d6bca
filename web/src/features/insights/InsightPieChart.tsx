import { Pie } from '@nivo/pie';
import { ChartFrame } from '../../components/charts/ChartFrame';
import { SwatchTooltip } from '../../components/charts/ChartTooltip';
import { sliceChartText } from '../../components/charts/chart-text';
import { chartTheme } from '../../components/charts/chart-theme';
import { preparedSliceProps } from '../../components/charts/slice-pie';
import { useColorScheme } from '../../components/use-color-scheme';

/** One slice, fully prepared: its colour and texts are decided before it reaches the chart. */
export interface InsightSlice {
  id: string;
  label: string;
  value: number;
  /** The value as the tooltip and legend show it: "$12.34". */
  valueLabel: string;
  /** Its part of the whole: "42.0%". */
  share: string;
  color: string;
}

/** A donut over prepared slices, labelled outside on wide cards; it draws what it is given and decides nothing. */
export function InsightPieChart({
  slices,
  ariaLabel,
  summary,
  height = 260,
}: {
  slices: readonly InsightSlice[];
  ariaLabel: string;
  summary?: string;
  height?: number;
}) {
  const scheme = useColorScheme();
  const byId = new Map(slices.map((slice) => [slice.id, slice]));
  const text = sliceChartText(slices.map((slice) => ({ ...slice, shareLabel: slice.share })));
  return (
    <ChartFrame title={ariaLabel} text={text} summary={summary} height={height}>
      {(width) => {
        const narrow = width < 480;
        return (
          <Pie<InsightSlice>
            {...preparedSliceProps(slices)}
            width={width}
            height={height}
            margin={narrow ? { top: 12, right: 12, bottom: 12, left: 12 } : { top: 24, right: 160, bottom: 24, left: 160 }}
            innerRadius={0.58}
            padAngle={slices.length > 1 ? 1 : 0}
            cornerRadius={3}
            enableArcLabels={false}
            enableArcLinkLabels={!narrow}
            arcLinkLabel={(datum) => `${byId.get(String(datum.id))?.label ?? datum.id} · ${byId.get(String(datum.id))?.share ?? ''}`}
            arcLinkLabelsSkipAngle={10}
            arcLinkLabelsThickness={1}
            arcLinkLabelsColor={{ from: 'color' }}
            arcLinkLabelsTextColor={scheme === 'dark' ? '#d1d5db' : '#374151'}
            theme={chartTheme(scheme)}
            tooltip={({ datum }) => {
              const slice = byId.get(String(datum.id));
              if (!slice) return null;
              return (
                <SwatchTooltip color={slice.color} label={slice.label}>
                  <div>
                    <strong>{slice.valueLabel}</strong> · {slice.share}
                  </div>
                </SwatchTooltip>
              );
            }}
          />
        );
      }}
    </ChartFrame>
  );
}
