import type { ChartType, Metric, TimeBucket, UsageDimension } from '../../gql/graphql';

/** interpretedAs: the metrics query a chart ran, as usageMetrics(query:) takes it. */
export interface InterpretedQuery {
  period?: string;
  from?: string;
  to?: string;
  timezone: string;
  metrics: Metric[];
  groupBy?: UsageDimension[];
  bucket?: TimeBucket;
  filter?: {
    modelIds?: string[];
    providers?: string[];
    agentIds?: string[];
    tiers?: string[];
    requestTypes?: string[];
    isByok?: boolean;
    status?: 'SUCCESS' | 'ERROR';
  };
  orderBy?: Metric;
  descending?: boolean;
  limit?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);

/** Reads interpretedAs (JSON from the gateway) without trusting its shape. */
export function readInterpretation(json: unknown): InterpretedQuery {
  const value = isObject(json) ? json : {};
  const filter = isObject(value.filter) ? value.filter : undefined;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  return {
    period: text('period'),
    from: text('from'),
    to: text('to'),
    timezone: text('timezone') ?? 'UTC',
    metrics: (strings(value.metrics) ?? []) as Metric[],
    groupBy: strings(value.groupBy) as UsageDimension[] | undefined,
    bucket: text('bucket') as TimeBucket | undefined,
    filter: filter
      ? {
          modelIds: strings(filter.modelIds),
          providers: strings(filter.providers),
          agentIds: strings(filter.agentIds),
          tiers: strings(filter.tiers),
          requestTypes: strings(filter.requestTypes),
          isByok: typeof filter.isByok === 'boolean' ? filter.isByok : undefined,
          status: filter.status === 'SUCCESS' || filter.status === 'ERROR' ? filter.status : undefined,
        }
      : undefined,
    orderBy: text('orderBy') as Metric | undefined,
    descending: typeof value.descending === 'boolean' ? value.descending : undefined,
    limit: typeof value.limit === 'number' ? value.limit : undefined,
  };
}

const METRIC_NAMES: Record<string, string> = {
  REQUESTS: 'Requests',
  INPUT_TOKENS: 'Input tokens',
  OUTPUT_TOKENS: 'Output tokens',
  TOTAL_TOKENS: 'Total tokens',
  CACHE_READ_TOKENS: 'Cache read tokens',
  CACHE_WRITE_TOKENS: 'Cache write tokens',
  REASONING_TOKENS: 'Reasoning tokens',
  INPUT_COST: 'Input cost',
  OUTPUT_COST: 'Output cost',
  TOTAL_COST: 'Cost',
  AVG_LATENCY_MS: 'Average latency',
  P50_LATENCY_MS: 'Median (p50) latency',
  P95_LATENCY_MS: 'p95 latency',
  P99_LATENCY_MS: 'p99 latency',
  ERROR_COUNT: 'Errors',
  ERROR_RATE: 'Error rate',
  UNPRICED_REQUESTS: 'Unpriced requests',
};
const DIMENSION_NAMES: Record<string, string> = {
  MODEL: 'model',
  PROVIDER: 'provider',
  AGENT: 'agent',
  TIER: 'tier',
  IS_BYOK: 'BYOK or platform key',
  REQUEST_TYPE: 'request type',
  STATUS: 'status',
  WORKSPACE: 'workspace',
};
const PERIOD_NAMES: Record<string, string> = {
  LAST_1H: 'the last hour',
  LAST_24H: 'the last 24 hours',
  LAST_7D: 'the last 7 days',
  LAST_30D: 'the last 30 days',
  LAST_90D: 'the last 90 days',
};
const BUCKET_NAMES: Record<string, string> = { HOUR: 'per hour', DAY: 'per day', WEEK: 'per week (from Monday)', MONTH: 'per month' };
const CHART_NAMES: Record<ChartType, string> = { BAR: 'bars', LINE: 'lines', AREA: 'stacked areas', PIE: 'a pie' };

/** A metric's name for people: "p95 latency". */
export function metricName(metric: string): string {
  return METRIC_NAMES[metric] ?? metric;
}

/** One line of "how this was understood": a term and what it was read as. */
export interface InterpretationLine {
  term: string;
  detail: string;
}

function instant(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

const some = (values: string[] | undefined, names?: ReadonlyMap<string, string>) => (values && values.length ? values.map((v) => names?.get(v) ?? v).join(', ') : null);

/**
 * The metrics query in words, one line per part: what is measured, split by what, over which
 * time and buckets, which calls, in which order, drawn how.
 */
export function describeInterpretation(json: unknown, chartType: ChartType, agentNames?: ReadonlyMap<string, string>): InterpretationLine[] {
  const query = readInterpretation(json);
  const lines: InterpretationLine[] = [{ term: 'Measured', detail: query.metrics.map(metricName).join(', ') || '–' }];
  if (query.groupBy?.length) lines.push({ term: 'Split by', detail: query.groupBy.map((d) => DIMENSION_NAMES[d] ?? d).join(' and ') });
  const time = query.period
    ? `${PERIOD_NAMES[query.period] ?? query.period}, up to now`
    : query.from && query.to
      ? `${instant(query.from, query.timezone)} to ${instant(query.to, query.timezone)}`
      : '–';
  lines.push({ term: 'Time', detail: `${time} (${query.timezone})` });
  if (query.bucket) lines.push({ term: 'Buckets', detail: BUCKET_NAMES[query.bucket] ?? query.bucket });
  const filter = query.filter ?? {};
  const filters = [
    some(filter.modelIds) && `models ${some(filter.modelIds)}`,
    some(filter.providers) && `providers ${some(filter.providers)}`,
    some(filter.agentIds, agentNames) && `agents ${some(filter.agentIds, agentNames)}`,
    some(filter.requestTypes) && `request types ${some(filter.requestTypes)}`,
    some(filter.tiers) && `tiers ${some(filter.tiers)}`,
    filter.isByok === true && 'BYOK calls only',
    filter.isByok === false && 'platform-key calls only',
    filter.status === 'ERROR' && 'failed calls only',
    filter.status === 'SUCCESS' && 'successful calls only',
  ].filter((part): part is string => typeof part === 'string');
  lines.push({ term: 'Calls', detail: filters.length ? filters.join('; ') : 'all calls' });
  if (query.orderBy) {
    const order = `${query.descending === false ? 'smallest' : 'largest'} ${metricName(query.orderBy).toLowerCase()} first`;
    lines.push({ term: 'Order', detail: query.limit ? `${order}, the first ${query.limit}` : order });
  }
  lines.push({ term: 'Drawn as', detail: CHART_NAMES[chartType] });
  return lines;
}
