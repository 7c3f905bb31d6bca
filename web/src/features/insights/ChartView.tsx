import { BarChart } from '../../components/charts/BarChart';
import { Legend } from '../../components/charts/Legend';
import { LineChart } from '../../components/charts/LineChart';
import { InsightPieChart } from './InsightPieChart';
import { StackedAreaChart } from '../../components/charts/StackedAreaChart';
import type { PreparedChart } from './prepare-chart';

/** Draws a prepared chart with nivo: lines, stacked areas, bars (a set per metric) or a donut, each with its legend. */
export function ChartView({ chart, ariaLabel, height = 280 }: { chart: Exclude<PreparedChart, { kind: 'empty' }>; ariaLabel: string; height?: number }) {
  switch (chart.kind) {
    case 'time':
      return (
        <>
          {chart.series.length > 1 ? (
            <Legend label="Series" items={chart.series.map((s) => ({ id: s.id, label: s.label, color: s.color, value: s.totalLabel || undefined }))} />
          ) : null}
          {chart.type === 'AREA' ? (
            <StackedAreaChart
              axis={chart.axis}
              series={chart.series.map((s) => ({ ...s, values: s.values.map((v) => v ?? 0) }))}
              totals={chart.totals}
              formatValue={chart.formatValue}
              showPoints={chart.showPoints}
              ariaLabel={ariaLabel}
              height={height}
            />
          ) : (
            <LineChart axis={chart.axis} series={chart.series} formatValue={chart.formatValue} showPoints={chart.showPoints} ariaLabel={ariaLabel} height={height} />
          )}
        </>
      );
    case 'bars':
      return (
        <div className="insight-bar-groups">
          {chart.groups.map((group, index) => (
            <div key={group.title ?? index}>
              {group.title ? <h3 className="insight-bar-title">{group.title}</h3> : null}
              <BarChart bars={group.bars} formatValue={group.formatValue} ariaLabel={group.title ? `${ariaLabel}: ${group.title}` : ariaLabel} />
            </div>
          ))}
        </div>
      );
    case 'pie':
      return (
        <div className="insight-pie">
          <InsightPieChart slices={chart.slices} ariaLabel={ariaLabel} height={height} />
          <Legend label="Slices" items={chart.slices.map((s) => ({ id: s.id, label: `${s.label} · ${s.share}`, color: s.color, value: s.valueLabel }))} />
        </div>
      );
  }
}
