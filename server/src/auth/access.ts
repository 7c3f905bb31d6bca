import type { Role } from './roles';

/**
 * Who may call what: every root field of the schema (queries, mutations, subscriptions) and
 * every HTTP route, each with the roles allowed. Nothing else decides: `enforceAccess`
 * (./enforce-access.ts) wraps each root field of the built schema with its entry, so the rule
 * holds over HTTP and WebSocket alike, and the gateway refuses to start while a root field has
 * no entry. Anything a role is not listed for is FORBIDDEN.
 *
 * To add a root field: add one line below, under its operation type, naming one of the sets
 * (or a list of roles). A mutation that sends data in (like trackLlmCall) is `SENDS_DATA` with
 * `audited: false`; every other mutation is audited (written to the audit log in the same
 * transaction as its change, see audit/audited.ts), and may say how to name its target.
 * To add an HTTP route: add its `METHOD /path` to ROUTES and check the role where it is served
 * (`routeAllows`). server/test/access.test.ts fails for a field or route without an entry, and
 * checks every field against every role.
 */

/** Everyone with a valid key: `viewer` answers an INGEST key too, so an agent can check its key. */
export const ANY_KEY: readonly Role[] = ['ADMIN', 'MEMBER', 'VIEWER', 'INGEST'];
/** What sends data in: ingest keys, and the keys that may do everything in their workspace. */
export const SENDS_DATA: readonly Role[] = ['ADMIN', 'MEMBER', 'INGEST'];
/** Reading a workspace: every query and subscription of it. */
export const READS: readonly Role[] = ['ADMIN', 'MEMBER', 'VIEWER'];
/** Changing a workspace: its settings, keys, prices, budgets, provider keys. */
export const CHANGES: readonly Role[] = ['ADMIN', 'MEMBER'];
/** The platform's own views and operations. */
export const ADMIN_ONLY: readonly Role[] = ['ADMIN'];
/**
 * Platform workers (heartbeats are the platform's, not a workspace's): an INGEST key, which can
 * do nothing else, or an admin key. A MEMBER key acts inside its workspace and is refused here.
 */
export const WORKERS: readonly Role[] = ['ADMIN', 'INGEST'];
/** No key needed: answers that tell nothing about any workspace. */
export const OPEN = 'OPEN' as const;

export type Allowed = readonly Role[] | typeof OPEN;

export interface FieldRule {
  roles: Allowed;
}

export interface MutationRule extends FieldRule {
  /** False for data ingestion alone; every other mutation writes an audit entry. */
  audited: boolean;
  /** What the entry says it acted on, from the arguments (a resolver may name it instead: `noteAudit`). */
  target?: (args: Record<string, unknown>) => string | null | undefined;
  /** The entry belongs to no workspace: an admin-only platform action, shown to admins in scope __all__. */
  platform?: boolean;
}

const ingest: MutationRule = { roles: SENDS_DATA, audited: false };
const change = (target?: MutationRule['target']): MutationRule => ({ roles: CHANGES, audited: true, target });
const str = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));
const inputField = (name: string) => (args: Record<string, unknown>) => str((args.input as Record<string, unknown> | undefined)?.[name]);

export const ACCESS: {
  Query: Record<string, FieldRule>;
  Mutation: Record<string, MutationRule>;
  Subscription: Record<string, FieldRule>;
} = {
  Query: {
    health: { roles: OPEN },
    viewer: { roles: ANY_KEY },

    llmUsage: { roles: READS },
    llmCosts: { roles: READS },
    llmSummary: { roles: READS },
    llmRecommendations: { roles: READS },
    llmModelComparison: { roles: READS },
    llmCostProjections: { roles: READS },
    llmDailyCostByModel: { roles: READS },
    usageMetrics: { roles: READS },
    llmCalls: { roles: READS },
    agents: { roles: READS },
    modelPrice: { roles: READS },
    unpricedModels: { roles: READS },
    budgets: { roles: READS },
    composioApps: { roles: READS },
    composioActions: { roles: READS },
    composioAgentTools: { roles: READS },
    memoryStats: { roles: READS },
    agentMemoryStats: { roles: READS },
    recentMemories: { roles: READS },
    openRouterCredits: { roles: READS },
    openRouterKeyInfo: { roles: READS },
    providerKeys: { roles: READS },
    chartPresets: { roles: READS },
    analyticsChart: { roles: READS },
    heartbeats: { roles: READS },
    alerts: { roles: READS },
    apiKeys: { roles: READS },
    auditLog: { roles: READS },
    alertRules: { roles: READS },
    notificationChannels: { roles: READS },
    deliveries: { roles: READS },
    runs: { roles: READS },
    run: { roles: READS },
    workflowStats: { roles: READS },
    agentAnalytics: { roles: READS },
    userSessions: { roles: READS },
    storage: { roles: READS },
    retentionPreview: { roles: READS },

    adminDashboard: { roles: ADMIN_ONLY },
    adminCostAnalytics: { roles: ADMIN_ONLY },
    adminWorkspaceCosts: { roles: ADMIN_ONLY },
    workspaces: { roles: ADMIN_ONLY },
    apiMetrics: { roles: ADMIN_ONLY },
    systemMetrics: { roles: ADMIN_ONLY },
  },
  Mutation: {
    trackLlmCall: ingest,
    trackLlmCalls: ingest,
    upsertAgent: ingest,
    recordComposioConnection: ingest,
    recordComposioAction: ingest,
    recordMemory: ingest,
    heartbeat: { roles: WORKERS, audited: false },
    stopHeartbeat: { roles: WORKERS, audited: false },

    setModelPrice: change(inputField('modelId')),
    repriceLlmCalls: change((args) => (Array.isArray(args.modelIds) ? args.modelIds.join(', ') : null)),
    setBudget: change(),
    deleteBudget: change((args) => str(args.id)),
    setProviderKey: change((args) => str(args.provider)),
    deleteProviderKey: change((args) => str(args.provider)),
    syncOpenRouterActivity: change(),
    createApiKey: change(),
    revokeApiKey: change((args) => str(args.id)),
    rotateApiKey: change((args) => str(args.id)),
    setAlertRule: change(inputField('name')),
    deleteAlertRule: change((args) => str(args.id)),
    setNotificationChannel: change(inputField('name')),
    deleteNotificationChannel: change((args) => str(args.id)),
    testNotificationChannel: change((args) => str(args.id)),
    resolveAlert: change((args) => str(args.id)),

    setRetention: change((args) => str(args.workspaceId)),

    createWorkspace: { roles: ADMIN_ONLY, audited: true, platform: true, target: (args) => str(args.name) },
    deleteWorkspace: { roles: ADMIN_ONLY, audited: true, platform: true, target: (args) => str(args.id) },
  },
  Subscription: {
    llmCallTracked: { roles: READS },
    llmSummaryUpdated: { roles: READS },
    heartbeatChanged: { roles: READS },
    alertRaised: { roles: READS },
    runUpdated: { roles: READS },
    apiMetricsUpdated: { roles: ADMIN_ONLY },
  },
};

/**
 * The HTTP routes besides /graphql (whose root fields are above), as `METHOD /path`. The
 * dashboard's own pages and files are open, like /health; /metrics also takes METRICS_TOKEN.
 */
export const ROUTES: Record<string, Allowed> = {
  'GET /health': OPEN,
  'GET /api/export/llm-calls.csv': READS,
  'GET /metrics': ADMIN_ONLY,
  'POST /v1/traces': SENDS_DATA,
};

export type RootTypeName = keyof typeof ACCESS;

/** True when `role` may use something whose rule is `allowed`. */
export function allows(allowed: Allowed, role: Role | undefined): boolean {
  if (allowed === OPEN) return true;
  return role !== undefined && allowed.includes(role);
}

/** Whether `role` may call the route `METHOD /path`; a route not in ROUTES is allowed to no one. */
export function routeAllows(route: string, role: Role): boolean {
  const allowed = ROUTES[route];
  return allowed !== undefined && allows(allowed, role);
}

const ARTICLE: Record<Role, string> = { ADMIN: 'an admin', MEMBER: 'a member', VIEWER: 'a viewer', INGEST: 'an ingest' };

/** "This needs an admin key, but this request uses a member key", and the like for every set. */
export function refusal(allowed: readonly Role[], role: Role): string {
  const wanted = allowed.map((r, i) => (i === 0 ? ARTICLE[r] : r.toLowerCase()));
  const list = wanted.length === 1 ? wanted[0] : `${wanted.slice(0, -1).join(', ')} or ${wanted[wanted.length - 1]}`;
  const onlyIngest = role === 'INGEST' ? ' (an ingest key can only send data)' : '';
  return `This needs ${list} key, but this request uses ${ARTICLE[role]} key${onlyIngest}`;
}
