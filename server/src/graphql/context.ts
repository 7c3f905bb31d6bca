import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { AppPubSub } from '../pubsub/pubsub';
import type { Authentication, KeyResolver, Viewer } from '../auth/auth.service';
import type { Scope } from '../metrics/metrics.model';
import type { Monitoring } from '../monitoring/monitoring';
import { createLoaders, type Loaders } from './loaders';
import { scopedDb, type ScopedDb } from '../db/scoped-db';
import type { PlatformDb } from '../db/platform-db';
import type { SummaryFeed } from '../usage/summary-feed';
import type { DeliveryWorker } from '../alert-rules/delivery-worker';
import type { PooledUsageWatcher, UsageWatcher } from '../pubsub/usage-watcher';
import type { SharingKey, SubscriptionFanOut } from './shared-subscribe';
import type { Caller, RateLimits } from '../rate-limits';
import type { RetentionWorker } from '../lifecycle/retention-worker';

/** What lives as long as the gateway: shared by every request. */
export interface Services {
  /** The pool: reached in a scope (`scopedDb`, or `writeTransaction` with the scope's statements) or through `platform`, never bare. */
  dataSource: DataSource;
  /** The platform path (every workspace): key lookup, bootstrap, checkers, admin views. */
  platform: PlatformDb;
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
  /** Raises BUDGET_THRESHOLD alerts as spend lands. */
  budgetWatcher: UsageWatcher;
  /** Evaluates the alert rules of the workspaces whose calls land, together, at most once a second. */
  ruleWatcher: PooledUsageWatcher;
  /** Sends the outbox of alert deliveries. */
  deliveryWorker: DeliveryWorker;
  /** API tracker, system metrics, heartbeats, alerts, health and Prometheus. */
  monitoring: Monitoring;
  /** graphql-ws subscriptions, grouped so that one event is executed once per group. */
  subscriptions: SubscriptionFanOut;
  /** Abuse limits: requests and sockets per key, subscriptions per socket, calls per workspace. */
  limits: RateLimits;
  /** Deletes raw calls past each workspace's retention: hourly, and at once when one is set. */
  retention: RetentionWorker;
}

/** One request's (or one subscription's) context. */
export interface Context {
  services: Services;
  /** Where this request's reads go: resolvers pass it to services (it will carry the scope to PostgreSQL). */
  db: ScopedDb;
  auth: Authentication;
  loaders: Loaders;
  /** Inside an audited mutation: what its resolver adds to the audit entry, and what runs once it has committed. */
  audit?: AuditNote;
}

/** What a resolver of an audited mutation may tell the audit log (see audit/audited.ts). */
export interface AuditNote {
  /** What it acted on, when its arguments do not say (a key id, a budget id). */
  target?: string | null;
  /** The workspace the entry belongs to, when not the request's: null for a platform action. */
  workspaceId?: string | null;
  /** Run once the transaction has committed (events that others act on). */
  afterCommit: (() => void)[];
}

/** Tells the audit entry of the running mutation what it acted on, or where it belongs. */
export function noteAudit(ctx: Context, note: Omit<Partial<AuditNote>, 'afterCommit'>): void {
  if (ctx.audit) Object.assign(ctx.audit, note);
}

/** The gateway's PubSub, its events held back until the running mutation has committed. */
export function pubsubAfterCommit(ctx: Context): AppPubSub {
  const { pubsub } = ctx.services;
  return { ...pubsub, publish: (topic, ...payload) => afterCommit(ctx, () => pubsub.publish(topic, ...payload)) };
}

/** Runs `effect` once the running mutation has committed; at once outside one. */
export function afterCommit(ctx: Context, effect: () => void): void {
  if (ctx.audit) ctx.audit.afterCommit.push(effect);
  else effect();
}

const NOBODY: Scope = { kind: 'workspace', workspaceId: '00000000-0000-0000-0000-000000000000' };

export function createContext(services: Services, auth: Authentication): Context {
  const scope = auth.ok ? auth.scope : NOBODY;
  const db = scopedDb(services.dataSource, { scope, isAdmin: auth.ok && auth.viewer.role === 'ADMIN' });
  return { services, db, auth, loaders: createLoaders(db, scope) };
}

/** For admin-only platform views and operations: every workspace, whatever scope the request carries. */
export function adminPlatformDb(ctx: Context): PlatformDb {
  const { viewer } = who(ctx);
  if (viewer.role !== 'ADMIN') throw new Error('the platform path is for admins only');
  return ctx.services.platform;
}

/** The viewer and scope of an authenticated request; the auth checker has run before any resolver asks. */
export function who(ctx: Context): { viewer: Viewer; scope: Scope } {
  if (!ctx.auth.ok) throw ctx.auth.error;
  return { viewer: ctx.auth.viewer, scope: ctx.auth.scope };
}

/** Whom a request counts against in the limits: the key, in its role's tier. */
export function callerOf(viewer: Viewer): Caller {
  return { id: viewer.keyId, admin: viewer.role === 'ADMIN' };
}

/** The workspace a write goes to: the scoped workspace, or the caller's own in scope __all__. */
export function writeWorkspace(ctx: Context): string {
  const { viewer, scope } = who(ctx);
  return scope.kind === 'workspace' ? scope.workspaceId : viewer.workspaceId;
}

/** Subscriptions share results when their viewers have the same workspace, role and scope. */
export const viewerSharingKey: SharingKey = ({ contextValue }) => {
  const { auth } = contextValue as Context;
  if (!auth.ok) return undefined;
  return `${auth.viewer.workspaceId}|${auth.viewer.role}|${auth.scope.kind === 'all' ? '__all__' : auth.scope.workspaceId}`;
};
