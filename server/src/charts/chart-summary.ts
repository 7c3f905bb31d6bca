/**
 * The paragraph under a chart, written from the numbers alone: the total, the largest item and
 * its share, the trend between the first and second half of a time axis, and what a limit left
 * out. Pure: it takes the figures and returns sentences.
 */
import type { Dimension, Metric, TimeBucket } from '../metrics/metrics.model';
import { bucketNoun, capitalise, countGroups, formatMetric, formatMetricWithNoun, formatPercent, groupsNoun, isAdditive, listWords, metricWords } from './chart-words';

/** One thing the chart compares: a group, a bucket, or a metric. */
export interface SummaryItem {
  label: string;
  value: number;
}

/** The figures a summary is written from. */
export interface SummaryInput {
  /** The metrics asked for; the first is the one the chart is about. */
  metrics: readonly Metric[];
  /** Each metric over the whole range and filter, all groups included. */
  overall: Readonly<Partial<Record<Metric, number>>>;
  /** "over the last 7 days", "yesterday". */
  rangePhrase: string;
  /** Whether any call matched. */
  hasData: boolean;
  dimensions: readonly Dimension[];
  bucket: TimeBucket | null;
  /**
   * What the largest-item sentence picks from, in the first metric: the groups (when split), else
   * the buckets (with a time axis), else nothing.
   */
  items: readonly SummaryItem[];
  /** The kind of item: 'groups' or 'buckets'. */
  itemKind: 'groups' | 'buckets' | null;
  /** How many groups there are before a limit; the chart shows `shownGroups` of them. */
  groupsTotal: number;
  shownGroups: number;
  /** The first metric per bucket, oldest first, for the trend; null without a time axis. */
  timeline: readonly (number | null)[] | null;
  ranking: 'most' | 'least' | null;
}

/** The change smaller than this (either way) reads as "held steady". */
const STEADY = 0.02;

function totalSentence(input: SummaryInput): string {
  const { metrics, overall, rangePhrase, dimensions, groupsTotal } = input;
  const groups = dimensions.length > 0 && groupsTotal > 0 ? ` across ${countGroups(dimensions, groupsTotal)}` : '';
  if (metrics.length === 1) {
    const metric = metrics[0];
    const value = formatMetric(metric, overall[metric] ?? 0);
    const verb = isAdditive(metric) ? `came to ${value} in total` : `was ${value} over all calls`;
    return `${capitalise(metricWords(metric))} ${rangePhrase} ${verb}${groups}.`;
  }
  const parts = metrics.map((metric) => `${metricWords(metric)} ${formatMetric(metric, overall[metric] ?? 0)}`);
  return `${capitalise(rangePhrase)}${groups}: ${listWords(parts)}.`;
}

function largestSentence(input: SummaryInput): string | null {
  const { metrics, overall, items, itemKind, bucket } = input;
  if (!itemKind || items.length < 2) return null;
  const metric = metrics[0];
  const additive = isAdditive(metric);
  const sorted = [...items].sort((a, b) => b.value - a.value);
  const largest = sorted[0];
  const total = overall[metric] ?? 0;
  const noun = itemKind === 'buckets' && bucket ? `The ${additive ? 'largest' : 'highest'} ${bucketNoun(bucket)} was ${largest.label}` : `${largest.label} was the ${additive ? 'largest' : 'highest'}`;
  const share = additive && total > 0 ? ` (${formatPercent(largest.value / total)} of the total)` : '';
  // With several measures a bare "6,743 ms" could be either: say which one ranks.
  const named = formatMetricWithNoun(metric, largest.value) !== formatMetric(metric, largest.value);
  const which = metrics.length > 1 && !named ? `By ${metricWords(metric)}, ` : '';
  let sentence = `${which}${which ? noun.charAt(0).toLowerCase() + noun.slice(1) : noun} at ${formatMetricWithNoun(metric, largest.value)}${share}.`;
  if (input.ranking === 'least') {
    const smallest = sorted[sorted.length - 1];
    const word = additive ? 'smallest' : 'lowest';
    sentence +=
      itemKind === 'buckets' && bucket
        ? ` The ${word} ${bucketNoun(bucket)} was ${smallest.label} at ${formatMetricWithNoun(metric, smallest.value)}.`
        : ` ${smallest.label} was the ${word} at ${formatMetricWithNoun(metric, smallest.value)}.`;
  }
  return sentence;
}

function trendSentence(input: SummaryInput): string | null {
  const { timeline, metrics } = input;
  if (!timeline || timeline.length < 2) return null;
  const metric = metrics[0];
  const additive = isAdditive(metric);
  const half = Math.floor(timeline.length / 2);
  const measure = (values: readonly (number | null)[]): number | null => {
    const present = values.filter((v): v is number => v !== null);
    if (present.length === 0) return additive ? 0 : null;
    const sum = present.reduce((a, b) => a + b, 0);
    return additive ? sum : sum / present.length;
  };
  const first = measure(timeline.slice(0, half));
  const second = measure(timeline.slice(timeline.length - half));
  if (first === null || second === null || (first === 0 && second === 0)) return null;
  const subject = capitalise(metricWords(metric));
  const [a, b] = [formatMetric(metric, first), formatMetric(metric, second)];
  // With an odd number of buckets the middle one is in neither part, so the parts are named by their length.
  const noun = input.bucket && timeline.length % 2 === 1 ? bucketNoun(input.bucket) : null;
  const part = noun && (half === 1 ? noun : `${half} ${noun}s`);
  const [firstPart, secondPart, both] = part
    ? [`the first ${part} of the range`, half === 1 ? 'the last' : `the last ${half}`, `the first and last ${part} of the range`]
    : ['the first half of the range', 'the second', 'the first and second half of the range'];
  if (first === 0) return `${subject} went from nothing in ${firstPart} to ${b} in ${secondPart}.`;
  if (second === 0) return `${subject} fell from ${a} in ${firstPart} to nothing in ${secondPart}.`;
  const change = (second - first) / first;
  if (Math.abs(change) < STEADY) return `${subject} held steady between ${both} (${a} and ${b}).`;
  const percent = `${Math.round(Math.abs(change) * 100).toLocaleString('en-US')}%`;
  return `${subject} ${change > 0 ? 'rose' : 'fell'} ${percent} from ${firstPart} (${a}) to ${secondPart} (${b}).`;
}

function leftOutSentence(input: SummaryInput): string | null {
  const { groupsTotal, shownGroups, dimensions, ranking } = input;
  if (dimensions.length === 0 || shownGroups >= groupsTotal) return null;
  const left = groupsTotal - shownGroups;
  const which = ranking === 'least' ? 'bottom' : 'top';
  return `Showing the ${which} ${shownGroups} of ${groupsTotal} ${groupsNoun(dimensions)}; ${left} more ${left === 1 ? 'is' : 'are'} left out.`;
}

/** The summary paragraph for a chart. */
export function summarizeChart(input: SummaryInput): string {
  if (!input.hasData) {
    return `No calls match this question ${input.rangePhrase}. A wider period, such as the last 30 days, may have some.`;
  }
  return [totalSentence(input), largestSentence(input), trendSentence(input), leftOutSentence(input)].filter(Boolean).join(' ');
}
