import type { ChannelKind, Comparison, Metric, Severity } from '../../gql/graphql';

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
  return { ok: true, input: { id: values.id, name, metric: values.metric, comparison: values.comparison, threshold, windowMinutes, severity: values.severity, channelIds: values.channelIds } };
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
