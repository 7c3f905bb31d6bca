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
import type { Context } from './context';
import { authorise } from '../auth/auth.service';
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
];

/** @Authorized() needs a valid key and scope; @Authorized('ADMIN') also an admin key. */
const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  authorise(context.auth, roles);
  return true;
};

export async function buildAppSchema(pubSub: AppPubSub): Promise<GraphQLSchema> {
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
