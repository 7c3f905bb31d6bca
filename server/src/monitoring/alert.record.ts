export const ALERT_KINDS = ['HEARTBEAT_STALE', 'COST_ANOMALY', 'ERROR_SPIKE', 'BUDGET_THRESHOLD', 'RULE'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** An alert as services and PubSub carry it: plain, serialisable values. */
export interface AlertRecord {
  id: string;
  kind: AlertKind;
  severity: Severity;
  message: string;
  workspaceId: string | null;
  at: string;
  ruleId: string | null;
  resolvedAt: string | null;
}
