import type { DataSource } from 'typeorm';
import type { Db } from '../db/db';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import type { Authentication, KeyResolver, Viewer } from '../auth/auth.service';
import type { Scope } from '../metrics/metrics.model';
import type { Monitoring } from '../monitoring/monitoring';
import { createLoaders, type Loaders } from './loaders';
import type { SummaryFeed } from '../usage/summary-feed';

/** What lives as long as the gateway: shared by every request. */
export interface Services {
  dataSource: DataSource;
  pubsub: AppPubSub;
  config: Config;
  logger: Logger;
  keys: KeyResolver;
  /** The clock, so tests can pin time. */
  now: () => Date;
  startedAt: Date;
  version: string;
  /** Live llmSummaryUpdated pushes, computed once per scope. */
  summaryFeed: SummaryFeed;
  /** API tracker, system metrics, heartbeats, alerts, health and Prometheus. */
  monitoring: Monitoring;
}

/** One request's (or one subscription's) context. */
export interface Context {
  services: Services;
  /** Where this request's reads go: resolvers pass it to services (it will carry the scope to PostgreSQL). */
  db: Db;
  auth: Authentication;
  loaders: Loaders;
}

export function createContext(services: Services, auth: Authentication): Context {
  const scope: Scope = auth.ok ? auth.scope : { kind: 'workspace', workspaceId: '00000000-0000-0000-0000-000000000000' };
  return { services, db: services.dataSource, auth, loaders: createLoaders(services.dataSource, scope) };
}

/** The viewer and scope of an authenticated request; the auth checker has run before any resolver asks. */
export function who(ctx: Context): { viewer: Viewer; scope: Scope } {
  if (!ctx.auth.ok) throw ctx.auth.error;
  return { viewer: ctx.auth.viewer, scope: ctx.auth.scope };
}

/** The workspace a write goes to: the scoped workspace, or the caller's own in scope __all__. */
export function writeWorkspace(ctx: Context): string {
  const { viewer, scope } = who(ctx);
  return scope.kind === 'workspace' ? scope.workspaceId : viewer.workspaceId;
}
