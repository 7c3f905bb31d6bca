import { Card } from '../../components/Card';
import { Legend } from '../../components/charts/Legend';
import { LineChart } from '../../components/charts/LineChart';
import { seriesColors } from '../../components/series-colors';
import { formatLatency } from '../../format';
import { prepareLatencyChart, type LatencySnapshot } from './prepare-latency-chart';
import { loadableStatus, type Loadable } from './use-monitoring-data';

/** Mean response time per snapshot interval: all requests and the busiest keys, moving with each snapshot. */
export function LatencyCard({ history, state, paused, timeZone }: { history: readonly LatencySnapshot[]; state: Loadable; paused: boolean; timeZone: string }) {
  const chart = prepareLatencyChart(history, { colors: seriesColors, timeZone });
  const status = loadableStatus(
    state,
    chart.isEmpty,
    <p>
      {paused
        ? 'The live view is paused. Resume it to draw response times again.'
        : 'Waiting for requests: each point is the mean time of the calls made between two snapshots (every 2 s). Use the dashboard or the API and the lines appear.'}
    </p>,
  );
  return (
    <Card
      title="Response time, live"
      caption={`Mean time of the calls in each 2-second interval${chart.keysNote ? `; ${chart.keysNote}` : ''}${paused ? ' · paused' : ''}`}
      status={status}
      className="card-wide"
    >
      <Legend label="Series" items={chart.series.map((line) => ({ id: line.id, label: line.label, color: line.color }))} />
      <LineChart axis={chart.axis} series={chart.series} formatValue={formatLatency} ariaLabel="Mean response time per 2-second interval" height={240} showPoints={chart.axis.slots.length <= 12} />
    </Card>
  );
}
