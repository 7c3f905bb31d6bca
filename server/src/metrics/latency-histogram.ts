/**
 * The fixed log-scale latency histogram kept in the rollups. Bucket 0 holds 0 ms;
 * bucket i (1..LAST) holds [RATIO^(i-1), RATIO^i) ms; the last bucket also holds
 * everything above. A ratio of 1.1 keeps any percentile within 5% of the exact one.
 */
export const HISTOGRAM_RATIO = 1.1;
export const HISTOGRAM_BUCKETS = 161;
const LAST = HISTOGRAM_BUCKETS - 1;

export function latencyBucket(latencyMs: number): number {
  if (latencyMs < 1) return 0;
  return Math.min(Math.floor(Math.log(latencyMs) / Math.log(HISTOGRAM_RATIO)) + 1, LAST);
}

/** The same bucket function in SQL, so raw rows and rollups agree. */
export const LATENCY_BUCKET_SQL = (column: string): string =>
  `CASE WHEN ${column} < 1 THEN 0 ELSE least(floor(ln(${column}) / ln(${HISTOGRAM_RATIO}))::int + 1, ${LAST}) END`;

export function emptyHistogramLiteral(): string {
  return `{${new Array(HISTOGRAM_BUCKETS).fill(0).join(',')}}`;
}

/**
 * Reads PostgreSQL's text form of a bucket-count array (`{0,3,0,…}`) into counts by bucket,
 * digit by digit: a string and a number per element cost more than the query for a long series.
 */
export function histogramFromText(text: string): number[] {
  const counts: number[] = [];
  let count = 0;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      count = count * 10 + (code - 48);
      continue;
    }
    counts.push(count);
    count = 0;
  }
  return counts;
}

/** The value a bucket stands for: its geometric middle, within 5% of anything in it (0 ms for bucket 0). */
function representative(bucket: number): number {
  if (bucket === 0) return 0;
  if (bucket === LAST) return Math.pow(HISTOGRAM_RATIO, bucket - 1);
  return Math.pow(HISTOGRAM_RATIO, bucket - 0.5);
}

/**
 * A percentile estimated from bucket counts with PostgreSQL's percentile_cont rule: the
 * values at the ranks either side of `fraction * (n - 1)`, interpolated linearly. Each of
 * those values is replaced by its bucket's representative, which is within 5% of it, so
 * the interpolated estimate is within 5% of the exact percentile too.
 * @param counts count by bucket index
 */
export function percentileFromHistogram(counts: readonly number[], fraction: number): number {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0) return 0;
  const rank = fraction * (total - 1);
  const bucketAtRank = (wanted: number): number => {
    let before = 0;
    for (let bucket = 0; bucket < counts.length; bucket++) {
      before += counts[bucket];
      if (wanted < before) return bucket;
    }
    return counts.length - 1;
  };
  const lower = representative(bucketAtRank(Math.floor(rank)));
  const upper = representative(bucketAtRank(Math.ceil(rank)));
  return lower + (rank - Math.floor(rank)) * (upper - lower);
}
