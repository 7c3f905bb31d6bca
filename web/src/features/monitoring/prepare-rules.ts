import type { SparklineWords } from '../../components/charts/sparkline';
import type { CallStatus, ChannelKind, Comparison, DeliveriesQuery, Metric, Severity, UsageFilter } from '../../gql/graphql';

/** The form of a rule as typed: strings until parsed. */
export interface RuleFormValues {
  id: string | null;
  name: string;
  metric: Metric;
  comparison: Comparison;
  threshold: string;
  windowMinutes: string;
  severity: Severity;
  channelIds: string[];
  /** The calls the rule counts: kept as the rule has it (set through the API), shown, and used by the preview. */
  filter: UsageFilter | null;
}

export const EMPTY_RULE_FORM: RuleFormValues = {
  id: null,
  name: '',
  metric: 'TOTAL_COST',
  comparison: 'ABOVE',
  threshold: '',
  windowMinutes: '60',
  severity: 'WARNING',
  channelIds: [],
  filter: null,
};

export type RuleFormErrors = Partial<Record<'name' | 'threshold' | 'windowMinutes', string>>;

export interface ParsedRule {
  id: string | null;
  name: string;
  metric: Metric;
  comparison: Comparison;
  threshold: number;
  windowMinutes: number;
  severity: Severity;
  channelIds: string[];
  filter: UsageFilter | null;
}

/** Checks the form as the server would, so mistakes show beside their field before a round trip. */
export function parseRuleForm(values: RuleFormValues): { ok: true; input: ParsedRule } | { ok: false; errors: RuleFormErrors } {
  const errors: RuleFormErrors = {};
  const name = values.name.trim();
  if (name.length < 1 || name.length > 100) errors.name = 'Give the rule a name of 1 to 100 characters.';
  const threshold = Number(values.threshold);
  if (values.threshold.trim() === '' || !Number.isFinite(threshold)) errors.threshold = 'Enter a number, e.g. 5 or 0.25.';
  const windowMinutes = Number(values.windowMinutes);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > 1440) errors.windowMinutes = 'Enter whole minutes from 1 to 1440.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: { id: values.id, name, metric: values.metric, comparison: values.comparison, threshold, windowMinutes, severity: values.severity, channelIds: values.channelIds, filter: values.filter } };
}

/** A rule as the list shows it: its condition in words and its state. */
export interface RuleRow {
  id: string;
  name: string;
  condition: string;
  firing: boolean;
  stateLabel: string;
  valueLabel: string;
  channels: string;
}

const METRIC_WORDS: Partial<Record<Metric, string>> = {
  TOTAL_COST: 'cost ($)',
  REQUESTS: 'requests',
  ERROR_RATE: 'error rate',
  ERROR_COUNT: 'errors',
  TOTAL_TOKENS: 'tokens',
  P95_LATENCY_MS: 'p95 latency (ms)',
  AVG_LATENCY_MS: 'average latency (ms)',
};

export const metricWords = (metric: Metric): string => METRIC_WORDS[metric] ?? metric.toLowerCase().replace(/_/g, ' ');

export const formatRuleValue = (value: number): string => (Number.isInteger(value) ? String(value) : value.toPrecision(4).replace(/\.?0+$/, ''));

export function prepareRuleRows(
  rules: readonly { id: string; name: string; metric: Metric; comparison: Comparison; threshold: number; windowMinutes: number; state: string; lastValue?: number | null; enabled: boolean; channelIds: readonly string[] }[],
  channelNames: ReadonlyMap<string, string>,
): RuleRow[] {
  return rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    condition: `${metricWords(rule.metric)} ${rule.comparison === 'ABOVE' ? 'above' : 'below'} ${formatRuleValue(rule.threshold)} over ${rule.windowMinutes} min`,
    firing: rule.enabled && rule.state === 'FIRING',
    stateLabel: !rule.enabled ? 'Disabled' : rule.state === 'FIRING' ? 'Firing' : 'OK',
    valueLabel: rule.lastValue === null || rule.lastValue === undefined ? 'not evaluated yet' : `now ${formatRuleValue(rule.lastValue)}`,
    channels: rule.channelIds.length === 0 ? 'no channels' : rule.channelIds.map((id) => channelNames.get(id) ?? 'a deleted channel').join(', '),
  }));
}

export const CHANNEL_TARGET_HINT: Record<ChannelKind, string> = {
  WEBHOOK: 'https://example.com/hooks/tally',
  SLACK: 'https://hooks.slack.com/services/…',
  EMAIL: 'ops@example.com',
};

const LIST_FILTERS = ['modelIds', 'providers', 'agentIds', 'tiers', 'requestTypes'] as const;
const LIST_FILTER_WORDS: Record<(typeof LIST_FILTERS)[number], string> = {
  modelIds: 'models',
  providers: 'providers',
  agentIds: 'agents',
  tiers: 'tiers',
  requestTypes: 'request types',
};

/** A rule's stored filter (JSON) as the UsageFilter it was set with; null when it sets nothing. */
export function toRuleFilter(stored: unknown): UsageFilter | null {
  if (!stored || typeof stored !== 'object') return null;
  const given = stored as Record<string, unknown>;
  const filter: UsageFilter = {};
  for (const list of LIST_FILTERS) {
    const values = given[list];
    if (Array.isArray(values) && values.length > 0) filter[list] = values.map(String);
  }
  if (typeof given.isByok === 'boolean') filter.isByok = given.isByok;
  if (given.status === 'SUCCESS' || given.status === 'ERROR') filter.status = given.status as CallStatus;
  return Object.keys(filter).length > 0 ? filter : null;
}

/** The filter in words, e.g. "models gpt-4o; errors only"; null for none. */
export function describeFilter(filter: UsageFilter | null): string | null {
  if (!filter) return null;
  const parts: string[] = [];
  for (const list of LIST_FILTERS) {
    const values = filter[list];
    if (values && values.length > 0) parts.push(`${LIST_FILTER_WORDS[list]} ${values.join(', ')}`);
  }
  if (filter.isByok === true) parts.push('own provider keys only');
  if (filter.isByok === false) parts.push('platform keys only');
  if (filter.status === 'ERROR') parts.push('errors only');
  if (filter.status === 'SUCCESS') parts.push('successes only');
  return parts.length > 0 ? parts.join('; ') : null;
}

/** Slices of the window the form's sparkline draws; the preview query asks for exactly this many. */
export const PREVIEW_SLICES = 12;

export interface TimeSpan {
  from: string;
  to: string;
}

/** The window [to - windowMinutes, to) and its PREVIEW_SLICES equal slices, oldest first. */
export function previewRanges(windowMinutes: number, to: Date): { window: TimeSpan; slices: TimeSpan[] } {
  const end = to.getTime();
  const start = end - windowMinutes * 60_000;
  const at = (i: number) => new Date(start + Math.round(((end - start) * i) / PREVIEW_SLICES)).toISOString();
  return {
    window: { from: new Date(start).toISOString(), to: to.toISOString() },
    slices: Array.from({ length: PREVIEW_SLICES }, (_, i) => ({ from: at(i), to: at(i + 1) })),
  };
}

/** How the form's sparkline reads aloud: the metric across the window's slices. */
export function previewSparklineWords(metric: Metric, windowMinutes: number): SparklineWords {
  const slice = (windowMinutes * 60) / PREVIEW_SLICES;
  const sliceWords = slice >= 60 ? `${formatRuleValue(Math.round((slice / 60) * 10) / 10)} min` : `${formatRuleValue(Math.round(slice))} s`;
  return {
    empty: 'No values yet',
    count: (values) => `${metricWords(metric)} in ${values} slices of ${sliceWords}`,
    format: formatRuleValue,
    lowest: 'lowest',
    highest: 'highest',
  };
}

type DeliveryRow = DeliveriesQuery['deliveries'][number];

/** What a delivery announced, in words: the alert's message as it was raised or resolved, or a test. */
export function deliveryWhat({ event, alertId, alert }: Pick<DeliveryRow, 'event' | 'alertId' | 'alert'>): string {
  if (event === 'TEST') return 'A test message';
  const raisedOrResolved = event === 'RAISED' ? 'Raised' : 'Resolved';
  return alert ? `${raisedOrResolved}: ${alert.message}` : `${raisedOrResolved}: alert ${alertId ?? ''}, no longer stored`;
}
