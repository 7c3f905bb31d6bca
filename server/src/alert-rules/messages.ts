import type { AlertRecord } from '../monitoring/alert.record';
import type { DeliveryEvent } from './deliveries.service';
import type { AlertRuleRecord } from './rules.service';

/** What a delivery says, before any channel's format: built from the stored alert and its rule. */
export interface AlertMessage {
  type: 'alert.raised' | 'alert.resolved' | 'test';
  /** One line for a person: a subject, a notification's text. */
  title: string;
  alert: AlertRecord | null;
  rule: AlertRuleRecord | null;
  /** The rule's metric when it fired; null for other alerts. */
  value: number | null;
  /** The dashboard page the alert is on. */
  link: string;
}

const TYPES: Record<DeliveryEvent, AlertMessage['type']> = { RAISED: 'alert.raised', RESOLVED: 'alert.resolved', TEST: 'test' };

/** What a claimed delivery says; `value` is a RULE alert's value when it fired. */
export function alertMessage(
  event: DeliveryEvent,
  { alert, rule, value }: { alert: AlertRecord | null; rule: AlertRuleRecord | null; value: number | null },
  publicUrl: string,
  channelName: string,
): AlertMessage {
  const link = `${publicUrl}/#/monitoring`;
  if (event === 'TEST' || !alert) {
    return { type: 'test', title: `Test message from Tally to the channel "${channelName}"`, alert: null, rule: null, value: null, link };
  }
  const title = event === 'RESOLVED' ? `Resolved: ${alert.message}` : `[${alert.severity}] ${alert.message}`;
  return { type: TYPES[event], title, alert, rule, value, link };
}

/** The JSON body of a webhook: the alert, its rule, the value, a link to the dashboard. */
export function webhookBody(message: AlertMessage, sentAt: Date): string {
  const { type, alert, rule, value, link } = message;
  return JSON.stringify({
    type,
    timestamp: sentAt.toISOString(),
    data: {
      alert,
      rule: rule && {
        id: rule.id,
        name: rule.name,
        metric: rule.metric,
        comparison: rule.comparison,
        threshold: rule.threshold,
        windowMinutes: rule.windowMinutes,
        filter: rule.filter,
        severity: rule.severity,
      },
      value,
      link,
      title: message.title,
    },
  });
}

const SEVERITY_EMOJI: Record<string, string> = { INFO: ':information_source:', WARNING: ':warning:', CRITICAL: ':rotating_light:' };

/** A Slack incoming-webhook message: `text` for notifications, blocks for the message itself. */
export function slackBody(message: AlertMessage): string {
  const { alert, rule, value, link } = message;
  const emoji = message.type === 'alert.resolved' ? ':white_check_mark:' : message.type === 'test' ? ':wave:' : (SEVERITY_EMOJI[alert?.severity ?? 'INFO'] ?? '');
  const facts = [
    alert && `*Kind:* ${alert.kind}`,
    alert && `*Severity:* ${alert.severity}`,
    rule && `*Rule:* ${rule.name} (${rule.metric} ${rule.comparison.toLowerCase()} ${rule.threshold}, ${rule.windowMinutes} min)`,
    value !== null && `*Value:* ${value}`,
  ].filter((fact): fact is string => Boolean(fact));
  return JSON.stringify({
    text: message.title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${emoji} *${escapeSlack(message.title)}*` } },
      ...(facts.length > 0 ? [{ type: 'section', fields: facts.map((text) => ({ type: 'mrkdwn', text: escapeSlack(text) })) }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${link}|Open in Tally>${alert ? ` · ${alert.at}` : ''}` }] },
    ],
  });
}

/** Slack's three control characters in mrkdwn, escaped as its documentation asks. */
const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An e-mail: subject and plain text. */
export function emailBody(message: AlertMessage): { subject: string; text: string } {
  const { alert, rule, value, link } = message;
  const lines = [
    message.title,
    '',
    ...(alert ? [`Kind: ${alert.kind}`, `Severity: ${alert.severity}`, `Raised at: ${alert.at}`] : []),
    ...(alert?.resolvedAt ? [`Resolved at: ${alert.resolvedAt}`] : []),
    ...(rule ? [`Rule: ${rule.name}: ${rule.metric} ${rule.comparison.toLowerCase()} ${rule.threshold} over ${rule.windowMinutes} minutes`] : []),
    ...(value !== null ? [`Value: ${value}`] : []),
    '',
    `Open in Tally: ${link}`,
  ];
  return { subject: message.title, text: lines.join('\n') };
}
