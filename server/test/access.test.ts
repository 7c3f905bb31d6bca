import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  parse,
  subscribe,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { isAsyncIterable } from 'graphql/jsutils/isAsyncIterable';
import { ACCESS, allows, ROUTES, type Allowed, type RootTypeName } from '../src/auth/access';
import { authenticate } from '../src/auth/auth.service';
import { enforceAccess, rootFields, tableGaps } from '../src/auth/enforce-access';
import { ROLES, type Role } from '../src/auth/roles';
import { createContext } from '../src/graphql/context';
import { buildAppSchema, buildResolverSchema } from '../src/graphql/schema';
import { startTestServer, type TestServer } from './support/server';

let server: TestServer;
let schema: GraphQLSchema;
let served: GraphQLSchema;
const keys = {} as Record<Role, { key: string; workspaceId: string }>;

beforeAll(async () => {
  server = await startTestServer({ env: { LIMIT_REQUESTS_PER_SECOND: '0', LIMIT_ADMIN_REQUESTS_PER_SECOND: '0', OPENROUTER_BASE_URL: 'http://127.0.0.1:9' } });
  schema = await buildResolverSchema(server.gateway.services.pubsub);
  served = await buildAppSchema(server.gateway.services.pubsub);
  for (const role of ROLES) keys[role] = await server.workspaceWithKey(`access ${role}`, role);
});
afterAll(() => server.dispose());

const ruleOf = (type: RootTypeName, field: string): Allowed => (ACCESS[type] as Record<string, { roles: Allowed }>)[field].roles;

/** A literal the argument's type accepts: the caller's own workspace for workspaceId, the last value of an enum. */
function literal(type: GraphQLInputType, name: string, own: string): string {
  if (isNonNullType(type)) return literal(type.ofType, name, own);
  if (isListType(type)) return `[${literal(type.ofType as GraphQLInputType, name, own)}]`;
  if (isEnumType(type)) return type.getValues()[type.getValues().length - 1].name;
  if (isInputObjectType(type)) {
    const required = Object.values(type.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literal(f.type, f.name, own)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'ID':
      return name === 'workspaceId' ? `"${own}"` : '"00000000-0000-4000-8000-00000000abcd"';
    case 'Int':
    case 'Float':
    case 'SafeInt':
      return '1';
    case 'Boolean':
      return 'false';
    case 'DateTime':
      return '"2030-01-01T00:00:00Z"';
    case 'JSON':
      return '{}';
    default:
      return '"x"';
  }
}

/** The smallest operation that calls a root field: its required arguments, and __typename or nothing as selection. */
function operationFor(type: RootTypeName, field: string, own: string): string {
  const definition = (type === 'Query' ? schema.getQueryType() : type === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType())!.getFields()[field];
  const args = definition.args.filter((a: GraphQLArgument) => isNonNullType(a.type)).map((a) => `${a.name}: ${literal(a.type, a.name, own)}`);
  const named = getNamedType(definition.type);
  const selection = isObjectType(named) || isAbstractType(named) ? '{ __typename }' : '';
  return `${type.toLowerCase()} { ${field}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`;
}

describe('the access table', () => {
  it('has a rule for every root field of the schema and none for a field that is gone', () => {
    expect(tableGaps(schema)).toEqual({ missing: [], stale: [] });
  });

  it('stops the gateway from building a schema with a root field it does not name', () => {
    const { Query, ...rest } = ACCESS;
    const { viewer: _viewer, ...withoutViewer } = Query;
    expect(() => enforceAccess(schema, { ...rest, Query: withoutViewer })).toThrow(
      'no access rule for Query.viewer: add each to ACCESS in server/src/auth/access.ts (it says how)',
    );
  });

  it('has a rule for every HTTP route the gateway serves besides /graphql, and none for a route that is gone', () => {
    const served = server.gateway.app.routes().sort();
    expect(served).toEqual(Object.keys(ROUTES).sort());
  });
});

const queriesAndMutations = (): [RootTypeName, string][] =>
  (['Query', 'Mutation'] as const).flatMap((type) => Object.keys(ACCESS[type]).map((field) => [type, field] as [RootTypeName, string]));

describe('every query and mutation for every role over HTTP', () => {
  const cases = queriesAndMutations().flatMap(([type, field]) => ROLES.map((role) => ({ type, field, role })));

  it('covers the whole table', () => {
    expect(cases.length).toBe((Object.keys(ACCESS.Query).length + Object.keys(ACCESS.Mutation).length) * ROLES.length);
  });

  it.each(cases)('$type.$field as $role: FORBIDDEN exactly when the table says so', async ({ type, field, role }) => {
    const { key, workspaceId } = keys[role];
    const answer = await server.gql(operationFor(type, field, workspaceId), {}, { key });
    const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
    if (allows(ruleOf(type, field), role)) {
      expect(codes).not.toContain('FORBIDDEN');
      expect(codes).not.toContain('UNAUTHENTICATED');
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
    } else {
      expect(codes).toEqual(['FORBIDDEN']);
      expect(answer.errors![0].message).toMatch(/^This needs an? .* key, but this request uses an? .* key/);
      expect(answer.data?.[field] ?? null).toBeNull();
    }
  });
});

describe('every subscription for every role', () => {
  const cases = Object.keys(ACCESS.Subscription).flatMap((field) => ROLES.map((role) => ({ field, role })));

  it.each(cases)('Subscription.$field as $role: refused exactly when the table says so', async ({ field, role }) => {
    const { services } = server.gateway;
    const { key, workspaceId } = keys[role];
    const auth = await authenticate(services.keys, services.platform, `Bearer ${key}`, undefined);
    const result = await subscribe({
      schema: served,
      document: parse(operationFor('Subscription', field, workspaceId)),
      contextValue: createContext(services, auth),
    });
    if (allows(ruleOf('Subscription', field), role)) {
      expect(isAsyncIterable(result)).toBe(true);
      if (isAsyncIterable(result)) await result.return?.();
    } else {
      expect(isAsyncIterable(result)).toBe(false);
      expect(!isAsyncIterable(result) && result.errors?.map((e) => (e.originalError as { code?: string }).code)).toEqual(['FORBIDDEN']);
    }
  });

  it('refuses an ingest key over a real socket, saying it can only send data', async () => {
    const client = server.wsClient({ authorization: `Bearer ${keys.INGEST.key}` });
    const errors = await new Promise<unknown[]>((resolve) => {
      client.subscribe({ query: 'subscription { heartbeatChanged { service } }' }, {
        next: (value) => resolve((value.errors as unknown[]) ?? []),
        error: (error) => resolve(Array.isArray(error) ? error : [error]),
        complete: () => resolve([]),
      });
    });
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'This needs an admin, member or viewer key, but this request uses an ingest key (an ingest key can only send data)',
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
  });
});

describe('the REST routes for every role', () => {
  const expected: Record<string, (role: Role) => number> = {
    'GET /health': () => 200,
    'GET /api/export/llm-calls.csv': (role) => (allows(ROUTES['GET /api/export/llm-calls.csv'], role) ? 200 : 403),
    'GET /metrics': (role) => (allows(ROUTES['GET /metrics'], role) ? 200 : 403),
    'POST /v1/traces': (role) => (allows(ROUTES['POST /v1/traces'], role) ? 200 : 403),
  };
  const cases = Object.keys(ROUTES).flatMap((route) => ROLES.map((role) => ({ route, role })));

  it.each(cases)('$route as $role', async ({ route, role }) => {
    const [method, path] = route.split(' ');
    // A POST route gets an empty body of its kind (an OTLP export of no spans).
    const response = await fetch(`${server.url.replace('/graphql', '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${keys[role].key}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      body: method === 'POST' ? '{}' : undefined,
    });
    await response.arrayBuffer();
    expect(response.status).toBe(expected[route](role));
  });
});

it('lists a root field of the schema once per operation type', () => {
  const names = rootFields(schema).map(({ type, field }) => `${type}.${field}`);
  expect(new Set(names).size).toBe(names.length);
});

describe('the permissions next.graphql gives each role', () => {
  const allowedTo = (role: Role, type: RootTypeName): string[] =>
    Object.keys(ACCESS[type]).filter((field) => allows(ruleOf(type, field), role)).sort();

  it('lets an ingest key send data in and ask viewer, and nothing else', () => {
    expect(allowedTo('INGEST', 'Mutation')).toEqual(
      ['heartbeat', 'recordComposioAction', 'recordComposioConnection', 'recordMemory', 'stopHeartbeat', 'trackLlmCall', 'trackLlmCalls', 'upsertAgent'].sort(),
    );
    expect(allowedTo('INGEST', 'Query')).toEqual(['health', 'viewer']);
    expect(allowedTo('INGEST', 'Subscription')).toEqual([]);
  });

  it('lets a viewer key read every query and subscription of its workspace and change nothing', () => {
    const adminOnly = ['adminCostAnalytics', 'adminDashboard', 'adminWorkspaceCosts', 'apiMetrics', 'systemMetrics', 'workspaces'];
    expect(allowedTo('VIEWER', 'Query')).toEqual(Object.keys(ACCESS.Query).filter((f) => !adminOnly.includes(f)).sort());
    expect(allowedTo('VIEWER', 'Subscription')).toEqual(Object.keys(ACCESS.Subscription).filter((f) => f !== 'apiMetricsUpdated').sort());
    expect(allowedTo('VIEWER', 'Mutation')).toEqual([]);
  });

  it('lets a member key do everything in its workspace, but not the platform operations', () => {
    const platform = ['createWorkspace', 'deleteWorkspace', 'heartbeat', 'stopHeartbeat'];
    expect(allowedTo('MEMBER', 'Mutation')).toEqual(Object.keys(ACCESS.Mutation).filter((f) => !platform.includes(f)).sort());
    expect(allowedTo('MEMBER', 'Query')).toEqual(allowedTo('VIEWER', 'Query'));
  });

  it('lets an admin key do everything', () => {
    for (const type of ['Query', 'Mutation', 'Subscription'] as const) expect(allowedTo('ADMIN', type)).toEqual(Object.keys(ACCESS[type]).sort());
  });

  it('audits every mutation but the ones that send data in', () => {
    const unaudited = Object.entries(ACCESS.Mutation).filter(([, rule]) => !rule.audited).map(([field]) => field).sort();
    expect(unaudited).toEqual(allowedTo('INGEST', 'Mutation'));
  });
});
