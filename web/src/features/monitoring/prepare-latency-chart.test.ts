import { createSeriesColors } from '../../components/series-colors';
import { ALL_REQUESTS_ID, appendSnapshot, prepareLatencyChart, type LatencySnapshot } from './prepare-latency-chart';

const snap = (at: string, endpoints: [string, number, number][]): LatencySnapshot => ({
  at,
  endpoints: endpoints.map(([key, callCount, totalTimeMs]) => ({ key, callCount, totalTimeMs })),
});
const options = { colors: createSeriesColors(), timeZone: 'UTC' };

describe('appendSnapshot', () => {
  it('keeps the newest snapshots up to the window', () => {
    let history: LatencySnapshot[] = [];
    for (let i = 0; i < 5; i++) history = appendSnapshot(history, snap(`2025-05-03T15:00:0${i}Z`, []), 3);
    expect(history.map((s) => s.at)).toEqual(['2025-05-03T15:00:02Z', '2025-05-03T15:00:03Z', '2025-05-03T15:00:04Z']);
  });
});

describe('prepareLatencyChart', () => {
  it('draws the mean time of the calls made between two snapshots', () => {
    const chart = prepareLatencyChart(
      [
        snap('2025-05-03T15:00:00Z', [['GET /health', 10, 100]]),
        snap('2025-05-03T15:00:02Z', [['GET /health', 14, 180], ['graphql query Summary', 2, 400]]),
      ],
      options,
    );
    const all = chart.series.find((s) => s.id === ALL_REQUESTS_ID)!;
    expect(all.values).toEqual([(80 + 400) / 6]);
    expect(chart.series.find((s) => s.id === 'GET /health')!.values).toEqual([20]);
    expect(chart.series.find((s) => s.id === 'graphql query Summary')!.values).toEqual([200]);
    expect(chart.axis.slots.map((s) => s.tickLabel)).toEqual(['15:00:02']);
  });

  it('leaves a gap, not a zero, where a key had no calls', () => {
    const chart = prepareLatencyChart(
      [snap('2025-05-03T15:00:00Z', [['a', 1, 10]]), snap('2025-05-03T15:00:02Z', [['a', 1, 10]]), snap('2025-05-03T15:00:04Z', [['a', 3, 50]])],
      options,
    );
    expect(chart.series.find((s) => s.id === 'a')!.values).toEqual([null, 20]);
  });

  it('starts over when the counts went down (the gateway restarted)', () => {
    const chart = prepareLatencyChart([snap('2025-05-03T15:00:00Z', [['a', 100, 1000]]), snap('2025-05-03T15:00:02Z', [['a', 2, 30]])], options);
    expect(chart.series[0].values).toEqual([null]);
    expect(chart.isEmpty).toBe(true);
  });

  it('draws the busiest keys and says how many it left out', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const chart = prepareLatencyChart(
      [snap('2025-05-03T15:00:00Z', []), snap('2025-05-03T15:00:02Z', keys.map((key, i): [string, number, number] => [key, i + 1, 10]))],
      { ...options, maxKeys: 2 },
    );
    expect(chart.series.map((s) => s.id)).toEqual([ALL_REQUESTS_ID, 'f', 'e']);
    expect(chart.keysNote).toBe('the busiest 2 of 6 keys');
  });

  it('is empty with fewer than two snapshots', () => {
    expect(prepareLatencyChart([snap('2025-05-03T15:00:00Z', [['a', 1, 1]])], options).isEmpty).toBe(true);
  });
});
