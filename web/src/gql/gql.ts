/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query CostByModel($period: Period!) {\n  llmUsage(period: $period, groupBy: MODEL) {\n    key\n    label\n    totalCost\n    requests\n    totalTokens\n  }\n}\n\nquery TokensOverTime($query: MetricsQueryInput!) {\n  usageMetrics(query: $query) {\n    rows {\n      bucket\n      values {\n        metric\n        value\n      }\n    }\n  }\n}\n\nfragment FeedCall on LlmCall {\n  id\n  occurredAt\n  modelId\n  provider\n  agent {\n    id\n    name\n  }\n  inputTokens\n  outputTokens\n  totalTokens\n  totalCost\n  priced\n  latencyMs\n  status\n  errorType\n}\n\nquery RecentCalls($limit: Int!) {\n  llmCalls(limit: $limit) {\n    ...FeedCall\n  }\n}\n\nsubscription CallTracked {\n  llmCallTracked {\n    ...FeedCall\n  }\n}": typeof types.CostByModelDocument,
    "query Viewer {\n  viewer {\n    role\n    scope\n    workspace {\n      id\n      name\n      timezone\n    }\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "query CostByModel($period: Period!) {\n  llmUsage(period: $period, groupBy: MODEL) {\n    key\n    label\n    totalCost\n    requests\n    totalTokens\n  }\n}\n\nquery TokensOverTime($query: MetricsQueryInput!) {\n  usageMetrics(query: $query) {\n    rows {\n      bucket\n      values {\n        metric\n        value\n      }\n    }\n  }\n}\n\nfragment FeedCall on LlmCall {\n  id\n  occurredAt\n  modelId\n  provider\n  agent {\n    id\n    name\n  }\n  inputTokens\n  outputTokens\n  totalTokens\n  totalCost\n  priced\n  latencyMs\n  status\n  errorType\n}\n\nquery RecentCalls($limit: Int!) {\n  llmCalls(limit: $limit) {\n    ...FeedCall\n  }\n}\n\nsubscription CallTracked {\n  llmCallTracked {\n    ...FeedCall\n  }\n}": types.CostByModelDocument,
    "query Viewer {\n  viewer {\n    role\n    scope\n    workspace {\n      id\n      name\n      timezone\n    }\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CostByModel($period: Period!) {\n  llmUsage(period: $period, groupBy: MODEL) {\n    key\n    label\n    totalCost\n    requests\n    totalTokens\n  }\n}\n\nquery TokensOverTime($query: MetricsQueryInput!) {\n  usageMetrics(query: $query) {\n    rows {\n      bucket\n      values {\n        metric\n        value\n      }\n    }\n  }\n}\n\nfragment FeedCall on LlmCall {\n  id\n  occurredAt\n  modelId\n  provider\n  agent {\n    id\n    name\n  }\n  inputTokens\n  outputTokens\n  totalTokens\n  totalCost\n  priced\n  latencyMs\n  status\n  errorType\n}\n\nquery RecentCalls($limit: Int!) {\n  llmCalls(limit: $limit) {\n    ...FeedCall\n  }\n}\n\nsubscription CallTracked {\n  llmCallTracked {\n    ...FeedCall\n  }\n}"): (typeof documents)["query CostByModel($period: Period!) {\n  llmUsage(period: $period, groupBy: MODEL) {\n    key\n    label\n    totalCost\n    requests\n    totalTokens\n  }\n}\n\nquery TokensOverTime($query: MetricsQueryInput!) {\n  usageMetrics(query: $query) {\n    rows {\n      bucket\n      values {\n        metric\n        value\n      }\n    }\n  }\n}\n\nfragment FeedCall on LlmCall {\n  id\n  occurredAt\n  modelId\n  provider\n  agent {\n    id\n    name\n  }\n  inputTokens\n  outputTokens\n  totalTokens\n  totalCost\n  priced\n  latencyMs\n  status\n  errorType\n}\n\nquery RecentCalls($limit: Int!) {\n  llmCalls(limit: $limit) {\n    ...FeedCall\n  }\n}\n\nsubscription CallTracked {\n  llmCallTracked {\n    ...FeedCall\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    role\n    scope\n    workspace {\n      id\n      name\n      timezone\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    role\n    scope\n    workspace {\n      id\n      name\n      timezone\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;