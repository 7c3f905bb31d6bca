/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type CallStatus =
  | 'ERROR'
  | 'SUCCESS';

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

export type Period =
  | 'LAST_1H'
  | 'LAST_7D'
  | 'LAST_24H'
  | 'LAST_30D'
  | 'LAST_90D';

export type Role =
  | 'ADMIN'
  | 'MEMBER';

export type TimeBucket =
  | 'DAY'
  | 'HOUR'
  | 'MONTH'
  | 'WEEK';

export type UsageDimension =
  | 'AGENT'
  | 'IS_BYOK'
  | 'MODEL'
  | 'PROVIDER'
  | 'REQUEST_TYPE'
  | 'STATUS'
  | 'TIER'
  | 'WORKSPACE';

export type UsageFilter = {
  agentIds?: Array<string | number> | null | undefined;
  isByok?: boolean | null | undefined;
  modelIds?: Array<string> | null | undefined;
  providers?: Array<string> | null | undefined;
  requestTypes?: Array<string> | null | undefined;
  status?: CallStatus | null | undefined;
  tiers?: Array<string> | null | undefined;
};

export type CostByModelQueryVariables = Exact<{
  period: Period;
}>;


export type CostByModelQuery = { llmUsage: Array<{ __typename: 'UsageGroup', key: string, label: string, totalCost: number, requests: number, totalTokens: number }> };

export type TokensOverTimeQueryVariables = Exact<{
  query: MetricsQueryInput;
}>;


export type TokensOverTimeQuery = { usageMetrics: { __typename: 'MetricsResult', rows: Array<{ __typename: 'MetricsRow', bucket: string | null, values: Array<{ __typename: 'MetricValue', metric: Metric, value: number }> }> } };

export type FeedCallFragment = { __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, provider: string, inputTokens: number, outputTokens: number, totalTokens: number, totalCost: number, priced: boolean, latencyMs: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null };

export type RecentCallsQueryVariables = Exact<{
  limit: number;
}>;


export type RecentCallsQuery = { llmCalls: Array<{ __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, provider: string, inputTokens: number, outputTokens: number, totalTokens: number, totalCost: number, priced: boolean, latencyMs: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null }> };

export type CallTrackedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type CallTrackedSubscription = { llmCallTracked: { __typename: 'LlmCall', id: string, occurredAt: string, modelId: string, provider: string, inputTokens: number, outputTokens: number, totalTokens: number, totalCost: number, priced: boolean, latencyMs: number, status: CallStatus, errorType: string | null, agent: { __typename: 'Agent', id: string, name: string } | null } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { __typename: 'Viewer', role: Role, scope: string, workspace: { __typename: 'Workspace', id: string, name: string, timezone: string } } };

export const FeedCallFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedCall"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LlmCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]} as unknown as DocumentNode<FeedCallFragment, unknown>;
export const CostByModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CostByModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"period"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Period"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmUsage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"period"},"value":{"kind":"Variable","name":{"kind":"Name","value":"period"}}},{"kind":"Argument","name":{"kind":"Name","value":"groupBy"},"value":{"kind":"EnumValue","value":"MODEL"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"label"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"requests"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}}]}}]}}]} as unknown as DocumentNode<CostByModelQuery, CostByModelQueryVariables>;
export const TokensOverTimeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TokensOverTime"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetricsQueryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"usageMetrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bucket"}},{"kind":"Field","name":{"kind":"Name","value":"values"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metric"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]}}]}}]} as unknown as DocumentNode<TokensOverTimeQuery, TokensOverTimeQueryVariables>;
export const RecentCallsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecentCalls"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCalls"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FeedCall"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedCall"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LlmCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]} as unknown as DocumentNode<RecentCallsQuery, RecentCallsQueryVariables>;
export const CallTrackedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CallTracked"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"llmCallTracked"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"FeedCall"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"FeedCall"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"LlmCall"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"occurredAt"}},{"kind":"Field","name":{"kind":"Name","value":"modelId"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"agent"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalTokens"}},{"kind":"Field","name":{"kind":"Name","value":"totalCost"}},{"kind":"Field","name":{"kind":"Name","value":"priced"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"errorType"}}]}}]} as unknown as DocumentNode<CallTrackedSubscription, CallTrackedSubscriptionVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"workspace"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"timezone"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;