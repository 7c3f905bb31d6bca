/**
 * Turns metrics rows into what the chart API answers: series of points, the chart type, a title,
 * the summary and the query in words. Pure: the rows come in, nothing is read here.
 */
import type { Dimension, Metric, MetricsQuery, MetricsRowValue } from '../metrics/metrics.model';
import { summarizeChart, type SummaryItem } from './chart-summary';
import { bucketAdjective, capitalise, groupsNoun, isAdditive, listWords, metricsWords, metricWords } from './chart-words';
import { dimensionWords } from '../metrics/dimension-catalogue';
import type { ChartInterpretation, ChartType, UsageFilterJson } from './question-parser';
import { bucketKey, bucketSlots, describeBucket } from './zoned-time';

/** A point of a series: a group's label, a bucket's start (ISO), or the range's name. */
export interface ChartPointValue {
  x: string;
  y: number;
}

/** A series of the chart. */
export interface ChartSeriesValue {
  /** A metric ("TOTAL_COST") when the series are metrics, a group's key ("gpt-4o") when they are groups. */
  id: string;
  label: string;
  /** The metric its values are in. */
  metric: Metric;
  points: ChartPointValue[];
}

/** The chart, ready to answer. */
export interface ChartValues {
  title: string;
  chartType: ChartType;
  series: ChartSeriesValue[];
  summary: string;
  explanation: string;
}

/** The figures a chart is built from. */
export interface ChartFigures {
  interpretation: ChartInterpretation;
  /** The query that ran (in engine form). */
  query: MetricsQuery;
  /** Its rows, ordered by the engine, before any limit. */
  rows: readonly MetricsRowValue[];
  /** Each metric over the whole range and the question's own filter. */
  overall: Readonly<Partial<Record<Metric, number>>>;
  /** Whether any call matched the question (a sum of nothing reads as 0, not as empty). */
  hasData: boolean;
  /** With a time axis and a split: each group over the whole range, in rank order. */
  groupTotals: readonly MetricsRowValue[] | null;
  /** With a time axis and a split: the first metric per bucket over all groups. */
  timeline: readonly MetricsRowValue[] | null;
  /** The question's filter before "top N" narrowed it to the top groups. */
  askedFilter: UsageFilterJson | undefined;
  /** How the question's agents and other ids read. */
  agentNames: ReadonlyMap<string, string>;
  /** The type the caller asked for, or a preset's. */
  forcedChartType: ChartType | null;
}

/** Dimensions with few values by nature: a split by one of them is a share of a whole. */
const FEW_VALUED: ReadonlySet<Dimension> = new Set(['PROVIDER', 'REQUEST_TYPE', 'TIER', 'IS_BYOK', 'STATUS']);
/** A pie shows 2 to this many slices; more reads better as bars. */
export const MAX_PIE_SLICES = 6;

const groupKeyOf = (row: MetricsRowValue): string => row.dimensions.map((d) => d.value).join('|');
const groupLabelOf = (row: MetricsRowValue): string => row.dimensions.map((d) => d.label).join(' · ');

/**
 * The chart type: a time axis draws lines (a stacked area when the lines are parts of a cost),
 * a share of a whole with few parts a pie, anything else bars.
 */
export function chooseChartType(figures: Pick<ChartFigures, 'interpretation' | 'query' | 'forcedChartType'>, groupCount: number): ChartType {
  const { interpretation, query, forcedChartType } = figures;
  if (forcedChartType) return forcedChartType;
  if (interpretation.namedChartType) return interpretation.namedChartType;
  if (query.bucket) {
    const costs = query.metrics.every((m) => m === 'TOTAL_COST' || m === 'INPUT_COST' || m === 'OUTPUT_COST');
    const parts = query.groupBy.length > 0 || (query.metrics.length > 1 && !query.metrics.includes('TOTAL_COST'));
    return costs && parts ? 'AREA' : 'LINE';
  }
  const share =
    query.groupBy.length === 1 &&
    query.metrics.length === 1 &&
    isAdditive(query.metrics[0]) &&
    (interpretation.asksForShare || FEW_VALUED.has(query.groupBy[0])) &&
    !interpretation.ranking &&
    !query.limit;
  return share && groupCount >= 2 && groupCount <= MAX_PIE_SLICES ? 'PIE' : 'BAR';
}

function timeSeries(figures: ChartFigures): { series: ChartSeriesValue[]; timeline: (number | null)[]; bucketLabels: string[] } {
  const { query, rows, groupTotals } = figures;
  const bucket = query.bucket!;
  const zone = query.timezone;
  const slots = bucketSlots(query.range.from, query.range.to, bucket, zone);
  const metric = query.metrics[0];
  const slotValue = (values: Map<string, number>, key: string, m: Metric): number | null => values.get(key) ?? (isAdditive(m) ? 0 : null);
  const points = (values: Map<string, number>, m: Metric): ChartPointValue[] =>
    slots.flatMap((slot) => {
      const y = slotValue(values, slot.key, m);
      return y === null ? [] : [{ x: slot.start.toISOString(), y }];
    });

  let series: ChartSeriesValue[];
  if (query.groupBy.length > 0) {
    const byGroup = new Map<string, { label: string; values: Map<string, number> }>();
    for (const row of rows) {
      const key = groupKeyOf(row);
      if (!byGroup.has(key)) byGroup.set(key, { label: groupLabelOf(row), values: new Map() });
      byGroup.get(key)!.values.set(bucketKey(row.bucket!, bucket, zone), row.values[metric] ?? 0);
    }
    const rank = new Map((groupTotals ?? []).map((row, index) => [groupKeyOf(row), index]));
    const order = [...byGroup.keys()].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity));
    series = order.map((key) => ({ id: key, label: byGroup.get(key)!.label, metric, points: points(byGroup.get(key)!.values, metric) }));
  } else {
    series = query.metrics.map((m) => {
      const values = new Map(rows.map((row) => [bucketKey(row.bucket!, bucket, zone), row.values[m] ?? 0]));
      return { id: m, label: capitalise(metricWords(m)), metric: m, points: points(values, m) };
    });
  }
  const timelineRows = figures.timeline ?? rows;
  const totals = new Map(timelineRows.map((row) => [bucketKey(row.bucket!, bucket, zone), row.values[metric] ?? 0]));
  return {
    series,
    timeline: slots.map((slot) => slotValue(totals, slot.key, metric)),
    bucketLabels: slots.map((slot) => describeBucket(slot.key, bucket)),
  };
}

function filterWords(filter: UsageFilterJson | undefined, agentNames: ReadonlyMap<string, string>): { forWords: string[]; onlyWords: string[] } {
  const forWords: string[] = [];
  const onlyWords: string[] = [];
  if (!filter) return { forWords, onlyWords };
  const some = (values: string[], noun: string, many: string) => (values.length <= 3 ? `${noun} ${listWords(values)}` : `${values.length} ${many}`);
  if (filter.modelIds?.length) forWords.push(some(filter.modelIds, filter.modelIds.length === 1 ? 'model' : 'models', 'models'));
  if (filter.providers?.length) forWords.push(some(filter.providers, filter.providers.length === 1 ? 'provider' : 'providers', 'providers'));
  if (filter.agentIds?.length) {
    const names = filter.agentIds.map((id) => agentNames.get(id) ?? id);
    forWords.push(some(names, names.length === 1 ? 'agent' : 'agents', 'agents'));
  }
  if (filter.requestTypes?.length) forWords.push(some(filter.requestTypes, filter.requestTypes.length === 1 ? 'request type' : 'request types', 'request types'));
  if (filter.tiers?.length) forWords.push(some(filter.tiers, filter.tiers.length === 1 ? 'tier' : 'tiers', 'tiers'));
  if (filter.userIds?.length) forWords.push(some(filter.userIds, filter.userIds.length === 1 ? 'user' : 'users', 'users'));
  if (filter.tags?.length) forWords.push(some(filter.tags, filter.tags.length === 1 ? 'tag' : 'tags', 'tags'));
  for (const pair of filter.metadata ?? []) forWords.push(`${pair.key} ${pair.value}`);
  if (filter.isByok === true) onlyWords.push('BYOK only');
  if (filter.isByok === false) onlyWords.push('platform keys only');
  if (filter.status === 'ERROR') onlyWords.push('errors only');
  if (filter.status === 'SUCCESS') onlyWords.push('successful calls only');
  return { forWords, onlyWords };
}

function chartTitle(figures: ChartFigures, topCount: number | null): string {
  const { query, interpretation, askedFilter, agentNames } = figures;
  const measured = metricsWords(query.metrics);
  const timed = query.bucket ? `${bucketAdjective(query.bucket)} ${measured}` : capitalise(measured);
  const split = query.groupBy.map(dimensionWords).join(' and ');
  let main: string;
  if (topCount !== null && query.groupBy.length > 0) {
    main = `${interpretation.ranking === 'least' ? 'Bottom' : 'Top'} ${topCount} ${groupsNoun(query.groupBy)} by ${query.bucket ? timed.toLowerCase() : measured}`;
  } else {
    main = split ? `${timed} by ${split}` : timed;
  }
  const { forWords, onlyWords } = filterWords(askedFilter, agentNames);
  const filters = `${forWords.length ? ` for ${forWords.join(', ')}` : ''}${onlyWords.length ? ` (${onlyWords.join(', ')})` : ''}`;
  return `${main}${filters}, ${interpretation.rangeTitle}`;
}

const instantFormats = new Map<string, Intl.DateTimeFormat>();
function formatInstant(at: Date, zone: string): string {
  let format = instantFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    instantFormats.set(zone, format);
  }
  return format.format(at);
}

function explain(figures: ChartFigures, topCount: number | null): string {
  const { query, interpretation, askedFilter, agentNames } = figures;
  const parts: string[] = [metricsWords(query.metrics)];
  if (query.groupBy.length > 0) parts.push(`split by ${query.groupBy.map(dimensionWords).join(' and ')}`);
  if (query.bucket) parts.push(`per ${query.bucket.toLowerCase()}`);
  parts.push(
    `${interpretation.rangePhrase} (${formatInstant(query.range.from, query.timezone)} to ${formatInstant(query.range.to, query.timezone)}, ${query.timezone})`,
  );
  const { forWords, onlyWords } = filterWords(askedFilter, agentNames);
  if (forWords.length) parts.push(`only ${forWords.join(', ')}`);
  parts.push(...onlyWords);
  if (interpretation.ranking && query.groupBy.length > 0) parts.push(interpretation.ranking === 'most' ? 'largest first' : 'smallest first');
  if (topCount !== null && query.groupBy.length > 0) parts.push(`the ${interpretation.ranking === 'least' ? 'bottom' : 'top'} ${topCount} ${groupsNoun(query.groupBy)}`);
  return `${capitalise(parts.join(', '))}.`;
}

/** The chart for a question's figures. */
export function buildChart(figures: ChartFigures): ChartValues {
  const { query, rows, interpretation, overall } = figures;
  const metric = query.metrics[0];
  const limit = query.bucket ? interpretation.topGroups : (query.limit ?? null);
  let series: ChartSeriesValue[];
  let items: SummaryItem[] = [];
  let itemKind: 'groups' | 'buckets' | null = null;
  let timeline: (number | null)[] | null = null;
  let groupsTotal = 0;
  let shownGroups = 0;

  if (query.bucket) {
    const built = timeSeries(figures);
    series = built.series;
    timeline = built.timeline;
    if (query.groupBy.length > 0) {
      const totals = figures.groupTotals ?? [];
      groupsTotal = totals.length;
      shownGroups = series.length;
      items = totals.map((row) => ({ label: groupLabelOf(row), value: row.values[metric] ?? 0 }));
      itemKind = 'groups';
    } else {
      items = built.timeline.flatMap((value, index) => (value === null ? [] : [{ label: built.bucketLabels[index], value }]));
      itemKind = 'buckets';
    }
  } else if (query.groupBy.length > 0) {
    const shown = limit ? rows.slice(0, limit) : [...rows];
    series = query.metrics.map((m) => ({
      id: m,
      label: capitalise(metricWords(m)),
      metric: m,
      points: shown.map((row) => ({ x: groupLabelOf(row), y: row.values[m] ?? 0 })),
    }));
    groupsTotal = rows.length;
    shownGroups = shown.length;
    items = rows.map((row) => ({ label: groupLabelOf(row), value: row.values[metric] ?? 0 }));
    itemKind = 'groups';
  } else {
    series = query.metrics.map((m) => ({
      id: m,
      label: capitalise(metricWords(m)),
      metric: m,
      points: figures.hasData ? [{ x: interpretation.rangeTitle, y: overall[m] ?? 0 }] : [],
    }));
  }

  // Nothing matched: no points at all, rather than a flat line of zeros that looks like data.
  if (!figures.hasData) series = series.map((s) => ({ ...s, points: [] }));

  const topCount = limit !== null && groupsTotal > 0 ? Math.min(limit, groupsTotal) : null;
  const summary = summarizeChart({
    metrics: query.metrics,
    overall,
    rangePhrase: interpretation.rangePhrase,
    hasData: figures.hasData,
    dimensions: query.groupBy,
    bucket: query.bucket ?? null,
    items,
    itemKind,
    groupsTotal,
    shownGroups,
    timeline,
    ranking: interpretation.ranking,
  });
  const groupCount = query.groupBy.length > 0 ? (series[0]?.points.length ?? 0) : 0;
  return {
    title: chartTitle(figures, topCount),
    chartType: chooseChartType(figures, query.bucket ? series.length : groupCount),
    series,
    summary,
    explanation: explain(figures, topCount),
  };
}
