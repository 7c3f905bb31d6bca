import { histogramFromText, percentileFromHistogram } from '../src/metrics/latency-histogram';

// The histogram as PostgreSQL sends it (an array's text form) and the percentile read from it.

it('reads each non-zero count at its bucket, whatever its number of digits', () => {
  expect(histogramFromText('{0,3,0,12}')).toEqual(new Map([[1, 3], [3, 12]]));
  expect(histogramFromText('{1234567,0,5}')).toEqual(new Map([[0, 1234567], [2, 5]]));
  expect(histogramFromText('{0,0,0}')).toEqual(new Map());
});

it('gives the percentile of what it read', () => {
  // Nine calls in bucket 10 ([2.36, 2.59) ms) and one in bucket 40 ([41.1, 45.3) ms): p50 sits in the first.
  const text = `{${Array.from({ length: 161 }, (_, i) => (i === 10 ? 9 : i === 40 ? 1 : 0)).join(',')}}`;
  expect(percentileFromHistogram(histogramFromText(text), 0.5)).toBeCloseTo(Math.pow(1.1, 9.5), 10);
});
