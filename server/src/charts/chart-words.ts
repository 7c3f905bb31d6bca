/** How charts name and write metrics: one place, so titles, summaries and explanations agree. */
import { DIMENSION_CATALOGUE } from '../metrics/dimension-catalogue';
import type { Dimension, Metric, TimeBucket } from '../metrics/metrics.model';
import { METRIC_CATALOGUE } from '../metrics/catalogue';

const METRIC_WORDS: Record<Metric, string> = {
  REQUESTS: 'requests',
  INPUT_TOKENS: 'input tokens',
  OUTPUT_TOKENS: 'output tokens',
  TOTAL_TOKENS: 'tokens',
  CACHE_READ_TOKENS: 'cache read tokens',
  CACHE_WRITE_TOKENS: 'cache write tokens',
  REASONING_TOKENS: 'reasoning tokens',
  INPUT_COST: 'input cost',
  OUTPUT_COST: 'output cost',
  TOTAL_COST: 'cost',
  AVG_LATENCY_MS: 'average latency',
  P50_LATENCY_MS: 'median latency',
  P95_LATENCY_MS: 'p95 latency',
  P99_LATENCY_MS: 'p99 latency',
  ERROR_COUNT: 'errors',
  ERROR_RATE: 'error rate',
  UNPRICED_REQUESTS: 'unpriced requests',
};

/** A metric in words, lower case: "cost", "p95 latency". */
export function metricWords(metric: Metric): string {
  return METRIC_WORDS[metric];
}

/** Several metrics in words, sharing their noun: "input and output tokens", "p50 and p95 latency", "cost and requests". */
export function metricsWords(metrics: readonly Metric[]): string {
  const words = metrics.map(metricWords);
  const nouns = words.map((w) => w.split(' ').pop()!);
  const shared = nouns.every((n) => n === nouns[0]) && words.every((w) => w.includes(' '));
  if (metrics.length > 1 && shared) return `${listWords(words.map((w) => w.slice(0, w.lastIndexOf(' '))))} ${nouns[0]}`;
  return listWords(words);
}

/** A value with its noun where a bare number would be unclear: "2,504 requests", "7.0M input tokens", but "$4.00", "840 ms". */
export function formatMetricWithNoun(metric: Metric, value: number): string {
  const unit = METRIC_CATALOGUE[metric].unit;
  const text = formatMetric(metric, value);
  return unit === 'count' || unit === 'tokens' ? `${text} ${metricWords(metric)}` : text;
}

/** Upper-cases the first letter. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Sums (counts, tokens, money) add up across groups and buckets; averages, percentiles and rates do not. */
export function isAdditive(metric: Metric): boolean {
  const unit = METRIC_CATALOGUE[metric].unit;
  return unit === 'count' || unit === 'tokens' || unit === 'usd';
}

const DOLLARS = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SIGNIFICANT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });
const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "$1,234.56"; under a cent two significant digits ("$0.0042"), so a cheap call never reads "$0.00". */
export function formatDollars(amount: number): string {
  if (amount === 0) return '$0.00';
  if (Math.abs(amount) >= 0.01) return DOLLARS.format(amount);
  return `${amount < 0 ? '-' : ''}$${SIGNIFICANT.format(Math.abs(amount))}`;
}

/** "950", "1.2k", "48k", "3.4M", "1.1B": one decimal below 10 of a unit; "1.0M", never "1000k". */
export function formatTokens(count: number): string {
  const size = Math.abs(count);
  const sign = count < 0 ? '-' : '';
  if (size < 999.5) return sign + INTEGER.format(size);
  const units: [number, string][] = [
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'B'],
  ];
  for (let i = 0; i < units.length; i++) {
    const scaled = size / units[i][0];
    const text = scaled < 9.95 ? scaled.toFixed(1) : Math.round(scaled).toString();
    if (i < units.length - 1 && Number(text) >= 1000) continue;
    return `${sign}${text}${units[i][1]}`;
  }
  return sign + INTEGER.format(size);
}

/** A metric's value as a person reads it: dollars, tokens with k/M, latency in ms, rates as percentages. */
export function formatMetric(metric: Metric, value: number): string {
  switch (METRIC_CATALOGUE[metric].unit) {
    case 'usd':
      return formatDollars(value);
    case 'tokens':
      return formatTokens(value);
    case 'ms':
      return `${INTEGER.format(value)} ms`;
    case 'ratio':
      return formatPercent(value);
    case 'count':
      return INTEGER.format(value);
  }
}

/** 0.625 -> "62.5%" */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** What the groups of a split are called: "3 models", "1 provider", "4 combinations". */
export function countGroups(dimensions: readonly Dimension[], count: number): string {
  const [one, many] = dimensions.length === 1 ? DIMENSION_CATALOGUE[dimensions[0]].groups : ['combination', 'combinations'];
  return `${INTEGER.format(count)} ${count === 1 ? one : many}`;
}

/** The plural noun alone: "models", "combinations". */
export function groupsNoun(dimensions: readonly Dimension[]): string {
  return dimensions.length === 1 ? DIMENSION_CATALOGUE[dimensions[0]].groups[1] : 'combinations';
}

/** "day", "hour"… */
export function bucketNoun(bucket: TimeBucket): string {
  return { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' }[bucket];
}

/** "Daily", "Hourly"… */
export function bucketAdjective(bucket: TimeBucket): string {
  return { HOUR: 'Hourly', DAY: 'Daily', WEEK: 'Weekly', MONTH: 'Monthly' }[bucket];
}

/** "a, b and c" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
