import 'reflect-metadata';
import { printSchema, lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema, type AuthChecker, type NonEmptyArray } from 'type-graphql';
import { AgentsResolver } from '../agents/agents.resolver';
import { ChartsResolver } from '../charts/charts.resolver';
import { ComposioResolver } from '../composio/composio.resolver';
import { ProviderKeysResolver } from '../keys/provider-keys.resolver';
import { OpenRouterResolver } from '../openrouter/openrouter.resolver';
import { MemoryResolver } from '../memory/memory.resolver';
import { IngestResolver } from '../ingest/ingest.resolver';
import { AlertsResolver } from '../monitoring/alerts.resolver';
import { HealthResolver } from '../monitoring/health.resolver';
import { HeartbeatsResolver } from '../monitoring/heartbeats.resolver';
import { MonitoringResolver } from '../monitoring/monitoring.resolver';
import type { AppPubSub } from '../pubsub/pubsub';
import { UsageResolver } from '../usage/usage.resolver';
import { CostsResolver } from '../usage/costs.resolver';
import { PricingResolver } from '../pricing/pricing.resolver';
import { AdminResolver } from '../admin/admin.resolver';
import { BudgetsResolver } from '../budgets/budgets.resolver';
import { AlertRulesResolver } from '../alert-rules';
import { WorkspacesResolver } from '../workspaces/workspaces.resolver';
import { ApiKeysResolver } from '../auth/api-keys.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { AgentAnalyticsResolver, RunsResolver } from '../runs/runs.resolver';
import { LifecycleResolver } from '../lifecycle/lifecycle.resolver';
import { SessionsResolver } from '../sessions/sessions.resolver';
import type { Context } from './context';
import { enforceAccess } from '../auth/enforce-access';
import { refuseUnstorableArguments } from './stored-text';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [
  WorkspacesResolver,
  AgentsResolver,
  IngestResolver,
  UsageResolver,
  CostsResolver,
  PricingResolver,
  AdminResolver,
  BudgetsResolver,
  HealthResolver,
  MonitoringResolver,
  HeartbeatsResolver,
  AlertsResolver,
  AlertRulesResolver,
  ComposioResolver,
  ProviderKeysResolver,
  OpenRouterResolver,
  ChartsResolver,
  MemoryResolver,
  ApiKeysResolver,
  AuditResolver,
  RunsResolver,
  AgentAnalyticsResolver,
  LifecycleResolver,
  SessionsResolver,
];

/** @Authorized() needs a valid key and scope; which roles may call a root field is ACCESS's to say (auth/access.ts). */
const authChecker: AuthChecker<Context> = ({ context }) => {
  if (!context.auth.ok) throw context.auth.error;
  return true;
};

/** The schema the gateway serves: every root field behind its rule in ACCESS, mutations audited. */
export async function buildAppSchema(pubSub: AppPubSub): Promise<GraphQLSchema> {
  return enforceAccess(await buildResolverSchema(pubSub));
}

/** The schema as the resolvers declare it, before ACCESS is put in front of it (for the access tests). */
export async function buildResolverSchema(pubSub: AppPubSub): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    authChecker,
    authMode: 'error',
    pubSub,
    validate: false,
  });
  return refuseUnstorableArguments(schema);
}

/** The SDL committed as schema.graphql: sorted, so it only changes when the API does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
