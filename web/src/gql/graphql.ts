/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AlertKind =
  | 'BUDGET_THRESHOLD'
  | 'COST_ANOMALY'
  | 'ERROR_SPIKE'
  | 'HEARTBEAT_STALE'
  | 'RULE';

export type AlertRuleInput = {
  /** Channels of the rule's workspace its alerts are delivered to. */
  channelIds?: Array<string | number> | null | undefined;
  comparison: Comparison;
  /** Default true. */
  enabled?: boolean | null | undefined;
  filter?: UsageFilter | null | undefined;
  /** Given: replaces that rule. */
  id?: string | number | null | undefined;
  metric: Metric;
  name: string;
  /** Default WARNING. */
  severity?: Severity | null | undefined;
  threshold: number;
  /** The metric is computed over the last windowMinutes (1 to 1440). */
  windowMinutes: number;
};

export type BudgetInput = {
  agentId?: string | number | null | undefined;
  /** Dollars per window: more than 0 and at most 100,000,000. */
  amount: number;
  modelId?: string | null | undefined;
  /** Default [0.8, 0.9, 1.0]. */
  thresholds?: Array<number> | null | undefined;
  /** Caps one end user's spend (the calls naming this userId). */
  userId?: string | null | undefined;
  window: BudgetWindow;
};

export type BudgetWindow =
  | 'DAY'
  | 'MONTH'
  | 'WEEK';

export type CallStatus =
  | 'ERROR'
  | 'SUCCESS';

export type ChannelKind =
  | 'EMAIL'
  | 'SLACK'
  | 'WEBHOOK';

export type ChartType =
  | 'AREA'
  | 'BAR'
  | 'LINE'
  | 'PIE';

export type Comparison =
  | 'ABOVE'
  | 'BELOW';

export type ConnectionStatus =
  | 'ACTIVE'
  | 'DISCONNECTED'
  | 'ERROR';

export type CostBreakdownDimension =
  | 'AGENT'
  | 'DAILY'
  | 'MODEL'
  | 'PROVIDER';

export type DeliveryEvent =
  | 'RAISED'
  | 'RESOLVED'
  | 'TEST';

export type DeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SENT';

export type HealthStatus =
  | 'DEGRADED'
  | 'DOWN'
  | 'OK';

export type HeartbeatStatus =
  | 'ALIVE'
  | 'STALE'
  | 'STOPPED';

export type Impact =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

/** Where memory answers come from: the Mem0 (OpenMemory) server, or the gateway's own table. */
export type MemorySource =
  | 'LOCAL'
  | 'MEM0';

/** A key and value of a call's metadata: top-level string, number and boolean values match by their text ("42", "true"). */
export type MetadataFilter = {
  key: string;
  value: string;
};

export type Metric =
  | 'AVG_LATENCY_MS'
  | 'CACHE_READ_TOKENS'
  | 'CACHE_WRITE_TOKENS'
  | 'ERROR_COUNT'
  | 'ERROR_RATE'
  | 'INPUT_COST'
  | 'INPUT_TOKENS'
  | 'OUTPUT_COST'
  | 'OUTPUT_TOKENS'
  | 'P50_LATENCY_MS'
  | 'P95_LATENCY_MS'
  | 'P99_LATENCY_MS'
  | 'REASONING_TOKENS'
  | 'REQUESTS'
  | 'TOTAL_COST'
  | 'TOTAL_TOKENS'
  | 'UNPRICED_REQUESTS';

export type MetricsQueryInput = {
  bucket?: TimeBucket | null | undefined;
  descending?: boolean | null | undefined;
  filter?: UsageFilter | null | undefined;
  /** from/to instead of period: an explicit half-open range [from, to). */
  from?: string | null | undefined;
  groupBy?: Array<UsageDimension> | null | undefined;
  limit?: number | null | undefined;
  metrics: Array<Metric>;
  orderBy?: Metric | null | undefined;
  period?: Period | null | undefined;
  /** IANA zone for DAY/WEEK/MONTH buckets and daysWithData; default UTC. */
  timezone?: string | null | undefined;
  to?: string | null | undefined;
};

export type ModelPriceInput = {
  /** Dollars per million tokens, from 0 to 100,000. */
  cacheReadPerMTok?: number | null | undefined;
  /** Dollars per million tokens, from 0 to 100,000. */
  cacheWritePerMTok?: number | null | undefined;
  /** Dollars per million tokens, from 0 to 100,000. */
  inputPerMTok: number;
  /** At most 256 characters, as calls name it. */
  modelId: string;
  /** Dollars per million tokens, from 0 to 100,000. */
  outputPerMTok: number;
  /** At most 256 characters, as calls name it. */
  provider: string;
};

export type NotificationChannelInput = {
  /** Default true. */
  enabled?: boolean | null | undefined;
  /** Given: replaces that channel (a webhook keeps its signing secret). */
  id?: string | number | null | undefined;
  kind: ChannelKind;
  name: string;
  /** A URL (WEBHOOK, SLACK) or an e-mail address (EMAIL). */
  target: string;
};

export type Period =
  | 'LAST_1H'
  | 'LAST_7D'
  | 'LAST_24H'
  | 'LAST_30D'
  | 'LAST_90D';

export type PriceSource =
  | 'OVERRIDE'
  | 'REGISTRY'
  | 'REPORTED';

export type RecommendationKind =
  | 'BUDGET'
  | 'ENABLE_CACHING'
  | 'REDUCE_ERRORS'
  | 'REDUCE_LATENCY'
  | 'SWITCH_MODEL'
  | 'USE_BYOK';

export type Role =
  | 'ADMIN'
  | 'INGEST'
  | 'MEMBER'
  | 'VIEWER';

export type RuleState =
  | 'FIRING'
  | 'OK';

export type RunFilter = {
  /** Runs this agent took part in. */
  agentId?: string | number | null | undefined;
  status?: RunStatus | null | undefined;
  /** Runs with a call made for this end user. */
  userId?: string | null | undefined;
  workflow?: string | null | undefined;
};

export type RunOrder =
  | 'CALLS'
  | 'COST'
  | 'DURATION'
  | 'STARTED_AT';

export type RunStatus =
  | 'ERROR'
  | 'SUCCESS';

export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

export type TimeBucket =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

/** What usage can be grouped by. */
export type UsageDimension =
  /** The agent that made the call, by id (the label is its name); '' ("No agent") for calls that name none. */
  | 'AGENT'
  /** Whether the call used the workspace's own provider key ('true', "BYOK") or the platform's ('false', "Platform key"). */
  | 'IS_BYOK'
  /** The model a call used, by the id it was sent with. */
  | 'MODEL'
  /** The provider that served the call. */
  | 'PROVIDER'
  /** The kind of request: chat, embedding, tool_call, workflow or another the caller named. */
  | 'REQUEST_TYPE'
  /** How the call ended: SUCCESS or ERROR. */
  | 'STATUS'
  /** Each tag of the call: a call counts once under each of its tags ('' when it has none), so the rows overlap. */
  | 'TAG'
  /** The provider's service tier of the call; '' ("No tier") when it names none. */
  | 'TIER'
  /** The end user the call was made for; '' ("No user") when it names none. */
  | 'USER'
  /** The workflow the call ran in; '' ("No workflow") when it names none. */
  | 'WORKFLOW'
  /** The workspace of the call (admin keys only; the label is its name). */
  | 'WORKSPACE';

/** Each list takes at most 100 values; a call matches when it matches every list given. */
export type UsageFilter = {
  agentIds?: Array<string | number> | null | undefined;
  isByok?: boolean | null | undefined;
  /** Calls whose metadata has every one of these key/value pairs. */
  metadata?: Array<MetadataFilter> | null | undefined;
  modelIds?: Array<string> | null | undefined;
  providers?: Array<string> | null | undefined;
  requestTypes?: Array<string> | null | undefined;
  status?: CallStatus | null | undefined;
  /** Calls carrying every one of these tags. */
  tags?: Array<string> | null | undefined;
  tiers?: Array<string> | null | undefined;
  /** End users, any of them; "" matches calls that name none. */
  userIds?: Array<string> | null | undefined;
  /** Workflows, as calls name them; "" matches calls that name none. */
  workflows?: Array<string> | null | undefined;
};

export type WorkspaceCostOrder =
  | 'COST'
  | 'NAME'
  | 'PLAN'
  | 'REQUESTS'
  | 'TOKENS';

export type ScopedQueryVariables = Exact<{ [key: string]: never; }>;


export type ScopedQuery = { viewer: { __typename: 'Viewer', scope: string } };

export type WorkspaceCostFieldsFragment = { __typename: 'WorkspaceCostRow', workspaceId: string, name: string, plan: string, cost: number, tokens: number, requests: number, isAnomaly: boolean };

export type AdminDashboardQueryVariables = Exact<{
  period: Period;
}>;


export type AdminDashboardQuery = { adminDashboard: { __typename: 'AdminDashboard', totalCost: number, mrrProjection: number, workspaceCount: number, activeWorkspaces: number, apiRequests: number, totalTokens: number, byokSavings: number, dailyCostByProvider: Array<{ __typename: 'ProviderDailyCost', date: string, provider: string, cost: number }>, byokSplit: { __typename: 'ByokSplit', byokCost: number, platformCost: number, byokRequests: number, platformRequests: number }, planDistribution: Array<{ __typename: 'PlanCount', plan: string, count: number }>, anomalies: Array<{ __typename: 'WorkspaceCostRow', workspaceId: string, name: string, plan: string, cost: number, tokens: number, requests: number, isAnomaly: boolean }> } };

export type AdminCostAnalyticsQueryVariables = Exact<{
  period: Period;
}>;


export type AdminCostAnalyticsQuery = { adminCostAnalytics: { __typename: 'AdminCostAnalytics', totalCost: number, byModel: Array<{ __typename: 'CostBreakdown', key: string, label: string, requests: number, inputCost: number, outputCost: number, totalCost: number, share: number }>, byProvider: Array<{ __typename: 'CostBreakdown', key: string, label: string, requests: number, inputCost: number, outputCost: number, totalCost: number, share: number }> } };

export type AdminWorkspaceCostsQueryVariables = Exact<{
  period: Period;
  search?: string | null | undefined;
  orderBy?: WorkspaceCostOrder | null | undefined;
  descending?: boolean | null | undefined;
  limit: number;
  offset: number;
}>;


export type AdminWorkspaceCostsQuery = { adminWorkspaceCosts: { __typename: 'WorkspaceCostPage', total: number, rows: Array<{ __typename: 'WorkspaceCostRow', workspaceId: string, name: string, plan: string, cost: number, tokens: number, requests: number, isAnomaly: boolean }> } };

export type WorkspaceStorageQueryVariables = Exact<{
  search?: string | null | undefined;
  limit?: number | null | undefined;
}>;


export type WorkspaceStorageQuery = { workspaces: Array<{ __typename: 'Workspace', id: string, name: string, retentionDays: number | null, storage: { __typename: 'StorageStats', rawCalls: number, oldestRawCall: string | null, rollupRows: number, totalBytes: number } }> };

export type DeleteWorkspaceMutationVariables = Exact<{
  id: string | number;
  confirmName: string;
}>;


export type DeleteWorkspaceMutation = { deleteWorkspace: boolean };

export type AgentAnalyticsQueryVariables = Exact<{
  period: Period;
}>;


export type AgentAnalyticsQuery = { agentAnalytics: Array<{ __typename: 'AgentAnalytics', requests: number, totalCost: number, totalTokens: number, errorRate: number, p95LatencyMs: number, runs: number, lastCallAt: string | null, agent: { __typename: 'Agent', id: string, name: string }, dailyCost: Array<{ __typename: 'DailyCost', date: string, cost: number }>, models: Array<{ __typename: 'UsageGroup', key: string, label: string, requests: number, totalCost: number, errorRate: number, p95LatencyMs: number }>, tools: Array<{ __typename: 'AgentTool', appName: string, actionName: string, usageCount: number, enabled: boolean, lastUsedAt: string | null }>, memory: { __typename: 'AgentMemoryStats', memoryCount: number, avgImportance: number, lastCreatedAt: string | null } | null }> };

export type AgentCostByModelQueryVariables = Exact<{
  period: Period;
  agentId: string | number;
}>;


export type AgentCostByModelQuery = { usageMetrics: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', bucket: string | null, dimensions: Array<{ __typename: 'DimensionValue', dimension: UsageDimension, value: string }>, values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> } };

export type AgentHeartbeatsQueryVariables = Exact<{ [key: string]: never; }>;


export type AgentHeartbeatsQuery = { heartbeats: Array<{ __typename: 'Heartbeat', service: string, instanceId: string, status: HeartbeatStatus, lastBeatAt: string }> };

export type AgentRecentCallsQueryVariables = Exact<{
  agentId: string | number;
  limit: number;
}>;


export type AgentRecentCallsQuery = { llmCalls: Array<{ __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, inputTokens: number, outputTokens: number, totalCost: number, latencyMs: number, status: CallStatus, errorType: string | null, executionId: string | null }> };

export type DailyCostByModelQueryVariables = Exact<{
  period: Period;
  timezone?: string | null | undefined;
}>;


export type DailyCostByModelQuery = { llmDailyCostByModel: { __typename: 'DailyCostByModel', models: Array<string>, series: Array<{ __typename: 'DailyModelCosts', date: string, total: number, costs: Array<{ __typename: 'ModelCost', modelId: string, cost: number }> }> } };

export type CostProjectionQueryVariables = Exact<{
  period: Period;
  timezone?: string | null | undefined;
}>;


export type CostProjectionQuery = { llmCostProjections: { __typename: 'CostProjection', period: Period, currentPeriodCost: number, previousPeriodCost: number, changePct: number | null, dailyAverage: number, daysWithData: number, projectedMonthlyCost: number } };

export type CostBreakdownFieldsFragment = { __typename: 'CostBreakdown', key: string, label: string, requests: number, inputCost: number, outputCost: number, totalCost: number, share: number };

export type CostBreakdownQueryVariables = Exact<{
  period: Period;
  breakdown: CostBreakdownDimension;
}>;


export type CostBreakdownQuery = { llmCosts: Array<{ __typename: 'CostBreakdown', key: string, label: string, requests: number, inputCost: number, outputCost: number, totalCost: number, share: number }> };

export type ModelComparisonQueryVariables = Exact<{
  modelIds: Array<string> | string;
  period: Period;
}>;


export type ModelComparisonQuery = { llmModelComparison: Array<{ __typename: 'ModelComparisonItem', modelId: string, provider: string | null, displayName: string, contextWindow: number | null, capabilities: Array<string>, requests: number, totalTokens: number, totalCost: number, avgCostPerRequest: number, avgLatencyMs: number, p95LatencyMs: number, errorRate: number, pricing: { __typename: 'ModelPricing', inputPerMTok: number | null, outputPerMTok: number | null, cacheReadPerMTok: number | null } | null }> };

export type CostRecommendationsQueryVariables = Exact<{
  period?: Period | null | undefined;
}>;


export type CostRecommendationsQuery = { llmRecommendations: Array<{ __typename: 'Recommendation', id: string, kind: RecommendationKind, impact: Impact, title: string, description: string, estimatedMonthlySavings: number | null, modelId: string | null, agentId: string | null }> };

export type UnpricedModelsQueryVariables = Exact<{
  period: Period;
}>;


export type UnpricedModelsQuery = { unpricedModels: Array<{ __typename: 'UsageGroup', key: string, label: string, requests: number, totalTokens: number }> };

export type LatestCallOfModelQueryVariables = Exact<{
  modelId: string;
}>;


export type LatestCallOfModelQuery = { llmCalls: Array<{ __typename: 'LlmCall', id: string, provider: string }> };

export type SetModelPriceMutationVariables = Exact<{
  input: ModelPriceInput;
}>;


export type SetModelPriceMutation = { setModelPrice: { __typename: 'ModelPrice', modelId: string, provider: string, inputPerMTok: number, outputPerMTok: number, cacheReadPerMTok: number | null, cacheWritePerMTok: number | null, source: PriceSource } };

export type RepriceCallsMutationVariables = Exact<{
  period: Period;
}>;


export type RepriceCallsMutation = { repriceLlmCalls: { __typename: 'RepriceResult', updated: number, costDelta: number } };

export type BudgetFieldsFragment = { __typename: 'Budget', id: string, amount: number, window: BudgetWindow, agentId: string | null, modelId: string | null, thresholds: Array<number>, spent: number, spentFraction: number, windowStart: string };

export type BudgetsQueryVariables = Exact<{ [key: string]: never; }>;


export type BudgetsQuery = { budgets: Array<{ __typename: 'Budget', id: string, amount: number, window: BudgetWindow, agentId: string | null, modelId: string | null, thresholds: Array<number>, spent: number, spentFraction: number, windowStart: string }> };

export type BudgetTargetsQueryVariables = Exact<{ [key: string]: never; }>;


export type BudgetTargetsQuery = { agents: Array<{ __typename: 'Agent', id: string, name: string }> };

export type SetBudgetMutationVariables = Exact<{
  input: BudgetInput;
}>;


export type SetBudgetMutation = { setBudget: { __typename: 'Budget', id: string, amount: number, window: BudgetWindow, agentId: string | null, modelId: string | null, thresholds: Array<number>, spent: number, spentFraction: number, windowStart: string } };

export type DeleteBudgetMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteBudgetMutation = { deleteBudget: boolean };

export type ChartPresetsQueryVariables = Exact<{ [key: string]: never; }>;


export type ChartPresetsQuery = { chartPresets: Array<{ __typename: 'ChartPreset', id: string, title: string, description: string, query: string, chartType: ChartType }> };

export type AnalyticsChartQueryVariables = Exact<{
  query?: string | null | undefined;
  presetId?: string | number | null | undefined;
  chartType?: ChartType | null | undefined;
}>;


export type AnalyticsChartQuery = { analyticsChart: { __typename: 'ChartResult', title: string, chartType: ChartType, summary: string, explanation: string, interpretedAs: unknown, series: Array<{ __typename: 'ChartSeries', label: string, metric: Metric, points: Array<{ __typename: 'ChartPoint', x: string, y: number }> }> } };

export type RuleFiguresFragment = { __typename: 'AlertRule', id: string, name: string, metric: Metric, comparison: Comparison, threshold: number, windowMinutes: number, filter: unknown, severity: Severity, channelIds: Array<string>, enabled: boolean, state: RuleState, lastValue: number | null, lastEvaluatedAt: string | null };

export type ChannelFiguresFragment = { __typename: 'NotificationChannel', id: string, name: string, kind: ChannelKind, target: string, enabled: boolean };

export type AlertRulesAndChannelsQueryVariables = Exact<{ [key: string]: never; }>;


export type AlertRulesAndChannelsQuery = { alertRules: Array<{ __typename: 'AlertRule', id: string, name: string, metric: Metric, comparison: Comparison, threshold: number, windowMinutes: number, filter: unknown, severity: Severity, channelIds: Array<string>, enabled: boolean, state: RuleState, lastValue: number | null, lastEvaluatedAt: string | null }>, notificationChannels: Array<{ __typename: 'NotificationChannel', id: string, name: string, kind: ChannelKind, target: string, enabled: boolean }> };

export type DeliveriesQueryVariables = Exact<{
  limit: number;
}>;


export type DeliveriesQuery = { deliveries: Array<{ __typename: 'Delivery', id: string, channelId: string, alertId: string | null, event: DeliveryEvent, status: DeliveryStatus, attempts: number, lastError: string | null, createdAt: string, deliveredAt: string | null, alert: { __typename: 'Alert', id: string, message: string } | null }> };

export type PreviewValuesFragment = { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> };

export type RuleValuePreviewQueryVariables = Exact<{
  window: MetricsQueryInput;
  s0: MetricsQueryInput;
  s1: MetricsQueryInput;
  s2: MetricsQueryInput;
  s3: MetricsQueryInput;
  s4: MetricsQueryInput;
  s5: MetricsQueryInput;
  s6: MetricsQueryInput;
  s7: MetricsQueryInput;
  s8: MetricsQueryInput;
  s9: MetricsQueryInput;
  s10: MetricsQueryInput;
  s11: MetricsQueryInput;
}>;


export type RuleValuePreviewQuery = { window: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s0: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s1: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s2: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s3: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s4: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s5: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s6: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s7: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s8: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s9: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s10: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> }, s11: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> } };

export type SetAlertRuleMutationVariables = Exact<{
  input: AlertRuleInput;
}>;


export type SetAlertRuleMutation = { setAlertRule: { __typename: 'AlertRule', id: string, name: string, metric: Metric, comparison: Comparison, threshold: number, windowMinutes: number, filter: unknown, severity: Severity, channelIds: Array<string>, enabled: boolean, state: RuleState, lastValue: number | null, lastEvaluatedAt: string | null } };

export type DeleteAlertRuleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteAlertRuleMutation = { deleteAlertRule: boolean };

export type SetNotificationChannelMutationVariables = Exact<{
  input: NotificationChannelInput;
}>;


export type SetNotificationChannelMutation = { setNotificationChannel: { __typename: 'NotificationChannel', signingSecret: string | null, id: string, name: string, kind: ChannelKind, target: string, enabled: boolean } };

export type DeleteNotificationChannelMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteNotificationChannelMutation = { deleteNotificationChannel: boolean };

export type TestNotificationChannelMutationVariables = Exact<{
  id: string | number;
}>;


export type TestNotificationChannelMutation = { testNotificationChannel: { __typename: 'Delivery', id: string, status: DeliveryStatus, attempts: number, lastError: string | null } };

export type ResolveAlertMutationVariables = Exact<{
  id: string | number;
}>;


export type ResolveAlertMutation = { resolveAlert: { __typename: 'Alert', id: string, resolvedAt: string | null } };

export type HealthFiguresFragment = { __typename: 'Health', status: HealthStatus, version: string, uptimeSeconds: number, services: Array<{ __typename: 'ServiceHealth', name: string, status: HealthStatus, latencyMs: number | null, detail: string | null }> };

export type MonitoringHealthQueryVariables = Exact<{ [key: string]: never; }>;


export type MonitoringHealthQuery = { health: { __typename: 'Health', status: HealthStatus, version: string, uptimeSeconds: number, services: Array<{ __typename: 'ServiceHealth', name: string, status: HealthStatus, latencyMs: number | null, detail: string | null }> } };

export type EndpointFiguresFragment = { __typename: 'EndpointStats', key: string, callCount: number, totalTimeMs: number, avgTimeMs: number, minTimeMs: number, maxTimeMs: number, p50TimeMs: number, p95TimeMs: number, p99TimeMs: number, recentTimesMs: Array<number>, errorCount: number, limitedCount: number, lastCalled: string | null, statusCodes: Array<{ __typename: 'StatusCount', code: number, count: number }> };

export type SystemFiguresFragment = { __typename: 'SystemMetrics', at: string, cpuPercent: number, memory: { __typename: 'MemoryUsage', usedBytes: number, totalBytes: number, percent: number }, disk: { __typename: 'DiskUsage', usedBytes: number, totalBytes: number, percent: number, readBytes: number | null, writeBytes: number | null }, network: { __typename: 'NetworkIo', rxBytes: number, txBytes: number }, process: { __typename: 'ProcessMetrics', pid: number, rssBytes: number, heapUsedBytes: number, cpuPercent: number, eventLoopLagMs: number, uptimeSeconds: number } };

export type ApiAndSystemQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiAndSystemQuery = { apiMetrics: Array<{ __typename: 'EndpointStats', key: string, callCount: number, totalTimeMs: number, avgTimeMs: number, minTimeMs: number, maxTimeMs: number, p50TimeMs: number, p95TimeMs: number, p99TimeMs: number, recentTimesMs: Array<number>, errorCount: number, limitedCount: number, lastCalled: string | null, statusCodes: Array<{ __typename: 'StatusCount', code: number, count: number }> }>, systemMetrics: { __typename: 'SystemMetrics', at: string, cpuPercent: number, memory: { __typename: 'MemoryUsage', usedBytes: number, totalBytes: number, percent: number }, disk: { __typename: 'DiskUsage', usedBytes: number, totalBytes: number, percent: number, readBytes: number | null, writeBytes: number | null }, network: { __typename: 'NetworkIo', rxBytes: number, txBytes: number }, process: { __typename: 'ProcessMetrics', pid: number, rssBytes: number, heapUsedBytes: number, cpuPercent: number, eventLoopLagMs: number, uptimeSeconds: number } } };

export type ApiMetricsSnapshotsSubscriptionVariables = Exact<{
  intervalMs?: number | null | undefined;
}>;


export type ApiMetricsSnapshotsSubscription = { apiMetricsUpdated: { __typename: 'ApiMetricsSnapshot', at: string, endpoints: Array<{ __typename: 'EndpointStats', key: string, callCount: number, totalTimeMs: number, avgTimeMs: number, minTimeMs: number, maxTimeMs: number, p50TimeMs: number, p95TimeMs: number, p99TimeMs: number, recentTimesMs: Array<number>, errorCount: number, limitedCount: number, lastCalled: string | null, statusCodes: Array<{ __typename: 'StatusCount', code: number, count: number }> }>, system: { __typename: 'SystemMetrics', at: string, cpuPercent: number, memory: { __typename: 'MemoryUsage', usedBytes: number, totalBytes: number, percent: number }, disk: { __typename: 'DiskUsage', usedBytes: number, totalBytes: number, percent: number, readBytes: number | null, writeBytes: number | null }, network: { __typename: 'NetworkIo', rxBytes: number, txBytes: number }, process: { __typename: 'ProcessMetrics', pid: number, rssBytes: number, heapUsedBytes: number, cpuPercent: number, eventLoopLagMs: number, uptimeSeconds: number } } } };

export type HeartbeatFiguresFragment = { __typename: 'Heartbeat', service: string, instanceId: string, status: HeartbeatStatus, lastBeatAt: string, intervalSeconds: number };

export type HeartbeatsQueryVariables = Exact<{ [key: string]: never; }>;


export type HeartbeatsQuery = { heartbeats: Array<{ __typename: 'Heartbeat', service: string, instanceId: string, status: HeartbeatStatus, lastBeatAt: string, intervalSeconds: number }> };

export type HeartbeatChangesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type HeartbeatChangesSubscription = { heartbeatChanged: { __typename: 'Heartbeat', service: string, instanceId: string, status: HeartbeatStatus, lastBeatAt: string, intervalSeconds: number } };

export type AlertFiguresFragment = { __typename: 'Alert', id: string, kind: AlertKind, severity: Severity, message: string, workspaceId: string | null, at: string, ruleId: string | null, resolvedAt: string | null };

export type RecentAlertsQueryVariables = Exact<{
  limit: number;
}>;


export type RecentAlertsQuery = { alerts: Array<{ __typename: 'Alert', id: string, kind: AlertKind, severity: Severity, message: string, workspaceId: string | null, at: string, ruleId: string | null, resolvedAt: string | null }> };

export type AlertsRaisedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AlertsRaisedSubscription = { alertRaised: { __typename: 'Alert', id: string, kind: AlertKind, severity: Severity, message: string, workspaceId: string | null, at: string, ruleId: string | null, resolvedAt: string | null } };

export type WorkspaceMemoryQueryVariables = Exact<{
  recent?: number | null | undefined;
}>;


export type WorkspaceMemoryQuery = { memoryStats: { __typename: 'MemoryStats', source: MemorySource, totalMemories: number, avgImportance: number, totalAccessCount: number, agentsWithMemories: number, byType: Array<{ __typename: 'CountByKey', key: string, count: number }>, byLevel: Array<{ __typename: 'CountByKey', key: string, count: number }> }, recentMemories: Array<{ __typename: 'MemoryItem', id: string, agentId: string | null, memoryType: string, memoryLevel: string | null, importance: number, preview: string, createdAt: string }> };

export type OpenRouterAccountQueryVariables = Exact<{ [key: string]: never; }>;


export type OpenRouterAccountQuery = { openRouterCredits: { __typename: 'OpenRouterCredits', totalCredits: number, totalUsage: number, remaining: number, usedFraction: number }, openRouterKeyInfo: { __typename: 'OpenRouterKeyInfo', label: string | null, limit: number | null, limitRemaining: number | null, usage: number, usageDaily: number, usageWeekly: number, usageMonthly: number, isFreeTier: boolean, rateLimit: { __typename: 'OpenRouterRateLimit', requests: number, interval: string } | null } };

export type SyncOpenRouterActivityMutationVariables = Exact<{ [key: string]: never; }>;


export type SyncOpenRouterActivityMutation = { syncOpenRouterActivity: { __typename: 'OpenRouterSyncResult', fetchedRows: number, inserted: number, skippedDuplicates: number } };

export type CostByModelQueryVariables = Exact<{
  period: Period;
  filter?: UsageFilter | null | undefined;
}>;


export type CostByModelQuery = { llmUsage: Array<{ __typename: 'UsageGroup', key: string, label: string, totalCost: number, requests: number, totalTokens: number }> };

export type TokensOverTimeQueryVariables = Exact<{
  query: MetricsQueryInput;
}>;


export type TokensOverTimeQuery = { usageMetrics: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', bucket: string | null, values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> } };

export type FeedCallFragment = { __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, provider: string, inputTokens: number, outputTokens: number, totalTokens: number, totalCost: number, priced: boolean, latencyMs: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null };

export type RecentCallsQueryVariables = Exact<{
  limit: number;
  filter?: UsageFilter | null | undefined;
}>;


export type RecentCallsQuery = { llmCalls: Array<{ __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, provider: string, inputTokens: number, outputTokens: number, totalTokens: number, totalCost: number, priced: boolean, latencyMs: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null }> };

export type CallTrackedSubscriptionVariables = Exact<{
  filter?: UsageFilter | null | undefined;
}>;


export type CallTrackedSubscription = { llmCallTracked: { __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, provider: string, inputTokens: number, outputTokens: number, totalTokens: number, totalCost: number, priced: boolean, latencyMs: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null } };

export type SummaryFiguresFragment = { __typename: 'UsageSummary', period: Period, totalRequests: number, totalTokens: number, inputTokens: number, outputTokens: number, totalCost: number, avgLatencyMs: number, p95LatencyMs: number, errorRate: number, byokRequests: number, byokSavings: number, unpricedRequests: number, activeAgents: number, topModel: string | null, trends: { __typename: 'Trends', requestsChangePct: number | null, tokensChangePct: number | null, costChangePct: number | null, latencyChangePct: number | null } };

export type SummaryQueryVariables = Exact<{
  period: Period;
}>;


export type SummaryQuery = { llmSummary: { __typename: 'UsageSummary', period: Period, totalRequests: number, totalTokens: number, inputTokens: number, outputTokens: number, totalCost: number, avgLatencyMs: number, p95LatencyMs: number, errorRate: number, byokRequests: number, byokSavings: number, unpricedRequests: number, activeAgents: number, topModel: string | null, trends: { __typename: 'Trends', requestsChangePct: number | null, tokensChangePct: number | null, costChangePct: number | null, latencyChangePct: number | null } } };

export type SummaryUpdatedSubscriptionVariables = Exact<{
  period: Period;
}>;


export type SummaryUpdatedSubscription = { llmSummaryUpdated: { __typename: 'UsageSummary', period: Period, totalRequests: number, totalTokens: number, inputTokens: number, outputTokens: number, totalCost: number, avgLatencyMs: number, p95LatencyMs: number, errorRate: number, byokRequests: number, byokSavings: number, unpricedRequests: number, activeAgents: number, topModel: string | null, trends: { __typename: 'Trends', requestsChangePct: number | null, tokensChangePct: number | null, costChangePct: number | null, latencyChangePct: number | null } } };

export type RunRowFragment = { __typename: 'Run', id: string, workflow: string | null, startedAt: string, endedAt: string, durationMs: number, callCount: number, errorCount: number, totalCost: number, inputTokens: number, outputTokens: number, status: RunStatus, models: Array<string>, agents: Array<{ __typename: 'Agent', id: string, name: string }> };

export type RunsQueryVariables = Exact<{
  period: Period;
  filter?: RunFilter | null | undefined;
  orderBy?: RunOrder | null | undefined;
  descending?: boolean | null | undefined;
  limit?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type RunsQuery = { runs: { __typename: 'RunPage', nextCursor: string | null, runs: Array<{ __typename: 'Run', id: string, workflow: string | null, startedAt: string, endedAt: string, durationMs: number, callCount: number, errorCount: number, totalCost: number, inputTokens: number, outputTokens: number, status: RunStatus, models: Array<string>, agents: Array<{ __typename: 'Agent', id: string, name: string }> }> } };

export type RunDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type RunDetailQuery = { run: { __typename: 'Run', id: string, workflow: string | null, startedAt: string, endedAt: string, durationMs: number, callCount: number, errorCount: number, totalCost: number, inputTokens: number, outputTokens: number, status: RunStatus, models: Array<string>, calls: Array<{ __typename: 'LlmCall', id: string, modelId: string, provider: string, occurredAt: string, latencyMs: number, inputTokens: number, outputTokens: number, totalCost: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null }>, agents: Array<{ __typename: 'Agent', id: string, name: string }> } | null };

export type WorkflowStatsQueryVariables = Exact<{
  period: Period;
}>;


export type WorkflowStatsQuery = { workflowStats: Array<{ __typename: 'WorkflowStats', workflow: string, runs: number, successRate: number, avgDurationMs: number, p95DurationMs: number, totalCost: number, costPerRun: number }> };

export type RunUpdatedSubscriptionVariables = Exact<{
  workflow?: string | null | undefined;
}>;


export type RunUpdatedSubscription = { runUpdated: { __typename: 'Run', id: string, workflow: string | null, startedAt: string, endedAt: string, durationMs: number, callCount: number, errorCount: number, totalCost: number, inputTokens: number, outputTokens: number, status: RunStatus, models: Array<string>, agents: Array<{ __typename: 'Agent', id: string, name: string }> } };

export type RunFilterOptionsQueryVariables = Exact<{
  period: Period;
}>;


export type RunFilterOptionsQuery = { agents: Array<{ __typename: 'Agent', id: string, name: string }>, workflowStats: Array<{ __typename: 'WorkflowStats', workflow: string }> };

export type WorkflowTrendQueryVariables = Exact<{
  period: Period;
}>;


export type WorkflowTrendQuery = { usageMetrics: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', bucket: string | null, dimensions: Array<{ __typename: 'DimensionValue', dimension: UsageDimension, value: string }>, values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> } };

export type ProviderKeyFieldsFragment = { __typename: 'ProviderKey', provider: string, last4: string, isActive: boolean, createdAt: string };

export type ProviderKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ProviderKeysQuery = { providerKeys: Array<{ __typename: 'ProviderKey', provider: string, last4: string, isActive: boolean, createdAt: string }> };

export type SetProviderKeyMutationVariables = Exact<{
  provider: string;
  key: string;
}>;


export type SetProviderKeyMutation = { setProviderKey: { __typename: 'ProviderKey', provider: string, last4: string, isActive: boolean, createdAt: string } };

export type DeleteProviderKeyMutationVariables = Exact<{
  provider: string;
}>;


export type DeleteProviderKeyMutation = { deleteProviderKey: boolean };

export type ApiKeyFieldsFragment = { __typename: 'ApiKey', id: string, label: string | null, role: Role, workspaceId: string, prefix: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null };

export type ApiKeysQueryVariables = Exact<{ [key: string]: never; }>;


export type ApiKeysQuery = { apiKeys: Array<{ __typename: 'ApiKey', id: string, label: string | null, role: Role, workspaceId: string, prefix: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null }> };

export type CreateApiKeyMutationVariables = Exact<{
  workspaceId: string | number;
  role: Role;
  label?: string | null | undefined;
  expiresAt?: string | null | undefined;
}>;


export type CreateApiKeyMutation = { createApiKey: string };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: boolean };

export type RotateApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RotateApiKeyMutation = { rotateApiKey: string };

export type AuditLogQueryVariables = Exact<{
  limit?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: Array<{ __typename: 'AuditEntry', id: string, at: string, workspaceId: string | null, actorKeyId: string | null, actorLabel: string | null, actorRole: Role, action: string, target: string | null }> };

export type RetentionQueryVariables = Exact<{ [key: string]: never; }>;


export type RetentionQuery = { viewer: { __typename: 'Viewer', scope: string, workspace: { __typename: 'Workspace', id: string, name: string, retentionDays: number | null, rawCallsKeptFrom: string | null } }, storage: { __typename: 'StorageStats', rawCalls: number, oldestRawCall: string | null } };

export type RetentionPreviewQueryVariables = Exact<{
  workspaceId: string | number;
  days?: number | null | undefined;
}>;


export type RetentionPreviewQuery = { retentionPreview: { __typename: 'RetentionPreview', cut: string | null, calls: number, oldestCall: string | null } };

export type SetRetentionMutationVariables = Exact<{
  workspaceId: string | number;
  days?: number | null | undefined;
}>;


export type SetRetentionMutation = { setRetention: { __typename: 'Workspace', id: string, retentionDays: number | null, rawCallsKeptFrom: string | null } };

export type ConnectedAppsQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type ConnectedAppsQuery = { composioApps: Array<{ __typename: 'ConnectedAppStats', appName: string, status: ConnectionStatus, totalActionsUsed: number, agentCount: number, documentsSynced: number, lastUsedAt: string | null }> };

export type ActionLeaderboardQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type ActionLeaderboardQuery = { composioActions: Array<{ __typename: 'ActionLeaderboardEntry', actionName: string, appName: string, usageCount: number, agentsUsing: number, lastUsedAt: string | null }> };

export type AgentToolFieldsFragment = { __typename: 'AgentTool', appName: string, actionName: string, usageCount: number, enabled: boolean, lastUsedAt: string | null };

export type AgentToolsQueryVariables = Exact<{
  days?: number | null | undefined;
}>;


export type AgentToolsQuery = { composioAgentTools: Array<{ __typename: 'AgentToolMapping', agentId: string, agentName: string, tools: Array<{ __typename: 'AgentTool', appName: string, actionName: string, usageCount: number, enabled: boolean, lastUsedAt: string | null }> }> };

export type WorkspaceChoicesQueryVariables = Exact<{
  search?: string | null | undefined;
  limit?: number | null | undefined;
}>;


export type WorkspaceChoicesQuery = { workspaces: Array<{ __typename: 'Workspace', id: string, name: string, plan: string }> };

export type DimensionMetricsRowFragment = { __typename: 'MetricsRow', bucket: string | null, dimensions: Array<{ __typename: 'DimensionValue', dimension: UsageDimension, value: string }>, values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { __typename: 'Viewer', role: Role, scope: string, workspace: { __typename: 'Workspace', id: string, name: string, timezone: string } } };

export const WorkspaceCostFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkspaceCostFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceCostRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"isAnomaly"}}]}}]} as unknown as DocumentNode<WorkspaceCostFieldsFragment, unknown>;
export const CostBreakdownFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CostBreakdownFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CostBreakdown"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"inputCost"}},{"kind":"Field","name":{"kind":"Name","value":"outputCost"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"share"}}]}}]} as unknown as DocumentNode<CostBreakdownFieldsFragment, unknown>;
export const BudgetFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"window"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"}},{"kind":"Field","name":{"kind":"Name","value":"spent"}},{"kind":"Field","name":{"kind":"Name","value":"spentFraction"}},{"kind":"Field","name":{"kind":"Name","value":"windowStart"}}]}}]} as unknown as DocumentNode<BudgetFieldsFragment, unknown>;
export const RuleFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RuleFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AlertRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"comparison"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"windowMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"channelIds"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"lastValue"}},{"kind":"Field","name":{"kind":"Name","value":"lastEvaluatedAt"}}]}}]} as unknown as DocumentNode<RuleFiguresFragment, unknown>;
export const ChannelFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationChannel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}}]}}]} as unknown as DocumentNode<ChannelFiguresFragment, unknown>;
export const PreviewValuesFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PreviewValues"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<PreviewValuesFragment, unknown>;
export const HealthFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HealthFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Health"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"uptimeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"services"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<HealthFiguresFragment, unknown>;
export const EndpointFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EndpointFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EndpointStats"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"avgTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"minTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p50TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p99TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"recentTimesMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"limitedCount"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastCalled"}}]}}]} as unknown as DocumentNode<EndpointFiguresFragment, unknown>;
export const SystemFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SystemFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SystemMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPercent"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}},{"kind":"Field","name":{"kind":"Name","value":"readBytes"}},{"kind":"Field","name":{"kind":"Name","value":"writeBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"network"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rxBytes"}},{"kind":"Field","name":{"kind":"Name","value":"txBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pid"}},{"kind":"Field","name":{"kind":"Name","value":"rssBytes"}},{"kind":"Field","name":{"kind":"Name","value":"heapUsedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPercent"}},{"kind":"Field","name":{"kind":"Name","value":"eventLoopLagMs"}},{"kind":"Field","name":{"kind":"Name","value":"uptimeSeconds"}}]}}]}}]} as unknown as DocumentNode<SystemFiguresFragment, unknown>;
export const HeartbeatFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HeartbeatFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Heartbeat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"instanceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastBeatAt"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}}]}}]} as unknown as DocumentNode<HeartbeatFiguresFragment, unknown>;
export const AlertFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AlertFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Alert"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"ruleId"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}}]}}]} as unknown as DocumentNode<AlertFiguresFragment, unknown>;
export const FeedCallFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedCall"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LlmCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]} as unknown as DocumentNode<FeedCallFragment, unknown>;
export const SummaryFiguresFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SummaryFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageSummary"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"totalRequests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"avgLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95LatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"byokRequests"}},{"kind":"Field","name":{"kind":"Name","value":"byokSavings"}},{"kind":"Field","name":{"kind":"Name","value":"unpricedRequests"}},{"kind":"Field","name":{"kind":"Name","value":"activeAgents"}},{"kind":"Field","name":{"kind":"Name","value":"topModel"}},{"kind":"Field","name":{"kind":"Name","value":"trends"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"tokensChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"costChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"latencyChangePct"}}]}}]}}]} as unknown as DocumentNode<SummaryFiguresFragment, unknown>;
export const RunRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunRowFragment, unknown>;
export const ProviderKeyFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProviderKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ProviderKeyFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApiKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<ApiKeyFieldsFragment, unknown>;
export const AgentToolFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgentToolFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentTool"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"actionName"}},{"kind":"Field","name":{"kind":"Name","value":"usageCount"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}}]}}]} as unknown as DocumentNode<AgentToolFieldsFragment, unknown>;
export const DimensionMetricsRowFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DimensionMetricsRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"dimensions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dimension"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<DimensionMetricsRowFragment, unknown>;
export const ScopedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Scoped"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scope"}}]}}]}}]} as unknown as DocumentNode<ScopedQuery, ScopedQueryVariables>;
export const AdminDashboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminDashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adminDashboard"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"mrrProjection"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceCount"}},{"kind":"Field","name":{"kind":"Name","value":"activeWorkspaces"}},{"kind":"Field","name":{"kind":"Name","value":"apiRequests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"byokSavings"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCostByProvider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byokSplit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"byokCost"}},{"kind":"Field","name":{"kind":"Name","value":"platformCost"}},{"kind":"Field","name":{"kind":"Name","value":"byokRequests"}},{"kind":"Field","name":{"kind":"Name","value":"platformRequests"}}]}},{"kind":"Field","name":{"kind":"Name","value":"planDistribution"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"anomalies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkspaceCostFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkspaceCostFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceCostRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"isAnomaly"}}]}}]} as unknown as DocumentNode<AdminDashboardQuery, AdminDashboardQueryVariables>;
export const AdminCostAnalyticsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminCostAnalytics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adminCostAnalytics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"byModel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CostBreakdownFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byProvider"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CostBreakdownFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CostBreakdownFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CostBreakdown"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"inputCost"}},{"kind":"Field","name":{"kind":"Name","value":"outputCost"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"share"}}]}}]} as unknown as DocumentNode<AdminCostAnalyticsQuery, AdminCostAnalyticsQueryVariables>;
export const AdminWorkspaceCostsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminWorkspaceCosts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceCostOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"descending"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"offset"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adminWorkspaceCosts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"descending"},"value":{"kind":"Variable","name":{"kind":"Name","value":"descending"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}},{"kind":"Argument","name":{"kind":"Name","value":"offset"},"value":{"kind":"Variable","name":{"kind":"Name","value":"offset"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WorkspaceCostFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WorkspaceCostFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"WorkspaceCostRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"isAnomaly"}}]}}]} as unknown as DocumentNode<AdminWorkspaceCostsQuery, AdminWorkspaceCostsQueryVariables>;
export const WorkspaceStorageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceStorage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaces"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"retentionDays"}},{"kind":"Field","name":{"kind":"Name","value":"storage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rawCalls"}},{"kind":"Field","name":{"kind":"Name","value":"oldestRawCall"}},{"kind":"Field","name":{"kind":"Name","value":"rollupRows"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}}]}}]}}]}}]} as unknown as DocumentNode<WorkspaceStorageQuery, WorkspaceStorageQueryVariables>;
export const DeleteWorkspaceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteWorkspace"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"confirmName"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteWorkspace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"confirmName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"confirmName"}}}]}]}}]} as unknown as DocumentNode<DeleteWorkspaceMutation, DeleteWorkspaceMutationVariables>;
export const AgentAnalyticsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentAnalytics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentAnalytics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"p95LatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"runs"}},{"kind":"Field","name":{"kind":"Name","value":"lastCallAt"}},{"kind":"Field","name":{"kind":"Name","value":"dailyCost"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}}]}},{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"p95LatencyMs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgentToolFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memoryCount"}},{"kind":"Field","name":{"kind":"Name","value":"avgImportance"}},{"kind":"Field","name":{"kind":"Name","value":"lastCreatedAt"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgentToolFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentTool"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"actionName"}},{"kind":"Field","name":{"kind":"Name","value":"usageCount"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}}]}}]} as unknown as DocumentNode<AgentAnalyticsQuery, AgentAnalyticsQueryVariables>;
export const AgentCostByModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentCostByModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"DAY"}},{"kind":"ObjectField","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"MODEL"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"metrics"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"TOTAL_COST"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"agentIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}]}}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DimensionMetricsRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DimensionMetricsRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"dimensions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dimension"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<AgentCostByModelQuery, AgentCostByModelQueryVariables>;
export const AgentHeartbeatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentHeartbeats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"heartbeats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"instanceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastBeatAt"}}]}}]}}]} as unknown as DocumentNode<AgentHeartbeatsQuery, AgentHeartbeatsQueryVariables>;
export const AgentRecentCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentRecentCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"agentId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"agentIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"agentId"}}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}},{"kind":"Field","name":{"kind":"Name","value":"executionId"}}]}}]}}]} as unknown as DocumentNode<AgentRecentCallsQuery, AgentRecentCallsQueryVariables>;
export const DailyCostByModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DailyCostByModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmDailyCostByModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"timezone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"series"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"costs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"cost"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DailyCostByModelQuery, DailyCostByModelQueryVariables>;
export const CostProjectionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CostProjection"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCostProjections"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"timezone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"timezone"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"currentPeriodCost"}},{"kind":"Field","name":{"kind":"Name","value":"previousPeriodCost"}},{"kind":"Field","name":{"kind":"Name","value":"changePct"}},{"kind":"Field","name":{"kind":"Name","value":"dailyAverage"}},{"kind":"Field","name":{"kind":"Name","value":"daysWithData"}},{"kind":"Field","name":{"kind":"Name","value":"projectedMonthlyCost"}}]}}]}}]} as unknown as DocumentNode<CostProjectionQuery, CostProjectionQueryVariables>;
export const CostBreakdownDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CostBreakdown"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"breakdown"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CostBreakdownDimension"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCosts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"breakdown"},"value":{"kind":"Variable","name":{"kind":"Name","value":"breakdown"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CostBreakdownFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CostBreakdownFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CostBreakdown"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"inputCost"}},{"kind":"Field","name":{"kind":"Name","value":"outputCost"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"share"}}]}}]} as unknown as DocumentNode<CostBreakdownQuery, CostBreakdownQueryVariables>;
export const ModelComparisonDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelComparison"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"modelIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmModelComparison"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"modelIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"modelIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"pricing"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"inputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMTok"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contextWindow"}},{"kind":"Field","name":{"kind":"Name","value":"capabilities"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"avgCostPerRequest"}},{"kind":"Field","name":{"kind":"Name","value":"avgLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95LatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}}]}}]}}]} as unknown as DocumentNode<ModelComparisonQuery, ModelComparisonQueryVariables>;
export const CostRecommendationsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CostRecommendations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmRecommendations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"impact"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"estimatedMonthlySavings"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}}]}}]}}]} as unknown as DocumentNode<CostRecommendationsQuery, CostRecommendationsQueryVariables>;
export const UnpricedModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"UnpricedModels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unpricedModels"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<UnpricedModelsQuery, UnpricedModelsQueryVariables>;
export const LatestCallOfModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LatestCallOfModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"modelId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"modelIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"modelId"}}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}}]}}]}}]} as unknown as DocumentNode<LatestCallOfModelQuery, LatestCallOfModelQueryVariables>;
export const SetModelPriceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetModelPrice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ModelPriceInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setModelPrice"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"inputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"outputPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"cacheReadPerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"cacheWritePerMTok"}},{"kind":"Field","name":{"kind":"Name","value":"source"}}]}}]}}]} as unknown as DocumentNode<SetModelPriceMutation, SetModelPriceMutationVariables>;
export const RepriceCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RepriceCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"repriceLlmCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updated"}},{"kind":"Field","name":{"kind":"Name","value":"costDelta"}}]}}]}}]} as unknown as DocumentNode<RepriceCallsMutation, RepriceCallsMutationVariables>;
export const BudgetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Budgets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"budgets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"window"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"}},{"kind":"Field","name":{"kind":"Name","value":"spent"}},{"kind":"Field","name":{"kind":"Name","value":"spentFraction"}},{"kind":"Field","name":{"kind":"Name","value":"windowStart"}}]}}]} as unknown as DocumentNode<BudgetsQuery, BudgetsQueryVariables>;
export const BudgetTargetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"BudgetTargets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<BudgetTargetsQuery, BudgetTargetsQueryVariables>;
export const SetBudgetDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetBudget"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"BudgetInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setBudget"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"BudgetFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"BudgetFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Budget"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"window"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"thresholds"}},{"kind":"Field","name":{"kind":"Name","value":"spent"}},{"kind":"Field","name":{"kind":"Name","value":"spentFraction"}},{"kind":"Field","name":{"kind":"Name","value":"windowStart"}}]}}]} as unknown as DocumentNode<SetBudgetMutation, SetBudgetMutationVariables>;
export const DeleteBudgetDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteBudget"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteBudget"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteBudgetMutation, DeleteBudgetMutationVariables>;
export const ChartPresetsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ChartPresets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chartPresets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"query"}},{"kind":"Field","name":{"kind":"Name","value":"chartType"}}]}}]}}]} as unknown as DocumentNode<ChartPresetsQuery, ChartPresetsQueryVariables>;
export const AnalyticsChartDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AnalyticsChart"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"presetId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"chartType"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ChartType"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"analyticsChart"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"presetId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"presetId"}}},{"kind":"Argument","name":{"kind":"Name","value":"chartType"},"value":{"kind":"Variable","name":{"kind":"Name","value":"chartType"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"chartType"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"explanation"}},{"kind":"Field","name":{"kind":"Name","value":"interpretedAs"}},{"kind":"Field","name":{"kind":"Name","value":"series"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"points"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"x"}},{"kind":"Field","name":{"kind":"Name","value":"y"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AnalyticsChartQuery, AnalyticsChartQueryVariables>;
export const AlertRulesAndChannelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AlertRulesAndChannels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alertRules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RuleFigures"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notificationChannels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChannelFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RuleFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AlertRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"comparison"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"windowMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"channelIds"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"lastValue"}},{"kind":"Field","name":{"kind":"Name","value":"lastEvaluatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationChannel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}}]}}]} as unknown as DocumentNode<AlertRulesAndChannelsQuery, AlertRulesAndChannelsQueryVariables>;
export const DeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Deliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"channelId"}},{"kind":"Field","name":{"kind":"Name","value":"alertId"}},{"kind":"Field","name":{"kind":"Name","value":"event"}},{"kind":"Field","name":{"kind":"Name","value":"alert"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"deliveredAt"}}]}}]}}]} as unknown as DocumentNode<DeliveriesQuery, DeliveriesQueryVariables>;
export const RuleValuePreviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RuleValuePreview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"window"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s0"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s1"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s2"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s3"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s4"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s5"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s6"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s7"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s8"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s9"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s10"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"s11"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"window"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"window"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s0"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s0"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s1"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s1"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s2"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s2"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s3"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s3"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s4"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s4"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s5"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s5"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s6"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s6"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s7"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s7"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s8"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s8"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s9"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s9"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s10"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s10"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"s11"},"name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"s11"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PreviewValues"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PreviewValues"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]} as unknown as DocumentNode<RuleValuePreviewQuery, RuleValuePreviewQueryVariables>;
export const SetAlertRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetAlertRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AlertRuleInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setAlertRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RuleFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RuleFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AlertRule"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"comparison"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"windowMinutes"}},{"kind":"Field","name":{"kind":"Name","value":"filter"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"channelIds"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"lastValue"}},{"kind":"Field","name":{"kind":"Name","value":"lastEvaluatedAt"}}]}}]} as unknown as DocumentNode<SetAlertRuleMutation, SetAlertRuleMutationVariables>;
export const DeleteAlertRuleDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteAlertRule"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteAlertRule"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteAlertRuleMutation, DeleteAlertRuleMutationVariables>;
export const SetNotificationChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetNotificationChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationChannelInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setNotificationChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChannelFigures"}},{"kind":"Field","name":{"kind":"Name","value":"signingSecret"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChannelFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotificationChannel"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"target"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}}]}}]} as unknown as DocumentNode<SetNotificationChannelMutation, SetNotificationChannelMutationVariables>;
export const DeleteNotificationChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteNotificationChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteNotificationChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteNotificationChannelMutation, DeleteNotificationChannelMutationVariables>;
export const TestNotificationChannelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TestNotificationChannel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"testNotificationChannel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}}]}}]}}]} as unknown as DocumentNode<TestNotificationChannelMutation, TestNotificationChannelMutationVariables>;
export const ResolveAlertDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResolveAlert"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveAlert"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}}]}}]}}]} as unknown as DocumentNode<ResolveAlertMutation, ResolveAlertMutationVariables>;
export const MonitoringHealthDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MonitoringHealth"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HealthFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HealthFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Health"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"uptimeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"services"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"detail"}}]}}]}}]} as unknown as DocumentNode<MonitoringHealthQuery, MonitoringHealthQueryVariables>;
export const ApiAndSystemDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiAndSystem"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiMetrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EndpointFigures"}}]}},{"kind":"Field","name":{"kind":"Name","value":"systemMetrics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SystemFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EndpointFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EndpointStats"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"avgTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"minTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p50TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p99TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"recentTimesMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"limitedCount"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastCalled"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SystemFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SystemMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPercent"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}},{"kind":"Field","name":{"kind":"Name","value":"readBytes"}},{"kind":"Field","name":{"kind":"Name","value":"writeBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"network"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rxBytes"}},{"kind":"Field","name":{"kind":"Name","value":"txBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pid"}},{"kind":"Field","name":{"kind":"Name","value":"rssBytes"}},{"kind":"Field","name":{"kind":"Name","value":"heapUsedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPercent"}},{"kind":"Field","name":{"kind":"Name","value":"eventLoopLagMs"}},{"kind":"Field","name":{"kind":"Name","value":"uptimeSeconds"}}]}}]}}]} as unknown as DocumentNode<ApiAndSystemQuery, ApiAndSystemQueryVariables>;
export const ApiMetricsSnapshotsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ApiMetricsSnapshots"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"intervalMs"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiMetricsUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"intervalMs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"intervalMs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"endpoints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EndpointFigures"}}]}},{"kind":"Field","name":{"kind":"Name","value":"system"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SystemFigures"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EndpointFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EndpointStats"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"avgTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"minTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"maxTimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p50TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"p99TimeMs"}},{"kind":"Field","name":{"kind":"Name","value":"recentTimesMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"limitedCount"}},{"kind":"Field","name":{"kind":"Name","value":"statusCodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastCalled"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SystemFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SystemMetrics"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPercent"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"totalBytes"}},{"kind":"Field","name":{"kind":"Name","value":"percent"}},{"kind":"Field","name":{"kind":"Name","value":"readBytes"}},{"kind":"Field","name":{"kind":"Name","value":"writeBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"network"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rxBytes"}},{"kind":"Field","name":{"kind":"Name","value":"txBytes"}}]}},{"kind":"Field","name":{"kind":"Name","value":"process"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pid"}},{"kind":"Field","name":{"kind":"Name","value":"rssBytes"}},{"kind":"Field","name":{"kind":"Name","value":"heapUsedBytes"}},{"kind":"Field","name":{"kind":"Name","value":"cpuPercent"}},{"kind":"Field","name":{"kind":"Name","value":"eventLoopLagMs"}},{"kind":"Field","name":{"kind":"Name","value":"uptimeSeconds"}}]}}]}}]} as unknown as DocumentNode<ApiMetricsSnapshotsSubscription, ApiMetricsSnapshotsSubscriptionVariables>;
export const HeartbeatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Heartbeats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"heartbeats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HeartbeatFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HeartbeatFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Heartbeat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"instanceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastBeatAt"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}}]}}]} as unknown as DocumentNode<HeartbeatsQuery, HeartbeatsQueryVariables>;
export const HeartbeatChangesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"HeartbeatChanges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"heartbeatChanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"HeartbeatFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"HeartbeatFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Heartbeat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"service"}},{"kind":"Field","name":{"kind":"Name","value":"instanceId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"lastBeatAt"}},{"kind":"Field","name":{"kind":"Name","value":"intervalSeconds"}}]}}]} as unknown as DocumentNode<HeartbeatChangesSubscription, HeartbeatChangesSubscriptionVariables>;
export const RecentAlertsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentAlerts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alerts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AlertFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AlertFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Alert"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"ruleId"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}}]}}]} as unknown as DocumentNode<RecentAlertsQuery, RecentAlertsQueryVariables>;
export const AlertsRaisedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"AlertsRaised"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"alertRaised"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AlertFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AlertFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Alert"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"ruleId"}},{"kind":"Field","name":{"kind":"Name","value":"resolvedAt"}}]}}]} as unknown as DocumentNode<AlertsRaisedSubscription, AlertsRaisedSubscriptionVariables>;
export const WorkspaceMemoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceMemory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"recent"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memoryStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"totalMemories"}},{"kind":"Field","name":{"kind":"Name","value":"byType"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byLevel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"avgImportance"}},{"kind":"Field","name":{"kind":"Name","value":"totalAccessCount"}},{"kind":"Field","name":{"kind":"Name","value":"agentsWithMemories"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recentMemories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"recent"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"memoryType"}},{"kind":"Field","name":{"kind":"Name","value":"memoryLevel"}},{"kind":"Field","name":{"kind":"Name","value":"importance"}},{"kind":"Field","name":{"kind":"Name","value":"preview"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<WorkspaceMemoryQuery, WorkspaceMemoryQueryVariables>;
export const OpenRouterAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OpenRouterAccount"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openRouterCredits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCredits"}},{"kind":"Field","name":{"kind":"Name","value":"totalUsage"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"usedFraction"}}]}},{"kind":"Field","name":{"kind":"Name","value":"openRouterKeyInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"limit"}},{"kind":"Field","name":{"kind":"Name","value":"limitRemaining"}},{"kind":"Field","name":{"kind":"Name","value":"usage"}},{"kind":"Field","name":{"kind":"Name","value":"usageDaily"}},{"kind":"Field","name":{"kind":"Name","value":"usageWeekly"}},{"kind":"Field","name":{"kind":"Name","value":"usageMonthly"}},{"kind":"Field","name":{"kind":"Name","value":"isFreeTier"}},{"kind":"Field","name":{"kind":"Name","value":"rateLimit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}}]}}]}}]}}]} as unknown as DocumentNode<OpenRouterAccountQuery, OpenRouterAccountQueryVariables>;
export const SyncOpenRouterActivityDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SyncOpenRouterActivity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"syncOpenRouterActivity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fetchedRows"}},{"kind":"Field","name":{"kind":"Name","value":"inserted"}},{"kind":"Field","name":{"kind":"Name","value":"skippedDuplicates"}}]}}]}}]} as unknown as DocumentNode<SyncOpenRouterActivityMutation, SyncOpenRouterActivityMutationVariables>;
export const CostByModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CostByModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmUsage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"EnumValue","value":"MODEL"}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<CostByModelQuery, CostByModelQueryVariables>;
export const TokensOverTimeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TokensOverTime"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TokensOverTimeQuery, TokensOverTimeQueryVariables>;
export const RecentCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FeedCall"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedCall"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LlmCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]} as unknown as DocumentNode<RecentCallsQuery, RecentCallsQueryVariables>;
export const CallTrackedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CallTracked"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UsageFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCallTracked"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FeedCall"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedCall"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LlmCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]} as unknown as DocumentNode<CallTrackedSubscription, CallTrackedSubscriptionVariables>;
export const SummaryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Summary"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmSummary"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SummaryFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SummaryFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageSummary"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"totalRequests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"avgLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95LatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"byokRequests"}},{"kind":"Field","name":{"kind":"Name","value":"byokSavings"}},{"kind":"Field","name":{"kind":"Name","value":"unpricedRequests"}},{"kind":"Field","name":{"kind":"Name","value":"activeAgents"}},{"kind":"Field","name":{"kind":"Name","value":"topModel"}},{"kind":"Field","name":{"kind":"Name","value":"trends"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"tokensChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"costChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"latencyChangePct"}}]}}]}}]} as unknown as DocumentNode<SummaryQuery, SummaryQueryVariables>;
export const SummaryUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SummaryUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmSummaryUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SummaryFigures"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SummaryFigures"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UsageSummary"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"period"}},{"kind":"Field","name":{"kind":"Name","value":"totalRequests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"avgLatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95LatencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"errorRate"}},{"kind":"Field","name":{"kind":"Name","value":"byokRequests"}},{"kind":"Field","name":{"kind":"Name","value":"byokSavings"}},{"kind":"Field","name":{"kind":"Name","value":"unpricedRequests"}},{"kind":"Field","name":{"kind":"Name","value":"activeAgents"}},{"kind":"Field","name":{"kind":"Name","value":"topModel"}},{"kind":"Field","name":{"kind":"Name","value":"trends"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestsChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"tokensChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"costChangePct"}},{"kind":"Field","name":{"kind":"Name","value":"latencyChangePct"}}]}}]}}]} as unknown as DocumentNode<SummaryUpdatedSubscription, SummaryUpdatedSubscriptionVariables>;
export const RunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Runs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RunFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RunOrder"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"descending"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"descending"},"value":{"kind":"Variable","name":{"kind":"Name","value":"descending"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunRow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextCursor"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunsQuery, RunsQueryVariables>;
export const RunDetailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunRow"}},{"kind":"Field","name":{"kind":"Name","value":"calls"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunDetailQuery, RunDetailQueryVariables>;
export const WorkflowStatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkflowStats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflowStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"}},{"kind":"Field","name":{"kind":"Name","value":"runs"}},{"kind":"Field","name":{"kind":"Name","value":"successRate"}},{"kind":"Field","name":{"kind":"Name","value":"avgDurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"p95DurationMs"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"costPerRun"}}]}}]}}]} as unknown as DocumentNode<WorkflowStatsQuery, WorkflowStatsQueryVariables>;
export const RunUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RunUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workflow"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workflow"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workflow"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunRow"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"workflow"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"endedAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}},{"kind":"Field","name":{"kind":"Name","value":"callCount"}},{"kind":"Field","name":{"kind":"Name","value":"errorCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"models"}},{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunUpdatedSubscription, RunUpdatedSubscriptionVariables>;
export const RunFilterOptionsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunFilterOptions"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agents"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workflowStats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workflow"}}]}}]}}]} as unknown as DocumentNode<RunFilterOptionsQuery, RunFilterOptionsQueryVariables>;
export const WorkflowTrendDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkflowTrend"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"bucket"},"value":{"kind":"EnumValue","value":"DAY"}},{"kind":"ObjectField","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"WORKFLOW"}]}},{"kind":"ObjectField","name":{"kind":"Name","value":"metrics"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"TOTAL_COST"}]}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DimensionMetricsRow"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DimensionMetricsRow"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsRow"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"dimensions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dimension"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<WorkflowTrendQuery, WorkflowTrendQueryVariables>;
export const ProviderKeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProviderKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providerKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProviderKeyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProviderKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ProviderKeysQuery, ProviderKeysQueryVariables>;
export const SetProviderKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetProviderKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setProviderKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}},{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ProviderKeyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ProviderKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ProviderKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<SetProviderKeyMutation, SetProviderKeyMutationVariables>;
export const DeleteProviderKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteProviderKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteProviderKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}}]}]}}]} as unknown as DocumentNode<DeleteProviderKeyMutation, DeleteProviderKeyMutationVariables>;
export const ApiKeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ApiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ApiKeyFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApiKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<ApiKeysQuery, ApiKeysQueryVariables>;
export const CreateApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"role"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Role"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"label"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"expiresAt"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"role"},"value":{"kind":"Variable","name":{"kind":"Name","value":"role"}}},{"kind":"Argument","name":{"kind":"Name","value":"label"},"value":{"kind":"Variable","name":{"kind":"Name","value":"label"}}},{"kind":"Argument","name":{"kind":"Name","value":"expiresAt"},"value":{"kind":"Variable","name":{"kind":"Name","value":"expiresAt"}}}]}]}}]} as unknown as DocumentNode<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const RotateApiKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RotateApiKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rotateApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<RotateApiKeyMutation, RotateApiKeyMutationVariables>;
export const AuditLogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AuditLog"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditLog"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"actorKeyId"}},{"kind":"Field","name":{"kind":"Name","value":"actorLabel"}},{"kind":"Field","name":{"kind":"Name","value":"actorRole"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"target"}}]}}]}}]} as unknown as DocumentNode<AuditLogQuery, AuditLogQueryVariables>;
export const RetentionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Retention"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"retentionDays"}},{"kind":"Field","name":{"kind":"Name","value":"rawCallsKeptFrom"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"storage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rawCalls"}},{"kind":"Field","name":{"kind":"Name","value":"oldestRawCall"}}]}}]}}]} as unknown as DocumentNode<RetentionQuery, RetentionQueryVariables>;
export const RetentionPreviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RetentionPreview"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"days"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retentionPreview"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cut"}},{"kind":"Field","name":{"kind":"Name","value":"calls"}},{"kind":"Field","name":{"kind":"Name","value":"oldestCall"}}]}}]}}]} as unknown as DocumentNode<RetentionPreviewQuery, RetentionPreviewQueryVariables>;
export const SetRetentionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetRetention"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"days"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setRetention"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"workspaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"retentionDays"}},{"kind":"Field","name":{"kind":"Name","value":"rawCallsKeptFrom"}}]}}]}}]} as unknown as DocumentNode<SetRetentionMutation, SetRetentionMutationVariables>;
export const ConnectedAppsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConnectedApps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"days"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"composioApps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"totalActionsUsed"}},{"kind":"Field","name":{"kind":"Name","value":"agentCount"}},{"kind":"Field","name":{"kind":"Name","value":"documentsSynced"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}}]}}]}}]} as unknown as DocumentNode<ConnectedAppsQuery, ConnectedAppsQueryVariables>;
export const ActionLeaderboardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ActionLeaderboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"days"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"composioActions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"actionName"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"usageCount"}},{"kind":"Field","name":{"kind":"Name","value":"agentsUsing"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}}]}}]}}]} as unknown as DocumentNode<ActionLeaderboardQuery, ActionLeaderboardQueryVariables>;
export const AgentToolsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AgentTools"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"days"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"composioAgentTools"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"agentId"}},{"kind":"Field","name":{"kind":"Name","value":"agentName"}},{"kind":"Field","name":{"kind":"Name","value":"tools"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"AgentToolFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"AgentToolFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AgentTool"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"actionName"}},{"kind":"Field","name":{"kind":"Name","value":"usageCount"}},{"kind":"Field","name":{"kind":"Name","value":"enabled"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}}]}}]} as unknown as DocumentNode<AgentToolsQuery, AgentToolsQueryVariables>;
export const WorkspaceChoicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceChoices"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspaces"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"plan"}}]}}]}}]} as unknown as DocumentNode<WorkspaceChoicesQuery, WorkspaceChoicesQueryVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;