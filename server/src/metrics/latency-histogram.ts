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
 * A percentile estimated from bucket counts, with the same rank rule as PostgreSQL's
 * percentile_cont, interpolated geometrically inside the bucket it falls in.
 * @param counts sparse bucket index -> count
 */
export function percentileFromHistogram(counts: Map<number, number>, fraction: number): number {
  let total = 0;
  for (const c of counts.values()) total += c;
  if (total === 0) return 0;
  const rank = fraction * (total - 1);
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  let before = 0;
  for (const bucket of buckets) {
    const count = counts.get(bucket) ?? 0;
    if (count === 0) continue;
    if (rank < before + count) {
      if (bucket === 0) return 0;
      const low = Math.pow(HISTOGRAM_RATIO, bucket - 1);
      if (bucket === LAST) return low;
      const within = (rank - before + 0.5) / count;
      return low * Math.pow(HISTOGRAM_RATIO, within);
    }
    before += count;
  }
  const top = buckets[buckets.length - 1];
  return top === 0 ? 0 : Math.pow(HISTOGRAM_RATIO, top - 1);
}
