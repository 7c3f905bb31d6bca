import { histogramFromText, percentileFromHistogram } from '../src/metrics/latency-histogram';

// The histogram as PostgreSQL sends it (an array's text form) and the percentile read from it.

it('reads each count at its bucket, whatever its number of digits', () => {
  expect(histogramFromText('{0,3,0,12}')).toEqual([0, 3, 0, 12]);
  expect(histogramFromText('{1234567,0,5}')).toEqual([1234567, 0, 5]);
  expect(histogramFromText('{0,0,0}')).toEqual([0, 0, 0]);
});

it('gives the percentile of what it read', () => {
  // Nine calls in bucket 10 ([2.36, 2.59) ms) and one in bucket 40 ([41.1, 45.3) ms): p50 sits in the first.
  const text = `{${Array.from({ length: 161 }, (_, i) => (i === 10 ? 9 : i === 40 ? 1 : 0)).join(',')}}`;
  expect(percentileFromHistogram(histogramFromText(text), 0.5)).toBeCloseTo(Math.pow(1.1, 9.5), 10);
});

it('takes the ranks either side of the percentile from the buckets that hold them', () => {
  // Ranks 0..3 in bucket 1, rank 4 in bucket 5: p100 is bucket 5's value, p75 (rank 3) bucket 1's.
  const counts = [0, 4, 0, 0, 0, 1];
  expect(percentileFromHistogram(counts, 1)).toBeCloseTo(Math.pow(1.1, 4.5), 10);
  expect(percentileFromHistogram(counts, 0.75)).toBeCloseTo(Math.pow(1.1, 0.5), 10);
  expect(percentileFromHistogram([0, 0, 0], 0.95)).toBe(0);
});
